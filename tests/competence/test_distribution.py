"""The distribution of competence funds: totals, over budget, the Mini-MED decision, locking and revisions."""

import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app import clock, signals
from app.competence import distribution as dist_service
from app.competence.models import CourseWish, Decision, DepartmentOverview, Distribution
from app.competence.services import CompetenceError
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.people.constants import Role
from app.people.models import Home
from tests.factories import PASSWORD, make_department, make_home, make_user


@pytest.fixture
def setup(app, set_today):
    set_today(datetime(2027, 1, 5, 12, tzinfo=clock.TZ))
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        make_user(home, [department], roles=(Role.HEAD, Role.MINI_MED), email="chef@x.dk")
        employee = make_user(home, [department], email="ansat@x.dk")
        wishes = [CourseWish(home_id=home.id, department_id=department.id, user_id=employee.id, year=2027,
                             title=title, cost=Decimal(cost), responsibility_areas="x",
                             submitted_at=datetime.fromisoformat("2026-09-01T10:00:00+00:00"))
                  for title, cost in (("KRAP", "10000"), ("Marte Meo", "18000"), ("TEACCH", "6000"))]
        db.session.add_all(wishes)
        meeting = MiniMedMeeting(home_id=home.id, held_on=date(2027, 1, 4))
        db.session.add(meeting)
        db.session.commit()
        return {"home": home.id, "dep": department.id, "wishes": [w.id for w in wishes], "meeting": meeting.id}


def _login(client, email="chef@x.dk"):
    client.post("/auth/login", data={"email": email, "password": PASSWORD})


def _dist(app):
    with app.app_context():
        return db.session.scalar(select(Distribution).order_by(Distribution.revision.desc()))


def _start(client, setup, budget="50000"):
    assert client.post("/competence/distribution?aar=2027", data={"budget": budget}).status_code == 302


def _line(client, dist_id, version, **data):
    payload = {"category": "common", "wish_id": "0", "wish_outcome": "approved", "department_id": "0", "title": "",
               "supervisor": "", "sessions": "", "hours": "", "amount": "0", "note": "", "version": str(version)}
    payload.update(data)
    return client.post(f"/competence/distribution/{dist_id}/lines", data=payload)


def test_draft_totals_and_approval_sets_outcomes_and_locks(app, client, setup, listen):
    events = []
    listen(lambda name, **kw: events.append((name, kw)), signals.distribution_approved)
    _login(client)
    _start(client, setup)
    d = _dist(app)
    w1, w2, w3 = setup["wishes"]
    assert _line(client, d.id, d.version, category="wish", wish_id=str(w1), amount="10000").status_code == 302
    d = _dist(app)
    assert _line(client, d.id, d.version, category="wish", wish_id=str(w2), wish_outcome="approved_in_part",
                 amount="9000", note="Halvdelen i år").status_code == 302
    d = _dist(app)
    assert _line(client, d.id, d.version, category="supervision", department_id=str(setup["dep"]),
                 title="Supervision", supervisor="Lone Supervisor", sessions="10", amount="20000").status_code == 302
    page = client.get("/competence/distribution?aar=2027").get_data(as_text=True)
    assert "39.000 kr." in page and "11.000 kr." in page  # total and what is left
    d = _dist(app)
    response = client.post(f"/competence/distribution/{d.id}/decide",
                           data={"meeting_id": str(setup["meeting"]), "outcome": "approved", "note": "Godkendt",
                                 "version": str(d.version)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("Mini-MED-mødets beslutning den 4. januar 2027 er registreret: fordelingen er godkendt og låst."
            in page) and "Fordelingen er gemt." not in page
    with app.app_context():
        outcomes = {w.id: (w.outcome, w.outcome_reason) for w in db.session.scalars(select(CourseWish))}
        assert outcomes[w1] == ("approved", "")
        assert outcomes[w2] == ("approved_in_part", "Halvdelen i år")
        assert outcomes[w3][0] == "rejected"
        dist = db.session.scalar(select(Distribution))
        assert dist.is_locked and dist.decisions[0].meeting_id == setup["meeting"]
    assert events == [("competence.distribution_approved", {"home_id": setup["home"], "year": 2027,
                                                            "on": date(2027, 1, 4), "actor": events[0][1]["actor"]})]
    # The employee sees the outcome with its reason.
    client.post("/auth/logout")
    _login(client, "ansat@x.dk")
    page = client.get("/competence/").get_data(as_text=True)
    assert "Delvist godkendt" in page and "Halvdelen i år" in page and "Afvist" in page


def test_approved_distribution_cannot_change_in_place_but_gets_a_revision(app, client, setup):
    _login(client)
    _start(client, setup)
    d = _dist(app)
    _line(client, d.id, d.version, title="Konflikthåndtering for alle", amount="30000")
    d = _dist(app)
    client.post(f"/competence/distribution/{d.id}/decide",
                data={"meeting_id": str(setup["meeting"]), "outcome": "approved", "version": str(d.version)})
    d = _dist(app)
    response = _line(client, d.id, d.version, title="Neuropædagogik", amount="5000")
    assert response.status_code == 400
    assert "godkendt af Mini-MED og er låst" in response.get_data(as_text=True)
    assert client.post(f"/competence/distribution/{d.id}/revise").status_code == 302
    new = _dist(app)
    assert new.revision == 2 and not new.is_locked
    assert _line(client, new.id, new.version, title="Neuropædagogik", amount="5000").status_code == 302
    with app.app_context():
        first = db.session.scalar(select(Distribution).where(Distribution.revision == 1))
        assert first.is_locked and first.total == Decimal("30000")
        assert db.session.scalar(select(Distribution).where(Distribution.revision == 2)).total == Decimal("35000")
    page = client.get("/competence/distribution?aar=2027").get_data(as_text=True)
    assert "Revision 1 (godkendt)" in page and "Revision 2 (udkast)" in page


def test_a_postponed_decision_says_so_and_the_draft_stays_open(app, client, setup):
    _login(client)
    _start(client, setup)
    d = _dist(app)
    _line(client, d.id, d.version, category="wish", wish_id=str(setup["wishes"][0]), wish_outcome="postponed",
          amount="100")
    d = _dist(app)
    assert ">Udsat<" in client.get("/competence/distribution?aar=2027").get_data(as_text=True)
    response = client.post(f"/competence/distribution/{d.id}/decide",
                           data={"meeting_id": str(setup["meeting"]), "outcome": "postponed",
                                 "version": str(d.version)})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mini-MED-mødets beslutning den 4. januar 2027 er registreret: fordelingen er udsat" in page
    assert "Udskudt" not in page and not _dist(app).is_locked


def test_over_budget_or_without_meeting_cannot_be_approved(app, client, setup):
    _login(client)
    _start(client, setup, budget="1000")
    d = _dist(app)
    _line(client, d.id, d.version, title="Fælles kursus", amount="1000,01")
    d = _dist(app)
    assert "overskrider rammen" in client.get("/competence/distribution?aar=2027").get_data(as_text=True)
    response = client.post(f"/competence/distribution/{d.id}/decide",
                           data={"meeting_id": str(setup["meeting"]), "outcome": "approved", "version": str(d.version)})
    assert response.status_code == 400 and "overskrider rammen med 0,01 kr." in response.get_data(as_text=True)
    response = client.post(f"/competence/distribution/{d.id}/decide",
                           data={"meeting_id": "0", "outcome": "approved", "version": str(d.version)})
    assert response.status_code == 400 and "Vælg det Mini-MED-møde" in response.get_data(as_text=True)
    response = client.post(f"/competence/distribution/{d.id}/decide",
                           data={"meeting_id": "0", "new_meeting_on": "2027-01-06", "outcome": "approved",
                                 "version": str(d.version)})
    assert response.status_code == 400
    with app.app_context():
        assert not db.session.scalar(select(Distribution)).is_locked
        assert db.session.scalar(select(Decision.id)) is None
        # The meeting typed in with a refused decision is not half-saved either.
        assert db.session.scalar(select(MiniMedMeeting.id).where(MiniMedMeeting.held_on == date(2027, 1, 6))) is None


@pytest.mark.parametrize(("amount", "message"), [("-5", "Beløbet kan ikke være negativ."),
                                                 ("fem", "Beløbet skal være et beløb i kroner")])
def test_bad_amounts_are_refused(app, client, setup, amount, message):
    _login(client)
    _start(client, setup)
    d = _dist(app)
    response = _line(client, d.id, d.version, title="X", amount=amount)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(Distribution)).lines


def test_two_people_saving_at_once_one_is_told_and_keeps_input(app, client, make_client, setup):
    _login(client)
    _start(client, setup)
    d = _dist(app)
    other = make_client()
    _login(other)
    assert _line(other, d.id, d.version, title="Først", amount="100").status_code == 302
    response = client.post(f"/competence/distribution/{d.id}/budget",
                           data={"budget": "77777", "note": "Min bemærkning", "version": str(d.version)})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "77777" in html and "Min bemærkning" in html and "ændret af en anden" in html
    assert _dist(app).budget == Decimal("50000")


def test_approval_is_all_or_nothing(app, setup, listen):
    def boom(*args, **kwargs):
        raise RuntimeError("crash after the outcomes were set")

    listen(boom, signals.distribution_approved)
    with app.app_context():
        from app.people.models import Home, User

        home = db.session.get(Home, setup["home"])
        head = db.session.scalar(select(User).where(User.email == "chef@x.dk"))
        dist = dist_service.start(home, 2027, "50000", head)
        dist_service.add_line(dist, {"category": "common", "title": "Alle", "amount": "100"}, head)
        db.session.commit()
        with pytest.raises(RuntimeError):
            dist_service.record_decision(dist, db.session.get(MiniMedMeeting, setup["meeting"]), "approved", "", head)
        db.session.rollback()
        assert not db.session.scalar(select(Distribution)).is_locked
        assert db.session.scalar(select(Decision.id)) is None
        assert all(w.outcome is None for w in db.session.scalars(select(CourseWish)))
        with pytest.raises(CompetenceError):
            dist_service.record_decision(dist, db.session.get(MiniMedMeeting, setup["meeting"]), "maybe", "", head)


def test_distribution_export_has_numbers_and_totals(app, client, setup):
    _login(client)
    _start(client, setup)
    d = _dist(app)
    _line(client, d.id, d.version, title="Konflikthåndtering", amount="12.500,50")
    d = _dist(app)
    _line(client, d.id, d.version, category="supervision", department_id=str(setup["dep"]), title="Supervision",
          sessions="6", amount="9000")
    response = client.get(f"/competence/distribution/{d.id}/export.xlsx")
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Kategori" and rows[0][7] == "Beløb (kr.)"
    assert rows[-1][0] == "I alt" and rows[-1][7] == 21500.5
    budget_row = next(r for r in rows if r[0] == "Ramme")
    assert budget_row[7] == 50000
    assert next(r for r in rows if r[0] == "Rest")[7] == 28499.5


def test_supervision_planned_vs_used(app, client, setup):
    _login(client)
    _start(client, setup)
    d = _dist(app)
    _line(client, d.id, d.version, category="supervision", department_id=str(setup["dep"]), title="Supervision",
          supervisor="Lone", sessions="10", amount="9000")
    response = client.post("/competence/supervision?aar=2027",
                           data={"department_id": str(setup["dep"]), "held_on": "2027-01-05", "sessions": "2"})
    assert response.status_code == 302
    response = client.post("/competence/supervision?aar=2027",
                           data={"department_id": str(setup["dep"]), "held_on": "2027-01-06", "sessions": "1"})
    assert response.status_code == 400 and "når den er holdt" in response.get_data(as_text=True)
    with app.app_context():
        assert dist_service.planned_supervision(setup["home"], 2027)[setup["dep"]]["sessions"] == 10
        assert dist_service.used_supervision(setup["home"], 2027)[setup["dep"]]["sessions"] == 2
    assert 'value="2"' in client.get("/competence/supervision?aar=2027").get_data(as_text=True)


def test_the_budget_form_shows_the_budget_the_danish_way_and_saves_it_back(app, client, setup):
    _login(client)
    _start(client, setup, budget="12.500,5")
    d = _dist(app)
    page = client.get("/competence/distribution?aar=2027").get_data(as_text=True)
    assert 'value="12.500,50"' in page and "12.500,50 kr." in page
    response = client.post(f"/competence/distribution/{d.id}/budget",
                           data={"budget": "12.500,50", "note": "", "version": str(d.version)})
    assert response.status_code == 302 and _dist(app).budget == Decimal("12500.50")
    response = client.post(f"/competence/distribution/{d.id}/budget",
                           data={"budget": "1.000.000.000", "note": "Se her", "version": str(_dist(app).version)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Rammen kan højst være 100.000.000 kr." in html
    assert 'value="1.000.000.000"' in html and "Se her" in html


def test_the_draft_page_s_forms_have_unique_ids_and_each_label_names_its_own_field(app, client, setup):
    """The line, budget and decision forms share the page: "Referat af beslutningen" labels the decision's note."""
    from tests.crawl import _form_problems, _parse  # the page walk's own checks

    _login(client)
    _start(client, setup)
    html = client.get("/competence/distribution?aar=2027").get_data(as_text=True)
    assert html.count('name="note"') >= 2 and html.count('name="csrf_token"') >= 3
    assert _form_problems(_parse(html)) == ([], [])
    label = re.search(r'<label for="([^"]+)">Referat af beslutningen</label>', html).group(1)
    assert 'name="note"' in re.search(rf'<textarea[^>]*\bid="{label}"[^>]*>', html).group(0)
    assert re.search(r'action="[^"]*/decide"', html.split(f'id="{label}"')[0].rsplit("<form", 1)[1])


@pytest.mark.parametrize(("today", "before_deadline"), [
    (datetime(2026, 10, 1, 23, 59, tzinfo=clock.TZ), True),  # the deadline day itself: wishes may still come
    (datetime(2026, 10, 2, 0, 0, tzinfo=clock.TZ), False),
])
def test_approving_before_the_deadline_or_before_departments_forwarded_is_warned_naming_them(
        app, client, make_client, setup, set_today, today, before_deadline):
    with app.app_context():
        home = db.session.get(Home, setup["home"])
        make_department(home, "Åen")
        db.session.commit()
    set_today(today)
    _login(client)
    _start(client, setup)
    page = client.get("/competence/distribution?aar=2027").get_data(as_text=True)
    assert ("Fristen for ønsker til 2027 er 1. oktober 2026 og er ikke overskredet" in page) is before_deadline
    assert "ikke sendt deres oversigt over ønsker videre endnu: Skoven, Åen." in page
    with app.app_context():
        db.session.add(DepartmentOverview(home_id=setup["home"], department_id=setup["dep"], year=2027,
                                          forwarded_at=clock.now()))
        db.session.commit()
    page = client.get("/competence/distribution?aar=2027").get_data(as_text=True)
    assert "videre endnu: Åen." in page and "Skoven, Åen" not in page
