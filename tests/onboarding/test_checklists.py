"""Ticking one's own items, leaders' sign-off, the refusals, readiness and history."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import signals
from app.audit.models import AuditEntry
from app.extensions import db
from app.onboarding.models import ChecklistItem
from app.onboarding.services import has_completed_introduction, readiness
from app.people.models import User
from tests.onboarding.helpers import HIRED, TODAY, build_org, item_url, login


@pytest.fixture
def org(app, set_today):
    set_today(TODAY)
    return build_org(app)


def _item(app, item_id):
    with app.app_context():
        item = db.session.get(ChecklistItem, item_id)
        return {"done": item.is_done, "done_on": item.done_on, "note": item.note, "by": item.completer_id,
                "completed_on": item.completed_on}


def test_temp_sees_checklist_first_on_the_dashboard(app, org, make_client):
    client = login(make_client, org.temp)
    html = client.get("/").get_data(as_text=True)
    assert "Min introduktion" in html and "<progress" in html
    assert "0 af 5 punkter" in html
    assert "Undervisning i konflikthåndtering" in html and "Leder kvitterer" in html
    page = client.get("/onboarding/mine").get_data(as_text=True)
    assert "Introduktion ikke gennemført" in page
    assert "2 kvitteres af lederen" in page and "2 afkrydser du selv" in page


def test_temp_ticks_own_item_with_a_date(app, org, make_client):
    client = login(make_client, org.temp)
    response = client.post(item_url(org, 0), data={"done_on": "2026-03-01", "note": ""})
    assert response.status_code == 302
    item = _item(app, org.item_ids[0])
    assert item["done"] and item["done_on"].isoformat() == "2026-03-01" and item["by"] == org.temp_id
    assert item["completed_on"] == TODAY
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "onboarding.item_ticked")) == 1
    page = client.get(f"/onboarding/checklists/{org.checklist_id}").get_data(as_text=True)
    assert "Afkrydset" in page and "Tina Vikar" in page and "1. marts 2026" in page


@pytest.mark.parametrize(("done_on", "ok"), [
    (TODAY, True),
    (TODAY + timedelta(days=1), False),
    (HIRED, True),
    (HIRED - timedelta(days=1), False),
])
def test_date_may_not_be_in_the_future_or_before_hiring(app, org, make_client, done_on, ok):
    client = login(make_client, org.temp)
    response = client.post(item_url(org, 0), data={"done_on": done_on.isoformat()})
    assert response.status_code == (302 if ok else 400)
    assert _item(app, org.item_ids[0])["done"] is ok
    if not ok:
        html = response.get_data(as_text=True)
        assert ("Datoen kan ikke ligge i fremtiden." in html) or ("Datoen kan ikke ligge før ansættelsesdatoen" in html)


def test_date_and_note_are_required_where_asked(app, org, make_client):
    temp = login(make_client, org.temp)
    response = temp.post(item_url(org, 0), data={"done_on": ""})
    assert response.status_code == 400 and "Skriv datoen for punktet" in response.get_data(as_text=True)
    leader = login(make_client, org.leader_a)
    response = leader.post(item_url(org, 3), data={"note": "  "})
    assert response.status_code == 400 and "Skriv en note til punktet." in response.get_data(as_text=True)
    assert not _item(app, org.item_ids[3])["done"]
    response = leader.post(item_url(org, 3), data={"note": "Bekræftet\x00 af bureauet\n"})
    assert response.status_code == 400 and "usynlige kontroltegn" in response.get_data(as_text=True)
    assert not _item(app, org.item_ids[3])["done"]
    assert leader.post(item_url(org, 3), data={"note": "Bekræftet\taf bureauet\n"}).status_code == 302
    assert _item(app, org.item_ids[3])["note"] == "Bekræftet\taf bureauet"


@pytest.mark.parametrize(("name", "possessive"), [("Tina Jens", "Tina Jens'"), ("Tina Max", "Tina Max'"),
                                                  ("Tina Schultz", "Tina Schultz'"), ("Tina Vikar", "Tina Vikars")])
def test_refusal_names_the_department_with_a_danish_possessive(app, org, make_client, name, possessive):
    with app.app_context():
        db.session.get(User, org.temp_id).name = name
        db.session.commit()
    other = login(make_client, org.leader_b)
    html = other.post(item_url(org, 1), data={"done_on": "2026-03-02"}).get_data(as_text=True)
    assert f"Kun en leder af {possessive} afdeling" in html.replace("&#39;", "'")


def test_temp_cannot_tick_a_leaders_item(app, org, make_client):
    client = login(make_client, org.temp)
    response = client.post(item_url(org, 1), data={"done_on": "2026-03-01"})
    assert response.status_code == 403
    assert "Dette punkt skal kvitteres af din leder" in response.get_data(as_text=True)
    assert not _item(app, org.item_ids[1])["done"]


def test_own_leader_signs_off_and_other_departments_leader_is_refused(app, org, make_client):
    other = login(make_client, org.leader_b)
    response = other.post(item_url(org, 1), data={"done_on": "2026-03-02"})
    assert response.status_code == 403
    assert "Kun en leder af Tina Vikars afdeling eller tilbudslederen kan kvittere" in response.get_data(as_text=True)
    assert other.get(f"/onboarding/checklists/{org.checklist_id}").status_code == 403
    leader = login(make_client, org.leader_a)
    assert leader.post(item_url(org, 1), data={"done_on": "2026-03-02"}).status_code == 302
    with app.app_context():
        leader_id = db.session.scalar(select(User.id).where(User.email == org.leader_a))
    assert _item(app, org.item_ids[1])["by"] == leader_id


def test_leader_cannot_tick_the_persons_own_item(app, org, make_client):
    leader = login(make_client, org.leader_a)
    response = leader.post(item_url(org, 0), data={"done_on": "2026-03-02"})
    assert response.status_code == 403 and "afkrydser Tina Vikar selv" in response.get_data(as_text=True)


def test_head_signs_off_in_any_department(app, org, make_client):
    head = login(make_client, org.head)
    assert head.post(item_url(org, 1), data={"done_on": "2026-03-02"}).status_code == 302


def test_completing_an_item_twice_is_refused(app, org, make_client):
    client = login(make_client, org.temp)
    assert client.post(item_url(org, 0), data={"done_on": "2026-03-01"}).status_code == 302
    response = client.post(item_url(org, 0), data={"done_on": "2026-03-05"})
    assert response.status_code == 400
    assert "Punktet er allerede afkrydset af Tina Vikar den 10. marts 2026." in response.get_data(as_text=True)
    assert _item(app, org.item_ids[0])["done_on"].isoformat() == "2026-03-01"


def test_reading_a_guideline_item_links_to_it_and_emits_the_acknowledgement(app, org, make_client):
    seen = []

    @signals.guideline_read.connect
    def remember(_sender, /, **payload):
        seen.append(payload)

    client = login(make_client, org.temp)
    page = client.get(f"/onboarding/checklists/{org.checklist_id}").get_data(as_text=True)
    assert "Læs retningslinjen" in page
    assert client.post(item_url(org, 2), data={}).status_code == 302
    mine = [p for p in seen if p["user_id"] == org.temp_id]
    assert mine == [{"home_id": org.home_id, "user_id": org.temp_id,
                     "slug": "introduktion-nyansatte-og-vikarer", "on": TODAY}]


def test_ready_to_work_alone_when_all_required_items_are_done(app, org, make_client, set_today):
    temp = login(make_client, org.temp)
    leader = login(make_client, org.leader_a)
    with app.app_context():
        person = db.session.get(User, org.temp_id)
        assert not has_completed_introduction(person)
    temp.post(item_url(org, 0), data={"done_on": "2026-03-01"})
    temp.post(item_url(org, 2), data={})
    leader.post(item_url(org, 1), data={"done_on": "2026-03-02"})
    with app.app_context():
        assert readiness([org.temp_id]) == {org.temp_id: False}
    leader.post(item_url(org, 3), data={"note": "Bekræftet"})  # the optional item stays open
    with app.app_context():
        person = db.session.get(User, org.temp_id)
        assert has_completed_introduction(person)
        assert readiness([org.temp_id], on=TODAY - timedelta(days=1)) == {org.temp_id: False}
    overview = leader.get("/onboarding/overview").get_data(as_text=True)
    assert "Introduktion gennemført" in overview


def test_readiness_for_people_without_a_checklist(app, org):
    from app.people.constants import EmploymentType
    from app.people.models import Home
    from tests.factories import make_user

    with app.app_context():
        home = db.session.get(Home, org.home_id)
        temp = make_user(home, home.departments[:1], employment=EmploymentType.AGENCY)
        permanent = make_user(home, home.departments[:1])
        db.session.commit()
        assert readiness([temp.id, permanent.id]) == {temp.id: False, permanent.id: True}


def test_a_leavers_checklist_stays_readable_but_closed(app, org, make_client, set_today):
    with app.app_context():
        db.session.get(User, org.temp_id).left_on = TODAY
        db.session.commit()
    leader = login(make_client, org.leader_a)
    page = leader.get(f"/onboarding/checklists/{org.checklist_id}")
    assert page.status_code == 200 and "Personen er fratrådt" in page.get_data(as_text=True)
    response = leader.post(item_url(org, 1), data={"done_on": "2026-03-02"})
    assert response.status_code == 400 and "er fratrådt" in response.get_data(as_text=True)
    assert "Tina Vikar" not in leader.get("/onboarding/overview").get_data(as_text=True)
    assert "Tina Vikar" in leader.get("/onboarding/overview?vis=alle").get_data(as_text=True)


def test_stuck_after_fourteen_days_without_progress(app, org, make_client, set_today):
    set_today(TODAY + timedelta(days=13))
    leader = login(make_client, org.leader_a)
    assert "Gået i stå" not in leader.get("/onboarding/overview").get_data(as_text=True)
    set_today(TODAY + timedelta(days=14))
    leader = login(make_client, org.leader_a)  # the next day: yesterday's login has expired
    html = leader.get("/onboarding/overview").get_data(as_text=True)
    assert "Gået i stå" in html and "siden 10.03.2026" in html
    assert "Gået i stå siden 10. marts 2026" in leader.get("/").get_data(as_text=True)


def test_new_person_gets_checklist_automatically(app, org, make_client):
    head = login(make_client, org.head)
    data = {"name": "Nora Ny", "email": "nora@example.dk", "employment_type": "on_call", "profession": "paedagog",
            "hired_on": "2026-03-09", "left_on": "", "departments": [org.dep_b], "roles": ["employee"],
            "resource_functions": ""}
    assert head.post("/people/new", data=data).status_code == 302
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "nora@example.dk"))
        from app.onboarding.services import checklists_for

        lists = checklists_for([person.id])[person.id]
        assert [c.title for c in lists] == ["Tjekliste for tilkaldevikarer"]
        assert len(lists[0].items) == 5 and lists[0].assigned_on == TODAY


def test_permanent_hire_without_a_template_gets_none(app, org, make_client):
    head = login(make_client, org.head)
    data = {"name": "Per Fast", "email": "per@example.dk", "employment_type": "permanent", "profession": "paedagog",
            "hired_on": "2026-03-09", "left_on": "", "departments": [org.dep_b], "roles": ["employee"],
            "resource_functions": ""}
    assert head.post("/people/new", data=data).status_code == 302
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "per@example.dk"))
        from app.onboarding.models import Checklist

        assert db.session.scalar(select(func.count(Checklist.id)).where(Checklist.user_id == person.id)) == 0


def test_assign_by_hand_and_not_twice(app, org, make_client):
    from app.onboarding.services import save_template
    from app.people.models import Home
    from tests.factories import make_user

    with app.app_context():
        from app.people.models import Department

        home = db.session.get(Home, org.home_id)
        person = make_user(home, [db.session.get(Department, org.dep_a)], name="Ole Gammel")
        extra = save_template(org.home_id, None, name="Nyansat", kind="permanent", department_id=None,
                              items=[{"text": "Føl-dage", "completed_by": "leader"}], actor=None)
        db.session.commit()
        person_id, extra_id = person.id, extra.id
    leader = login(make_client, org.leader_a)
    assert leader.get(f"/onboarding/assign?person={person_id}").status_code == 200
    response = leader.post("/onboarding/assign", data={"user_id": person_id, "template_id": extra_id})
    assert response.status_code == 302
    again = leader.post("/onboarding/assign", data={"user_id": person_id, "template_id": extra_id})
    assert again.status_code == 400 and "Ole Gammel har allerede tjeklisten »Nyansat«." in again.get_data(
        as_text=True)
    other = login(make_client, org.leader_b)
    assert other.post("/onboarding/assign", data={"user_id": person_id, "template_id": extra_id}).status_code == 400


def test_profile_section_for_the_person_and_their_leaders_only(app, org):
    from app.hooks import profile_sections

    with app.test_request_context():
        person = db.session.get(User, org.temp_id)
        leader_b = db.session.scalar(select(User).where(User.email == org.leader_b))
        leader_a = db.session.scalar(select(User).where(User.email == org.leader_a))
        own = "".join(str(s) for s in profile_sections(person, person))
        assert ">Introduktion<" in own and "Introduktion ikke gennemført" in own and "0 af 5 punkter" in own
        assert "Tjekliste for tilkaldevikarer" in "".join(str(s) for s in profile_sections(person, leader_a))
        assert "Tjekliste for tilkaldevikarer" not in "".join(str(s) for s in profile_sections(person, leader_b))
