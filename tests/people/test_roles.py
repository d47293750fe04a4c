"""Granting and removing roles: nobody grants a role above their own, nobody changes their own, all of it audited."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.people.constants import Role
from app.people.grants import RoleChangeRefused, change_roles, grantable_roles, may_grant
from app.people.models import Department, User
from tests.factories import make_department, make_home, make_user

ALL = {r.value for r in Role}


def _person(app, email):
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == email))
        return {"id": person.id, "name": person.name, "roles": sorted(person.roles),
                "departments": sorted(person.department_ids), "email": person.email,
                "employment_type": person.employment_type, "profession": person.profession,
                "hired_on": person.hired_on.isoformat()}


def _form(person, roles, departments=None):
    return {"name": person["name"], "email": person["email"], "employment_type": person["employment_type"],
            "profession": person["profession"], "hired_on": person["hired_on"], "left_on": "",
            "departments": departments or person["departments"], "roles": roles, "resource_functions": ""}


def _roles_of(app, person_id):
    with app.app_context():
        return db.session.get(User, person_id).roles


def _audit(app, action):
    with app.app_context():
        return [(e.object_id, e.detail.get("role"), e.actor_id) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


@pytest.mark.parametrize(("actor_roles", "grantable"), [
    ((Role.HEAD,), ALL),
    ((Role.DEPARTMENT_LEADER,), ALL - {"head"}),
    ((Role.ADMIN,), {"employee", "admin"}),
    ((Role.MINI_MED,), {"mini_med"}),
    ((Role.EMPLOYEE,), {"employee"}),
    ((Role.EMPLOYEE, Role.MINI_MED), {"employee", "mini_med"}),
    ((Role.ADMIN, Role.MINI_MED), {"employee", "admin", "mini_med"}),
])
def test_a_role_is_granted_only_by_its_holder_or_a_higher_role(app, actor_roles, grantable):
    with app.app_context():
        home = make_home()
        actor = make_user(home, [make_department(home)], roles=actor_roles)
        assert {r for r in ALL if may_grant(actor, r)} == grantable
        assert set(grantable_roles(actor, None)) == grantable
        assert grantable_roles(actor, actor) == []
        assert not may_grant(actor, "superuser")


def test_a_leader_grants_leadership_only_of_the_departments_they_lead(app):
    with app.app_context():
        home = make_home()
        own, other = make_department(home), make_department(home)
        leader = make_user(home, [own], roles=(Role.DEPARTMENT_LEADER,))
        head = make_user(home, [own], roles=(Role.HEAD,))
        assert may_grant(leader, Role.DEPARTMENT_LEADER, {own.id})
        assert not may_grant(leader, Role.DEPARTMENT_LEADER, {own.id, other.id})
        assert may_grant(head, Role.DEPARTMENT_LEADER, {other.id})
        colleague = make_user(home, [other])
        with pytest.raises(RoleChangeRefused, match="i de afdelinger, du selv leder"):
            change_roles(colleague, {"employee", "department_leader"}, {other.id}, leader)
        with pytest.raises(RoleChangeRefused, match="rollen Tilbudsleder"):
            change_roles(colleague, {"employee", "head"}, {other.id}, leader)
        same = make_user(home, [own])
        change_roles(same, {"employee", "department_leader"}, {own.id}, leader)
        assert same.roles == {"employee", "department_leader"}


def test_nobody_changes_their_own_roles_in_the_service(app):
    with app.app_context():
        home = make_home()
        head = make_user(home, [make_department(home)], roles=(Role.HEAD,))
        with pytest.raises(RoleChangeRefused, match="dine egne roller"):
            change_roles(head, {"head", "mini_med"}, head.department_ids, head)
        with pytest.raises(RoleChangeRefused, match="dine egne roller"):
            change_roles(head, set(), head.department_ids, head)
        change_roles(head, {"head"}, head.department_ids, head)  # no change is no refusal
        assert head.roles == {"head"}


def test_admin_cannot_grant_himself_head(app, demo, auth, client):
    """The security test's attack: the administrator ticks "Tilbudsleder" on his own account."""
    admin = _person(app, "admin@demo.dk")
    auth.login("admin")
    page = client.get(f"/people/{admin['id']}/edit").get_data(as_text=True)
    assert 'name="roles"' not in page and "Du kan ikke ændre dine egne roller" in page
    response = client.post(f"/people/{admin['id']}/edit", data=_form(admin, ["admin", "head"]))
    assert response.status_code == 400
    assert "Du kan ikke ændre dine egne roller." in response.get_data(as_text=True)
    assert _roles_of(app, admin["id"]) == {"admin"}
    assert _audit(app, "people.role_granted") == []
    # Without a roles field at all, his own roles stay as they are (not emptied).
    data = _form(admin, [])
    del data["roles"]
    assert client.post(f"/people/{admin['id']}/edit", data=data).status_code == 302
    assert _roles_of(app, admin["id"]) == {"admin"}


@pytest.mark.parametrize("role", ["head", "department_leader", "mini_med"])
def test_admin_cannot_grant_head_leader_or_minimed_to_others(app, demo, auth, client, role):
    maja = _person(app, "medarbejder@demo.dk")
    auth.login("admin")
    page = client.get(f"/people/{maja['id']}/edit").get_data(as_text=True)
    assert 'value="employee"' in page and f'value="{role}"' not in page
    response = client.post(f"/people/{maja['id']}/edit", data=_form(maja, ["employee", role]))
    assert response.status_code == 400
    assert "Du kan ikke give eller fjerne rollen" in response.get_data(as_text=True)
    assert _roles_of(app, maja["id"]) == {"employee"}
    # Nor at creation.
    new = dict(maja, name="Ny Person", email="ny.person@demo.dk")
    assert client.post("/people/new", data=_form(new, ["employee", role])).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "ny.person@demo.dk")) is None


def test_admin_cannot_remove_roles_he_cannot_grant(app, demo, auth, client):
    """The head's roles are not offered to the admin, and saving the head's details keeps them."""
    head = _person(app, "tilbudsleder@demo.dk")
    auth.login("admin")
    page = client.get(f"/people/{head['id']}/edit").get_data(as_text=True)
    assert 'value="head"' not in page and "forbliver uændrede: Tilbudsleder, Mini-MED-medlem" in page
    assert client.post(f"/people/{head['id']}/edit", data=_form(head, [])).status_code == 302
    assert _roles_of(app, head["id"]) == {"head", "mini_med"}


def test_admin_cannot_move_a_leader_into_another_department(app, demo, auth, client):
    """Leadership follows the departments: moving a leader is granting leadership of a department."""
    leader = _person(app, "afdelingsleder@demo.dk")
    with app.app_context():
        other = db.session.scalar(select(Department.id).where(Department.name == "Fyrtårnet"))
    auth.login("admin")
    response = client.post(f"/people/{leader['id']}/edit",
                           data=_form(leader, [], departments=[*leader["departments"], other]))
    assert response.status_code == 400
    assert "hvilke afdelinger en afdelingsleder leder" in response.get_data(as_text=True)
    assert _person(app, "afdelingsleder@demo.dk")["departments"] == leader["departments"]


def test_leader_cannot_grant_head(app, demo, auth, client):
    """A department leader manages no accounts (403), and the rule refuses head for them anyway."""
    maja = _person(app, "medarbejder@demo.dk")
    auth.login("leader")
    assert client.post(f"/people/{maja['id']}/edit", data=_form(maja, ["employee", "head"])).status_code == 403
    assert _roles_of(app, maja["id"]) == {"employee"}
    with app.app_context():
        leader = db.session.scalar(select(User).where(User.email == "afdelingsleder@demo.dk"))
        assert not may_grant(leader, Role.HEAD)


def test_head_cannot_change_own_roles(app, demo, auth, client):
    head = _person(app, "tilbudsleder@demo.dk")
    auth.login("head")
    page = client.get(f"/people/{head['id']}/edit").get_data(as_text=True)
    assert 'name="roles"' not in page
    response = client.post(f"/people/{head['id']}/edit", data=_form(head, ["head"]))
    assert response.status_code == 400 and "Du kan ikke ændre dine egne roller." in response.get_data(as_text=True)
    assert _roles_of(app, head["id"]) == {"head", "mini_med"}


def test_grant_and_removal_are_audited_and_shown_on_the_page(app, demo, auth, client):
    maja = _person(app, "medarbejder@demo.dk")
    head = _person(app, "tilbudsleder@demo.dk")
    auth.login("head")
    assert client.post(f"/people/{maja['id']}/edit", data=_form(maja, ["employee", "mini_med"])).status_code == 302
    assert _audit(app, "people.role_granted") == [(maja["id"], "mini_med", head["id"])]
    assert client.post(f"/people/{maja['id']}/edit", data=_form(maja, ["mini_med"])).status_code == 302
    assert _audit(app, "people.role_removed") == [(maja["id"], "employee", head["id"])]
    assert _roles_of(app, maja["id"]) == {"mini_med"}
    page = client.get(f"/people/{maja['id']}").get_data(as_text=True)
    assert "Rollehistorik" in page
    assert page.index("Fjernede rollen Medarbejder") < page.index("Gav rollen Mini-MED-medlem")
    assert page.count("Tove Tilbudsleder") >= 2
    # The person sees the history of their own roles too.
    auth.logout()
    auth.login("employee")
    assert "Gav rollen Mini-MED-medlem" in client.get(f"/people/{maja['id']}").get_data(as_text=True)


def test_roles_given_at_creation_are_audited_grants(app, demo, auth, client):
    maja = _person(app, "medarbejder@demo.dk")
    auth.login("admin")
    new = dict(maja, name="Ny Person", email="ny.person@demo.dk")
    assert client.post("/people/new", data=_form(new, ["employee"])).status_code == 302
    with app.app_context():
        person_id = db.session.scalar(select(User.id).where(User.email == "ny.person@demo.dk"))
    admin = _person(app, "admin@demo.dk")
    assert _audit(app, "people.role_granted") == [(person_id, "employee", admin["id"])]


def test_moving_a_leader_is_audited_per_department(app, demo, auth, client):
    leader = _person(app, "afdelingsleder@demo.dk")
    with app.app_context():
        other = db.session.scalar(select(Department.id).where(Department.name == "Fyrtårnet"))
    auth.login("head")
    response = client.post(f"/people/{leader['id']}/edit",
                           data=_form(leader, ["department_leader", "mini_med"], departments=[other]))
    assert response.status_code == 302
    with app.app_context():
        entries = {(e.action, tuple(e.detail["departments"])) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("people.role_%")))}
    assert entries == {("people.role_granted", (other,)), ("people.role_removed", tuple(leader["departments"]))}
    page = client.get(f"/people/{leader['id']}").get_data(as_text=True)
    assert "Gav rollen Afdelingsleder (Fyrtårnet)" in page and "Fjernede rollen Afdelingsleder (Skovbrynet)" in page


@pytest.mark.parametrize(("email", "admin_may"), [
    ("medarbejder@demo.dk", True), ("tilbudsleder@demo.dk", False), ("afdelingsleder@demo.dk", False),
    ("minimed@demo.dk", False),
])
def test_admin_issues_start_codes_only_for_roles_he_could_grant(app, demo, auth, client, email, admin_may):
    """A start code lets its holder log in as the person: for the head it would make the admin the head."""
    person = _person(app, email)
    with app.app_context():
        hash_before = db.session.get(User, person["id"]).password_hash
    auth.login("admin")
    page = client.get(f"/people/{person['id']}").get_data(as_text=True)
    assert ("Ny startkode" in page) is admin_may
    response = client.post(f"/people/{person['id']}/start-code", follow_redirects=True)
    assert response.status_code == (200 if admin_may else 403)
    html = response.get_data(as_text=True)
    with app.app_context():
        changed = db.session.get(User, person["id"]).password_hash != hash_before
    assert changed is admin_may
    if not admin_may:
        assert "Bed tilbudslederen om det" in html
    auth.logout()
    auth.login("head")
    assert client.post(f"/people/{person['id']}/start-code").status_code == 302
