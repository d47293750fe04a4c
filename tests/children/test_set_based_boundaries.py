"""The set-based checks and follow-up tasks (aggregates, EXISTS, LEAD in SQL) against the rules written out in
Python over the same rows, on the days around each boundary: the follow-up day before/of/after, a plan update on
the follow-up day itself, the task window's first and last day, a referral ending on the follow-up day."""

from datetime import date, timedelta

import pytest

from app import clock
from app.children.models import PhysioPlanUpdate
from app.children.services import SOON_DAYS, check_children
from app.extensions import db
from app.hooks import tasks_for_home
from app.people.models import Home
from tests.children.helpers import add_plan, add_referral, add_team, build_world, make_child

FOLLOW_UP = date(2026, 6, 1)  # plan 1 March + 3 months; the physio plan's follow-up day too


def _expected(next_on: date, on: date) -> tuple[bool, bool]:
    """(gap, due soon) as the rule reads: past the day is a gap; on it or 14 days before it is due soon."""
    return next_on < on, on <= next_on and (next_on - on).days <= SOON_DAYS


@pytest.mark.parametrize("on", [FOLLOW_UP - timedelta(days=SOON_DAYS + 1), FOLLOW_UP - timedelta(days=SOON_DAYS),
                                FOLLOW_UP - timedelta(days=1), FOLLOW_UP, FOLLOW_UP + timedelta(days=1)])
def test_physio_and_plan_follow_ups_around_the_day(app, on):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        add_plan(child, date(2026, 3, 1))
        referral = add_referral(child, date(2026, 1, 5), date(2026, 1, 10), date(2026, 2, 1))
        # A later plan of the same referral supersedes the first; one made after `on` does not count yet.
        db.session.add(PhysioPlanUpdate(referral_id=referral.id, updated_on=date(2026, 3, 1),
                                        next_follow_up_on=FOLLOW_UP))
        db.session.add(PhysioPlanUpdate(referral_id=referral.id, updated_on=FOLLOW_UP + timedelta(days=2),
                                        next_follow_up_on=date(2026, 12, 1)))
        db.session.flush()
        check = check_children([child], on)[child.id]
        gap, soon = _expected(FOLLOW_UP, on)
        assert ("plan_overdue" in [g.code for g in check.gaps]) is gap
        assert ("physio_overdue" in [g.code for g in check.gaps]) is gap
        assert ("plan_soon" in [g.code for g in check.soon]) is soon
        assert ("physio_soon" in [g.code for g in check.soon]) is soon
        assert [g.due_on for g in check.gaps + check.soon] == ([FOLLOW_UP, FOLLOW_UP] if gap or soon else [])


@pytest.mark.parametrize("member_to", [FOLLOW_UP, FOLLOW_UP + timedelta(days=1)])
def test_a_member_who_moved_department_counts_on_the_day_as_stored(app, member_to):
    """'Still in the department' is an EXISTS on the membership; the team place ends on its to_on day."""
    from app.children.models import ContactTeamMember
    from app.people.models import Membership

    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        add_plan(child, date(2026, 5, 1))
        member = db.session.query(ContactTeamMember).filter_by(user_id=w.staff_ids[1]).one()
        member.to_on = member_to
        db.session.query(Membership).filter_by(user_id=w.staff_ids[1], department_id=w.dep_id).delete()
        db.session.flush()
        codes = [g.code for g in check_children([child], FOLLOW_UP)[child.id].gaps]
        if member_to == FOLLOW_UP:  # off the team that day: too small a team, not a moved member
            assert codes == ["team_small"]
        else:
            assert codes == ["member_moved", "team_small"]


def _children_tasks(home, start, end):
    return {t.uid: t for t in tasks_for_home(home, start, end) if t.source == "children"}


@pytest.mark.parametrize(("start", "end", "listed"), [
    (FOLLOW_UP + timedelta(days=1), FOLLOW_UP + timedelta(days=30), False),  # window starts the day after
    (FOLLOW_UP, FOLLOW_UP, True),                                            # the day itself is the window
    (FOLLOW_UP - timedelta(days=30), FOLLOW_UP - timedelta(days=1), False),  # window ends the day before
])
def test_follow_up_tasks_on_the_window_edges(app, set_today, start, end, listed):
    set_today(date(2026, 5, 1))
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        plan = add_plan(child, date(2026, 3, 1))
        referral = add_referral(child, date(2026, 1, 5), date(2026, 3, 1), FOLLOW_UP)
        physio_id = db.session.query(PhysioPlanUpdate.id).filter_by(referral_id=referral.id).scalar()
        tasks = _children_tasks(db.session.get(Home, w.home_id), start, end)
        assert (f"children-plan-{plan.id}" in tasks) is listed
        assert (f"children-physio-{physio_id}" in tasks) is listed


@pytest.mark.parametrize(("later_on", "ended_on", "done", "note"), [
    (None, None, False, ""),
    (FOLLOW_UP, None, True, "Planen blev opdateret 1. juni 2026"),     # updated on the follow-up day
    (None, FOLLOW_UP, True, "Henvisningen er afsluttet"),              # referral ends on the day
    (None, FOLLOW_UP + timedelta(days=1), False, ""),                  # ends the day after
])
def test_follow_up_task_done_by_the_next_update_or_the_referral_ending(app, set_today, later_on, ended_on, done,
                                                                       note):
    set_today(date(2026, 5, 1))
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        plan = add_plan(child, date(2026, 3, 1))
        referral = add_referral(child, date(2026, 1, 5), date(2026, 3, 1), FOLLOW_UP)
        physio_id = db.session.query(PhysioPlanUpdate.id).filter_by(referral_id=referral.id).scalar()
        if later_on:
            add_plan(child, later_on)
            db.session.add(PhysioPlanUpdate(referral_id=referral.id, updated_on=later_on,
                                            next_follow_up_on=clock.add_months(later_on, 3)))
        referral.ended_on = ended_on
        db.session.flush()
        tasks = _children_tasks(db.session.get(Home, w.home_id), date(2026, 5, 1), date(2026, 6, 30))
        physio = tasks[f"children-physio-{physio_id}"]
        assert (physio.is_done, physio.done_note) == (done, note)
        assert tasks[f"children-plan-{plan.id}"].is_done is (later_on is not None)
