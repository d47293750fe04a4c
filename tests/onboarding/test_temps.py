"""Bilag A on temps: the tasks temps may not do alone, the on-call checklist, and the framework agency."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.onboarding.constants import BY_LEADER
from app.onboarding.defaults import DEFAULT_TEMPLATES, item_dicts
from app.onboarding.models import Checklist, TempRestriction
from app.onboarding.services import save_template
from app.people.constants import EmploymentType
from app.people.models import Home, User
from tests.children.helpers import add_plan, make_child
from tests.factories import make_home
from tests.onboarding.helpers import TODAY, build_org, login

NOT_ALONE = "Opgaver du som vikar ikke må varetage alene"


@pytest.fixture
def org(app, set_today):
    set_today(TODAY)
    return build_org(app)


def _add(client, task, instead=""):
    return client.post("/onboarding/vikarregler", data={"task": task, "instead": instead})


def test_leaders_keep_the_list_and_temps_see_only_active_tasks_on_dashboard_and_handover(app, org, make_client):
    leader = login(make_client, org.leader_b)
    assert leader.get("/onboarding/vikarregler").status_code == 200
    instead = "En fastansat er altid på vagt sammen med vikaren."
    assert _add(leader, "Alenearbejde om natten", instead).status_code == 302
    assert _add(leader, "Medicingivning").status_code == 302
    with app.app_context():
        medicine = db.session.scalar(select(TempRestriction.id).where(TempRestriction.task == "Medicingivning"))
        child = make_child(org.home_id, org.dep_a)
        add_plan(child, TODAY)
        db.session.commit()
        child_id = child.id
    page = leader.get("/onboarding/vikarregler").get_data(as_text=True)
    assert "data-confirm=\"Tag »Medicingivning« af listen?" in page
    assert leader.post(f"/onboarding/vikarregler/{medicine}/deaktiver").status_code == 302
    page = leader.get("/onboarding/vikarregler").get_data(as_text=True)
    assert "Historik" in page and "Medicingivning" in page
    with app.app_context():
        row = db.session.get(TempRestriction, medicine)
        assert not row.is_active and row.deactivated_at is not None and row.deactivated_by_id is not None

    temp = login(make_client, org.temp)
    for url in ("/", "/children/", f"/children/{child_id}"):
        html = temp.get(url).get_data(as_text=True)
        assert NOT_ALONE in html, url
        assert "Alenearbejde om natten" in html and "En fastansat er altid på vagt sammen med vikaren." in html, url
        assert "Medicingivning" not in html, url
    assert NOT_ALONE not in login(make_client, org.leader_a).get("/").get_data(as_text=True)


def test_bad_or_duplicate_tasks_are_refused_and_nothing_saved(app, org, make_client):
    head = login(make_client, org.head)
    response = _add(head, "   ")
    assert response.status_code == 400 and "Feltet skal udfyldes." in response.get_data(as_text=True)
    assert _add(head, "Alenearbejde").status_code == 302
    response = _add(head, " Alenearbejde ", "Andet")
    assert response.status_code == 400 and "Opgaven står allerede på listen." in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(TempRestriction))
        assert db.session.scalars(select(TempRestriction)).all() == [row]
        row_id = row.id
    assert head.post(f"/onboarding/vikarregler/{row_id}/deaktiver").status_code == 302
    again = head.post(f"/onboarding/vikarregler/{row_id}/deaktiver", follow_redirects=True)
    assert "Opgaven er allerede taget af listen." in again.get_data(as_text=True)


def test_who_may_keep_the_list(app, org, make_client):
    with app.app_context():
        other = make_home("Andet hjem")
        foreign = TempRestriction(home_id=other.id, task="Fremmed opgave")
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    temp = login(make_client, org.temp)
    assert temp.get("/onboarding/vikarregler").status_code == 403
    assert _add(temp, "Vikaren prøver selv").status_code == 403
    assert login(make_client, org.head).post(f"/onboarding/vikarregler/{foreign_id}/deaktiver").status_code == 404
    with app.app_context():
        assert db.session.get(TempRestriction, foreign_id).is_active
        assert db.session.scalar(select(TempRestriction).where(TempRestriction.task == "Vikaren prøver selv")) is None


def test_the_on_call_template_covers_bilag_a1_with_the_leaders_follow_up():
    on_call = next(items for kind, _, items in DEFAULT_TEMPLATES if kind == EmploymentType.ON_CALL)
    texts = [i["text"] for i in item_dicts(on_call)]
    for topic in ("magtanvendelse", "selvbestemmelse", "overgreb"):
        item = next(i for i in item_dicts(on_call) if topic in i["text"])
        assert item["completed_by"] == BY_LEADER and item["is_required"] and item["needs_date"], topic
    follow_up = next(i for i in item_dicts(on_call) if i["text"].startswith("Lederens opfølgning"))
    assert follow_up["completed_by"] == BY_LEADER and follow_up["needs_note"] and follow_up["is_required"]
    assert not any(i["only_other_agency"] for i in item_dicts(on_call)) and len(texts) == len(set(texts))


def _agency_temp(client, dep, email, agency):
    return client.post("/people/new", data={
        "name": f"Vikar {agency}", "email": email, "employment_type": "agency", "agency": agency,
        "profession": "paedagog", "hired_on": TODAY.isoformat(), "left_on": "", "departments": [dep],
        "roles": ["employee"], "resource_functions": ""})


def _settings(home: Home, **overrides):
    data = {"name": home.name, "wish_deadline_day": 1, "wish_deadline_month": 10, "temp_meeting_first": 3,
            "temp_meeting_second": 9, "contact_team_min": 2, "plan_interval_months": 3, "physio_interval_months": 6,
            "quality_green": 95, "quality_yellow": 80}
    return {**data, **overrides}


def test_only_a_temp_from_another_agency_than_the_framework_agency_gets_the_extra_confirmations(
        app, org, make_client):
    agency_items = next(items for kind, _, items in DEFAULT_TEMPLATES if kind == EmploymentType.AGENCY)
    with app.app_context():
        home = db.session.get(Home, org.home_id)
        head_user = db.session.scalar(select(User).where(User.email == org.head))
        save_template(home.id, None, name="Tjekliste for vikarer fra bureau", kind=EmploymentType.AGENCY,
                      department_id=None, items=item_dicts(agency_items), actor=head_user)
        db.session.commit()
        settings = _settings(home, framework_agency="  Vikarkompagniet  ")
    head = login(make_client, org.head)
    assert head.post("/people/settings", data=settings).status_code == 302
    assert "Vikarkompagniet" in head.get("/people/settings").get_data(as_text=True)
    assert _agency_temp(head, org.dep_a, "ramme@example.dk", "vikarkompagniet").status_code in (200, 302)
    assert _agency_temp(head, org.dep_a, "andet@example.dk", "Andet Bureau").status_code in (200, 302)
    with app.app_context():
        assert db.session.get(Home, org.home_id).setting("framework_agency") == "Vikarkompagniet"
        lists = {}
        for email in ("ramme@example.dk", "andet@example.dk"):
            person = db.session.scalar(select(User).where(User.email == email))
            checklist = db.session.scalar(select(Checklist).where(Checklist.user_id == person.id))
            lists[email] = [i.text for i in checklist.items]
        assert person.agency == "Andet Bureau"
    confirmations = [i["text"] for i in item_dicts(agency_items) if i["only_other_agency"]]
    assert len(confirmations) == 3 and all(t.startswith("Bureauets bekræftelse") for t in confirmations)
    assert not set(confirmations) & set(lists["ramme@example.dk"])
    assert set(confirmations) <= set(lists["andet@example.dk"])
    shared = set(lists["andet@example.dk"]) - set(confirmations)
    assert shared == set(lists["ramme@example.dk"]) and any("overgreb" in t for t in shared)


def test_without_a_framework_agency_every_agency_temp_gets_the_extra_confirmations(app, org, make_client):
    agency_items = next(items for kind, _, items in DEFAULT_TEMPLATES if kind == EmploymentType.AGENCY)
    with app.app_context():
        head_user = db.session.scalar(select(User).where(User.email == org.head))
        save_template(org.home_id, None, name="Bureau", kind=EmploymentType.AGENCY, department_id=None,
                      items=item_dicts(agency_items), actor=head_user)
        db.session.commit()
    head = login(make_client, org.head)
    _agency_temp(head, org.dep_a, "ramme@example.dk", "Vikarkompagniet")
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "ramme@example.dk"))
        texts = [i.text for i in db.session.scalar(select(Checklist).where(Checklist.user_id == person.id)).items]
    assert sum(t.startswith("Bureauets bekræftelse") for t in texts) == 3


def test_the_template_form_marks_an_item_for_other_agencies_only(app, org, make_client):
    head = login(make_client, org.head)
    response = head.post("/onboarding/templates/new", data={
        "name": "Bureau", "kind": "agency", "department_id": "0",
        "items-0-position": "1", "items-0-text": "Bureauets bekræftelse: magtregler", "items-0-completed_by": "leader",
        "items-0-is_required": "y", "items-0-only_other_agency": "y",
        "items-1-position": "2", "items-1-text": "Rundvisning", "items-1-completed_by": "self"})
    assert response.status_code == 302
    page = head.get("/onboarding/templates").get_data(as_text=True)
    assert "kun vikarer fra andet bureau end rammeaftalens" in page


def test_the_demo_temp_sees_the_homes_active_tasks_and_the_other_agency_temp_has_the_confirmations(
        app, demo, auth, client):
    auth.login("temp")
    html = client.get("/").get_data(as_text=True)
    assert NOT_ALONE in html and "Alenearbejde" in html and "Forflytning med lift" not in html
    with app.app_context():
        agency_temp = db.session.scalar(select(User).where(User.employment_type == EmploymentType.AGENCY))
        assert agency_temp.agency == "Bureau Nord" and agency_temp.home.setting("framework_agency") == "Vikarkompagniet"
        texts = [i.text for i in db.session.scalar(select(Checklist).where(Checklist.user_id == agency_temp.id)).items]
    assert sum(t.startswith("Bureauets bekræftelse") for t in texts) == 3
