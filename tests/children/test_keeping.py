"""A department leader keeps the department's children: admit, move, leave, contact team, plans, physio.
Bad input is refused with a Danish message and nothing is half-saved."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.children.models import (
    Child,
    ChildMove,
    ContactTeamMember,
    IndividualPlanUpdate,
    PhysioPlanUpdate,
    PhysioReferral,
)
from app.extensions import db
from app.people.models import User
from tests.children.conftest import TODAY
from tests.children.helpers import add_referral, add_team, login, make_child
from tests.factories import make_department, make_home


def _count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.scalar(query)


def test_leader_admits_a_child_and_the_page_says_what_not_to_enter(app, world, client):
    login(client, "leder@example.dk")
    page = client.get("/children/new").get_data(as_text=True)
    assert "skriv ikke CPR-numre, diagnoser eller sagsnotater" in page
    response = client.post("/children/new", data={"display_name": "B. J.", "reference": "2026-14",
                                                  "department_id": world.dep_id, "placement_basis": "107",
                                                  "admitted_on": "2026-06-01"})
    assert response.status_code == 302 and "/team" in response.headers["Location"]
    with app.app_context():
        child = db.session.scalar(select(Child).where(Child.display_name == "B. J."))
        assert child.placement_basis == "107" and child.department_id == world.dep_id
        assert db.session.scalar(select(AuditEntry.summary).where(AuditEntry.action == "children.admitted")) == (
            f"Barn #{child.id}")


def test_leader_cannot_admit_to_a_department_they_do_not_lead(app, world, client):
    login(client, "leder@example.dk")
    before = _count(app, Child)
    response = client.post("/children/new", data={"display_name": "C", "department_id": world.other_dep_id,
                                                  "placement_basis": "66", "admitted_on": "2026-06-01"})
    assert response.status_code == 400
    assert "Du kan kun indskrive børn i en afdeling, du er leder af." in response.get_data(as_text=True)
    assert _count(app, Child) == before


def test_contact_team_is_set_with_coordinator_and_history_kept(app, world, client):
    login(client, "leder@example.dk")
    ids = world.staff_ids
    response = client.post(f"/children/{world.child_id}/team", data={"members": ids[:2], "coordinator": ids[0]})
    assert response.status_code == 302
    response = client.post(f"/children/{world.child_id}/team", data={"members": ids[1:3], "coordinator": ids[2]})
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(ContactTeamMember).order_by(ContactTeamMember.id)).all()
        current = {(r.user_id, r.is_coordinator) for r in rows if r.is_current(TODAY)}
        assert current == {(ids[1], False), (ids[2], True)}
        ended = [r for r in rows if r.to_on == TODAY]
        assert {r.user_id for r in ended} == {ids[0]}  # the one who left the team is kept in the history
    history = client.get(f"/children/{world.child_id}/history").get_data(as_text=True)
    assert "Medarbejder 0" in history and "Koordinator" in history


@pytest.mark.parametrize(("members", "coordinator", "message"), [
    ("other_department", 0, "er ikke ansat i barnets afdeling og kan ikke være i kontaktteamet"),
    ("left", 0, "er fratrådt og kan ikke være i kontaktteamet"),
    ("temp", 0, "er vikar; kontaktteamet skal bestå af fastansatte"),
    ("one", 0, "Kontaktteamet skal have mindst 2 nuværende medarbejdere fra afdelingen."),
    ("two", None, "Vælg en koordinator blandt kontaktteamets medlemmer."),
])
def test_bad_contact_teams_are_refused(app, world, client, members, coordinator, message):
    with app.app_context():
        add_team(db.session.get(Child, world.child_id), world.staff_ids[:2])
        leaver = db.session.get(User, world.staff_ids[2])
        leaver.left_on = date(2026, 6, 1)
        db.session.commit()
    s = world.staff_ids
    chosen = {"other_department": [s[0], world.other_staff_id], "left": [s[0], s[2]], "temp": [s[0], world.temp_id],
              "one": [s[0]], "two": [s[0], s[1]]}[members]
    before = _count(app, ContactTeamMember)
    login(client, "leder@example.dk")
    data = {"members": chosen, "coordinator": chosen[0] if coordinator == 0 else 0}
    response = client.post(f"/children/{world.child_id}/team", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert _count(app, ContactTeamMember) == before
        assert db.session.scalar(select(func.count()).select_from(ContactTeamMember)
                                 .where(ContactTeamMember.to_on.is_not(None))) == 0


def test_plan_update_with_goals_and_next_follow_up(app, world, client):
    login(client, "leder@example.dk")
    data = {"updated_on": "2026-06-10", "goals-0-title": "Spise selv", "goals-0-status": "active",
            "goals-1-title": "Guidet frokost", "goals-1-status": "achieved", "goals-1-is_sub_goal": "y"}
    assert client.post(f"/children/{world.child_id}/plan", data=data).status_code == 302
    html = client.get(f"/children/{world.child_id}").get_data(as_text=True)
    assert "10. juni 2026" in html and "10. september 2026" in html  # next follow-up: 3 months later
    assert "Delmål: Guidet frokost" in html and "Nået" in html
    with app.app_context():
        update = db.session.scalar(select(IndividualPlanUpdate))
        assert update.updated_by_id == world.leader_id and len(update.goals) == 2


@pytest.mark.parametrize(("day", "message"), [
    ("2026-06-16", "Datoen for planens opdatering kan ikke ligge i fremtiden."),
    ("2025-02-28", "Datoen for planens opdatering kan ikke ligge før barnets indskrivning."),
])
def test_plan_dates_in_the_future_or_before_admission_are_refused(app, world, client, day, message):
    login(client, "leder@example.dk")
    response = client.post(f"/children/{world.child_id}/plan", data={"updated_on": day, "goals-0-title": "Mål"})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(app, IndividualPlanUpdate) == 0


def test_plan_dates_on_the_boundaries_are_accepted(app, world, client):
    login(client, "leder@example.dk")
    for day in ("2025-03-01", "2026-06-15"):
        assert client.post(f"/children/{world.child_id}/plan", data={"updated_on": day}).status_code == 302
    assert _count(app, IndividualPlanUpdate) == 2


def test_contact_team_member_may_update_the_plan_other_staff_may_not(app, world, client, make_client):
    with app.app_context():
        add_team(db.session.get(Child, world.child_id), world.staff_ids[:2])
        db.session.commit()
    member, outsider = make_client(), make_client()
    login(member, "staff0@example.dk")
    login(outsider, "staff2@example.dk")
    assert outsider.post(f"/children/{world.child_id}/plan", data={"updated_on": "2026-06-10"}).status_code == 403
    assert member.post(f"/children/{world.child_id}/plan", data={"updated_on": "2026-06-10"}).status_code == 302


def test_move_within_the_home_is_kept_as_history(app, world, client):
    login(client, "leder@example.dk")
    response = client.post(f"/children/{world.child_id}/move", data={"department_id": world.other_dep_id,
                                                                     "moved_on": "2026-06-15"})
    assert response.status_code == 302
    with app.app_context():
        move = db.session.scalar(select(ChildMove))
        assert (move.from_department_id, move.to_department_id) == (world.dep_id, world.other_dep_id)
        assert db.session.get(Child, world.child_id).department_id == world.other_dep_id
    # the leader no longer leads the child's department
    assert client.get(f"/children/{world.child_id}").status_code == 403


def test_moving_to_a_department_of_another_home_is_refused(app, world, client):
    with app.app_context():
        foreign = make_department(make_home())
        db.session.commit()
        foreign_id = foreign.id
    login(client, "leder@example.dk")
    response = client.post(f"/children/{world.child_id}/move", data={"department_id": foreign_id,
                                                                     "moved_on": "2026-06-15"})
    assert response.status_code == 400
    assert "Afdelingen hører ikke til barnets tilbud." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Child, world.child_id).department_id == world.dep_id
        assert _count(app, ChildMove) == 0


def test_leaving_is_recorded_not_deleted(app, world, client):
    login(client, "leder@example.dk")
    assert client.post(f"/children/{world.child_id}/leave", data={"left_on": "2025-02-01"}).status_code == 400
    assert client.post(f"/children/{world.child_id}/leave", data={"left_on": "2026-06-15"}).status_code == 302
    with app.app_context():
        assert db.session.get(Child, world.child_id).left_on == TODAY
    assert "Alma" not in client.get("/children/").get_data(as_text=True)
    assert "Alma" in client.get("/children/?status=left").get_data(as_text=True)
    assert client.get(f"/children/{world.child_id}").status_code == 200


def test_physio_referral_and_plan_with_default_follow_up(app, world, client):
    login(client, "leder@example.dk")
    assert client.post(f"/children/{world.child_id}/physio/new", data={"referred_on": "2026-06-01"}).status_code == 302
    with app.app_context():
        referral_id = db.session.scalar(select(PhysioReferral.id))
    url = f"/children/{world.child_id}/physio/{referral_id}/plan"
    bad = client.post(url, data={"updated_on": "2026-05-31"})
    assert bad.status_code == 400 and "kan ikke ligge før henvisningen" in bad.get_data(as_text=True)
    assert client.post(url, data={"updated_on": "2026-06-05"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PhysioPlanUpdate.next_follow_up_on)) == date(2026, 12, 5)
    end = client.post(f"/children/{world.child_id}/physio/{referral_id}/end", data={"ended_on": "2026-06-15"})
    assert end.status_code == 302


def test_physio_referral_in_the_future_is_refused(app, world, client):
    login(client, "leder@example.dk")
    response = client.post(f"/children/{world.child_id}/physio/new", data={"referred_on": "2026-06-16"})
    assert response.status_code == 400 and "kan ikke ligge i fremtiden" in response.get_data(as_text=True)
    assert _count(app, PhysioReferral) == 0


def test_another_childs_referral_is_not_found(app, world, client):
    with app.app_context():
        other = make_child(world.home_id, world.dep_id, name="Bo")
        referral = add_referral(other, date(2026, 1, 1))
        db.session.commit()
        referral_id = referral.id
    login(client, "leder@example.dk")
    assert client.get(f"/children/{world.child_id}/physio/{referral_id}/plan").status_code == 404


def test_concurrent_edits_one_wins_the_other_is_told_and_keeps_input(app, world, make_client):
    first, second = make_client(), make_client()
    login(first, "leder@example.dk")
    login(second, "chef@example.dk")
    url = f"/children/{world.child_id}/edit"
    for c in (first, second):
        assert c.get(url).status_code == 200
    with app.app_context():
        version = db.session.get(Child, world.child_id).version
    base = {"reference": "R-1", "placement_basis": "66", "admitted_on": "2025-03-01", "version": str(version)}
    assert first.post(url, data={**base, "display_name": "Alma B."}).status_code == 302
    response = second.post(url, data={**base, "display_name": "Alma C."})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "ændret af en anden" in html and 'value="Alma C."' in html
    with app.app_context():
        assert db.session.get(Child, world.child_id).display_name == "Alma B."
