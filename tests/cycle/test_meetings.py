"""Mini-MED meetings: the tilbudsleder schedules them; the year's first and last date its duties."""

import re
from datetime import date

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from tests.cycle.helpers import duties


def test_head_schedules_meetings_and_duties_take_their_dates(app, people, import_guidelines, login):
    import_guidelines()
    client = login(people.head)
    assert client.get("/cycle/moeder/ny").status_code == 200
    response = client.post("/cycle/moeder/ny", data={"held_on": "2026-02-12", "title": "Årets første møde\x00"})
    assert response.status_code == 400 and "usynlige kontroltegn" in response.get_data(as_text=True)
    for day, title in (("2026-02-12", "Årets første møde"), ("2026-11-25", "Årets sidste møde"),
                       ("2026-05-20", "")):
        response = client.post("/cycle/moeder/ny", data={"held_on": day, "title": title})
        assert response.status_code == 302, response.get_data(as_text=True)
    html = client.get("/cycle/moeder").get_data(as_text=True)
    assert "12.02.2026" in html and "Årets første møde<" in html and "Mini-MED-møde" in html
    year = client.get("/cycle/").get_data(as_text=True)
    assert "12. februar" in duties(year, "Mini-MED godkender fordelingen")[0][1]
    assert "25. november" in duties(year, "Tilbudsplanen evalueres")[0][1]
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("cycle.meeting%"))).all()
    assert actions == ["cycle.meeting_scheduled"] * 3


def test_a_title_that_says_first_or_last_is_not_repeated_by_the_badge(app, people, login):
    client = login(people.head)
    for day, title in (("2026-02-12", "Årets første Mini-MED-møde"), ("2026-05-20", ""),
                       ("2026-11-25", "Årets sidste Mini-MED-møde")):
        assert client.post("/cycle/moeder/ny", data={"held_on": day, "title": title}).status_code == 302
    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/cycle/moeder?aar=2026").get_data(as_text=True)).split())
    assert "Årets første Årets første" not in text and text.count("Årets første Mini-MED-møde") == 1
    assert "Årets sidste Årets sidste" not in text and text.count("Årets sidste Mini-MED-møde") == 1
    client.post("/cycle/moeder/ny", data={"held_on": "2026-01-08", "title": "Opstartsmøde"})
    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/cycle/moeder?aar=2026").get_data(as_text=True)).split())
    assert "Årets første Opstartsmøde" in text


def test_one_meeting_a_day_and_bad_dates_are_refused(app, people, login):
    client = login(people.head)
    assert client.post("/cycle/moeder/ny", data={"held_on": "2026-02-12"}).status_code == 302
    response = client.post("/cycle/moeder/ny", data={"held_on": "2026-02-12"})
    assert response.status_code == 400
    assert "Der er allerede et Mini-MED-møde den dag." in response.get_data(as_text=True)
    response = client.post("/cycle/moeder/ny", data={"held_on": "31-02-2026"})
    assert response.status_code == 400 and "Skriv en gyldig dato." in response.get_data(as_text=True)
    response = client.post("/cycle/moeder/ny", data={"held_on": "2040-01-01"})
    assert response.status_code == 400 and "inden for to år" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(MiniMedMeeting)).all()) == 1


def test_minutes_and_attendees_later_with_a_stale_form_refused(app, people, login):
    client = login(people.head)
    client.post("/cycle/moeder/ny", data={"held_on": "2026-02-12"})
    with app.app_context():
        meeting = db.session.scalar(select(MiniMedMeeting))
        meeting_id, version = meeting.id, meeting.version
    form = client.get(f"/cycle/moeder/{meeting_id}").get_data(as_text=True)
    assert "Tina TR" in form and "Hanne Leder" in form and "Maja Ansat" not in form
    response = client.post(f"/cycle/moeder/{meeting_id}", data={
        "held_on": "2026-02-12", "title": "Første møde", "minutes": "Fordelingen blev godkendt.",
        "attendees": [people.ids["minimed"], people.ids["head"]], "version": str(version)})
    assert response.status_code == 302
    stale = client.post(f"/cycle/moeder/{meeting_id}", data={
        "held_on": "2026-02-13", "title": "Gammel", "version": str(version)})
    assert stale.status_code == 409 and "ændret af en anden" in stale.get_data(as_text=True)
    with app.app_context():
        meeting = db.session.get(MiniMedMeeting, meeting_id)
        assert meeting.minutes == "Fordelingen blev godkendt." and meeting.held_on == date(2026, 2, 12)
        assert {p.id for p in meeting.attendees} == {people.ids["minimed"], people.ids["head"]}
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cycle.meeting_updated"))
    view = login(people.minimed).get(f"/cycle/moeder/{meeting_id}")
    assert view.status_code == 200 and "Fordelingen blev godkendt." in view.get_data(as_text=True)
    assert "<form" not in view.get_data(as_text=True).split("<main")[1]


def test_meeting_access(app, people, login):
    from tests.factories import make_home

    with app.app_context():
        other = make_home("Andet hjem")
        db.session.add(MiniMedMeeting(home_id=other.id, held_on=date(2026, 3, 3)))
        db.session.commit()
        foreign = db.session.scalar(select(MiniMedMeeting.id))
    expected = {"head": (200, 200), "minimed": (200, 403), "leader_a": (403, 403), "employee_a": (403, 403),
                "temp_a": (403, 403)}
    for who, (list_status, new_status) in expected.items():
        client = login(getattr(people, who))
        assert client.get("/cycle/moeder").status_code == list_status, who
        assert client.get("/cycle/moeder/ny").status_code == new_status, who
        assert client.post("/cycle/moeder/ny", data={"held_on": "2026-04-04"}).status_code in (
            302 if who == "head" else 403,), who
        assert client.get(f"/cycle/moeder/{foreign}").status_code == 404, who
    nav = login(people.minimed).get("/").get_data(as_text=True)
    assert 'href="/cycle/moeder"' in nav and 'href="/cycle/"' in nav
    assert 'href="/cycle/moeder"' not in login(people.employee_a).get("/").get_data(as_text=True)
