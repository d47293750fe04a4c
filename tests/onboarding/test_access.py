"""Every onboarding route against the six demo roles, other departments and another home."""

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.onboarding.models import Checklist, ChecklistItem, ChecklistTemplate, TempMeeting
from app.onboarding.services import assign, save_template
from app.people.constants import EmploymentType, Role
from app.people.models import Department, Membership, User
from tests.factories import make_department, make_home, make_user

ROLES = ["head", "leader", "employee", "temp", "minimed", "admin"]


def _ids(app):
    with app.app_context():
        vikar = db.session.scalar(select(User.id).where(User.email == "vikar@demo.dk"))
        own = db.session.scalar(select(Checklist.id).where(Checklist.user_id == vikar))
        fyrtaarnet = db.session.scalar(
            select(Checklist.id).join(User, User.id == Checklist.user_id)
            .join(Membership, Membership.user_id == User.id).join(Department, Department.id == Membership.department_id)
            .where(Department.name == "Fyrtårnet", User.employment_type == EmploymentType.ON_CALL))
        template = db.session.scalar(select(ChecklistTemplate.id).where(ChecklistTemplate.kind == "on_call"))
        home = make_home()
        department = make_department(home)
        stranger = make_user(home, [department], employment=EmploymentType.ON_CALL)
        head = make_user(home, [department], roles=(Role.HEAD,))
        other_template = save_template(home.id, None, name="Andet hjem", kind="on_call", department_id=None,
                                       items=[{"text": "Punkt", "completed_by": "self"}], actor=head)
        other_list = assign(stranger, other_template, head, clock.today())
        db.session.commit()
        return {"own": own, "fyr": fyrtaarnet, "tpl": template, "other_tpl": other_template.id,
                "other_list": other_list.id, "other_item": other_list.items[0].id}


# (url, expected status per role: head, leader, employee, temp, minimed, admin)
MATRIX = [
    ("/onboarding/", dict(head=302, leader=302, employee=302, temp=302, minimed=302, admin=302)),
    ("/onboarding/mine", dict(head=200, leader=200, employee=200, temp=200, minimed=200, admin=200)),
    ("/onboarding/overview", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/onboarding/assign", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/onboarding/templates", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/onboarding/templates/new", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/onboarding/templates/{tpl}/edit", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/onboarding/meetings", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/onboarding/checklists/{own}", dict(head=200, leader=200, employee=403, temp=200, minimed=403, admin=403)),
    ("/onboarding/checklists/{fyr}", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/onboarding/checklists/{other_list}", dict(head=404, leader=404, employee=404, temp=404, minimed=404,
                                                 admin=404)),
    ("/onboarding/templates/{other_tpl}/edit", dict(head=404, leader=404, employee=404, temp=404, minimed=404,
                                                    admin=404)),
    ("/onboarding/overview?afdeling=999999", dict(head=404, leader=404, employee=403, temp=403, minimed=403,
                                                  admin=403)),
]


@pytest.mark.parametrize("role", ROLES)
def test_onboarding_access_matrix(app, demo, auth, client, role):
    ids = _ids(app)
    auth.login(role)
    for template, expected in MATRIX:
        url = template.format(**ids)
        assert client.get(url).status_code == expected[role], (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_writes_to_another_homes_objects_are_not_found(app, demo, auth, client, role):
    ids = _ids(app)
    auth.login(role)
    assert client.post(f"/onboarding/checklists/{ids['other_list']}/items/{ids['other_item']}").status_code == 404
    assert client.post(f"/onboarding/templates/{ids['other_tpl']}/retire", data={"retire": "1"}).status_code == 404
    assert client.post(f"/onboarding/templates/{ids['other_tpl']}/delete").status_code == 404
    with app.app_context():
        assert db.session.get(ChecklistTemplate, ids["other_tpl"]).is_retired is False


@pytest.mark.parametrize(("role", "status"), [("head", 302), ("leader", 403), ("employee", 403), ("temp", 403),
                                              ("minimed", 403), ("admin", 403)])
def test_only_the_head_retires_a_home_template(app, demo, auth, client, role, status):
    ids = _ids(app)
    auth.login(role)
    assert client.post(f"/onboarding/templates/{ids['tpl']}/retire", data={"retire": "1"}).status_code == status


@pytest.mark.parametrize(("role", "status"), [("head", 302), ("leader", 302), ("employee", 403), ("temp", 403),
                                              ("minimed", 403), ("admin", 403)])
def test_only_leaders_record_temp_meetings(app, demo, auth, client, role, status):
    auth.login(role)
    response = client.post("/onboarding/meetings", data={"held_on": clock.today().isoformat(), "department_id": "0"})
    assert response.status_code == status
    with app.app_context():
        assert db.session.scalar(select(func.count(TempMeeting.id)).where(TempMeeting.held_on == clock.today())) == (
            1 if status == 302 else 0)


def test_menu_entry_for_leaders_temps_and_recent_hires(app, demo, auth, client):
    for role, shown in [("temp", True), ("leader", True), ("head", True), ("employee", False), ("admin", False)]:
        auth.login(role)
        html = client.get("/").get_data(as_text=True)
        assert ('href="/onboarding/"' in html) is shown, role
        auth.logout()


def test_csrf_is_required_to_tick(app, demo, auth, client):
    ids = _ids(app)
    auth.login("temp")
    with app.app_context():
        item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.checklist_id == ids["own"],
                                                             ChecklistItem.completed_at.is_(None),
                                                             ChecklistItem.completed_by == "self"))
        item_id = item.id
    response = client.post(f"/onboarding/checklists/{ids['own']}/items/{item_id}", data={}, csrf=False)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(ChecklistItem, item_id).completed_at is None
