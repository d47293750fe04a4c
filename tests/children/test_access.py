"""Who sees which child: the matrix over every children route and the six demo roles, and the access log."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app import clock
from app.children.models import Child, ChildAccessLog, ContactTeamMember, IndividualPlanUpdate, PhysioReferral
from app.extensions import db
from app.people.models import Department, User
from tests.children.helpers import make_child
from tests.factories import make_department, make_home, make_user

ROLES = ["head", "leader", "employee", "temp", "minimed", "admin"]


def _ids(app):
    """own: a Skovbrynet child whose contact team has Maja Medarbejder; fyr: a child in Fyrtårnet whose
    contact team does not have Mona Mini-MED (who works in Fyrtårnet)."""
    with app.app_context():
        maja = db.session.scalar(select(User.id).where(User.email == "medarbejder@demo.dk"))
        skov = db.session.scalar(select(Department.id).where(Department.name == "Skovbrynet"))
        fyr = db.session.scalar(select(Department.id).where(Department.name == "Fyrtårnet"))
        today = clock.today()
        own = db.session.scalar(select(Child.id).join(ContactTeamMember).where(
            Child.department_id == skov, ContactTeamMember.user_id == maja, ContactTeamMember.to_on.is_(None))
            .order_by(Child.id).limit(1))
        mona = db.session.scalar(select(User.id).where(User.email == "minimed@demo.dk"))
        fyr_child = db.session.scalar(select(Child.id).where(
            Child.department_id == fyr, ~Child.id.in_(select(ContactTeamMember.child_id).where(
                ContactTeamMember.user_id == mona))).order_by(Child.id).limit(1))
        referral = PhysioReferral(child_id=own, referred_on=today)
        db.session.add(referral)
        db.session.commit()
        return {"own": own, "fyr": fyr_child, "ref": referral.id, "fyrdep": fyr, "skovdep": skov}


ALL = dict(head=200, leader=200, employee=200, temp=200, minimed=200, admin=403)
LEADERS = dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)
TEAM = dict(head=200, leader=200, employee=200, temp=403, minimed=403, admin=403)
HEAD = dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)

# (url, expected status per role, access-log view written when allowed or None; a list writes a row for each
# child it names)
MATRIX = [
    ("/children/", ALL, "list"),
    ("/children/new", LEADERS, None),
    ("/children/checks", LEADERS, "checks"),
    ("/children/checks?afdeling={skovdep}", LEADERS, "checks"),
    ("/children/checks?afdeling={fyrdep}", HEAD, "checks"),
    ("/children/log", LEADERS, None),
    ("/children/log?barn={own}", LEADERS, None),
    ("/children/log?barn={fyr}", HEAD, None),
    ("/children/{own}", dict(head=200, leader=200, employee=200, temp=200, minimed=403, admin=403), "page"),
    ("/children/{own}/history", TEAM, "history"),
    ("/children/{own}/edit", LEADERS, "edit"),
    ("/children/{own}/move", LEADERS, "move"),
    ("/children/{own}/leave", LEADERS, "leave"),
    ("/children/{own}/team", LEADERS, "team"),
    ("/children/{own}/plan", TEAM, "plan"),
    ("/children/{own}/physio/new", TEAM, "physio"),
    ("/children/{own}/physio/{ref}/plan", TEAM, "physio"),
    ("/children/{own}/physio/{ref}/end", TEAM, "physio"),
    ("/children/{fyr}", dict(head=200, leader=403, employee=403, temp=403, minimed=200, admin=403), "page"),
    ("/children/{fyr}/history", dict(head=200, leader=403, employee=403, temp=403, minimed=200, admin=403),
     "history"),
    ("/children/{fyr}/edit", HEAD, "edit"),
    ("/children/{fyr}/team", HEAD, "team"),
    ("/children/{fyr}/plan", HEAD, "plan"),
]


def _log_rows(app) -> list[tuple[int, int, str]]:
    with app.app_context():
        return db.session.execute(select(ChildAccessLog.child_id, ChildAccessLog.user_id, ChildAccessLog.view)
                                  .order_by(ChildAccessLog.id)).all()


@pytest.mark.parametrize("role", ROLES)
def test_children_access_matrix_and_one_log_row_per_view(app, demo, auth, client, role):
    ids = _ids(app)
    auth.login(role)
    with app.app_context():
        me = db.session.scalar(select(User.id).where(User.email == demo[role]))
    for template, expected, view in MATRIX:
        url = template.format(**ids)
        before = _log_rows(app)
        status = client.get(url).status_code
        assert status == expected[role], (role, url, status)
        after = _log_rows(app)
        if status == 200 and view in ("list", "checks"):
            assert {(user_id, shown) for _, user_id, shown in after[len(before):]} <= {(me, view)}, (role, url)
        elif status == 200 and view is not None:
            child_id = int(url.split("/")[2])
            shown = "temp" if role == "temp" and view == "page" else view
            assert after[len(before):] == [(child_id, me, shown)], (role, url)
            assert len(after) == len(before) + 1
        else:
            assert after == before, (role, url)


def test_temp_sees_only_name_department_and_handover(app, demo, auth, client):
    ids = _ids(app)
    auth.login("temp")
    html = client.get(f"/children/{ids['own']}").get_data(as_text=True)
    assert "Skovbrynet" in html and "Overlevering" in html
    assert "Intern reference" not in html and "Anbringelsesgrundlag" not in html
    # The handover names whom to ask: the child's current contact team (#17), and nothing more about them.
    with app.app_context():
        from app.children.models import ContactTeamMember
        team = [m.user.name for m in db.session.scalars(select(ContactTeamMember).where(
            ContactTeamMember.child_id == ids["own"])) if m.is_current(clock.today())]
    assert team and "Kontaktteam" in html and all(name in html for name in team)
    assert "siden " not in html.split('id="team"')[1].split("</section>")[0]
    response = client.get(f"/children/{ids['own']}/history")
    assert response.status_code == 403
    assert "Som vikar kan du kun se barnets navn, afdeling" in response.get_data(as_text=True)
    listing = client.get("/children/").get_data(as_text=True)
    assert "Overlevering af aktuel plan" in listing and "Næste opfølgning" not in listing


def test_temp_confirms_reading_the_current_plans_handover(app, demo, auth, client):
    ids = _ids(app)
    with app.app_context():
        plan_id = db.session.scalar(select(IndividualPlanUpdate.id).where(IndividualPlanUpdate.child_id == ids["own"])
                                    .order_by(IndividualPlanUpdate.updated_on.desc()).limit(1))
    auth.login("temp")
    assert "Ikke læst" in client.get("/children/").get_data(as_text=True)
    assert client.post(f"/children/{ids['own']}/handover/{plan_id}").status_code == 302
    assert client.post(f"/children/{ids['own']}/handover/{plan_id}").status_code == 302  # twice: still one row
    from app.children.models import HandoverRead
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HandoverRead)) == 1
    html = client.get(f"/children/{ids['own']}").get_data(as_text=True)
    assert "Du har læst overleveringen" in html


def test_another_homes_children_are_not_found(app, demo, auth, client):
    with app.app_context():
        home = make_home()
        department = make_department(home)
        make_user(home, [department])
        child = make_child(home.id, department.id, name="Zoltan Fremmed")
        referral = PhysioReferral(child_id=child.id, referred_on=date(2026, 1, 1))
        db.session.add(referral)
        db.session.commit()
        child_id, dep_id, ref_id = child.id, department.id, referral.id
    for role in ("head", "leader", "employee"):
        auth.login(role)
        for url in (f"/children/{child_id}", f"/children/{child_id}/history", f"/children/{child_id}/edit",
                    f"/children/{child_id}/team", f"/children/{child_id}/plan",
                    f"/children/{child_id}/physio/{ref_id}/plan", f"/children/log?barn={child_id}"):
            assert client.get(url).status_code == 404, (role, url)
        assert client.post(f"/children/{child_id}/leave", data={"left_on": "2026-01-01"}).status_code == 404
        auth.logout()
    auth.login("head")
    assert client.get(f"/children/checks?afdeling={dep_id}").status_code == 404
    assert client.get(f"/children/log?afdeling={dep_id}").status_code == 404
    assert "Zoltan Fremmed" not in client.get("/children/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ChildAccessLog)
                                 .where(ChildAccessLog.child_id == child_id)) == 0


def test_leader_reads_the_access_log_for_their_departments_children(app, demo, auth, client, make_client):
    ids = _ids(app)
    maja = make_client("employee")
    maja.get(f"/children/{ids['own']}")
    head = make_client("head")
    head.get(f"/children/{ids['fyr']}")
    auth.login("leader")
    html = client.get("/children/log").get_data(as_text=True)
    assert "Maja Medarbejder" in html and "Barnets side" in html
    assert "Tove Tilbudsleder" not in html  # the head's read was of a child in another department


def test_the_access_log_cannot_be_changed_through_the_app(app):
    """No route writes to the log except by viewing: the log page is GET only and no route deletes."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("children.")]
    log_rules = [r for r in rules if r.endpoint == "children.access_log"]
    assert log_rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in log_rules)
    assert not any("DELETE" in r.methods or "PUT" in r.methods for r in rules)


def test_staff_list_shows_only_their_own_departments_children(app, demo, auth, client):
    ids = _ids(app)
    with app.app_context():
        own_name = db.session.get(Child, ids["own"]).display_name
        fyr_name = db.session.get(Child, ids["fyr"]).display_name
    auth.login("employee")
    html = client.get("/children/").get_data(as_text=True)
    assert own_name in html and fyr_name not in html
    auth.logout()
    auth.login("head")
    html = client.get("/children/").get_data(as_text=True)
    assert own_name in html and fyr_name in html
