"""Follow-up dates as tasks for the coordinator and the leader; indicators from the same gap rules; demo data."""

from datetime import date

from sqlalchemy import func, select

from app.children.models import Child, PhysioPlanUpdate
from app.extensions import db
from app.hooks import indicators, tasks_for_home, tasks_for_user
from app.people.models import Home, User
from tests.children.helpers import add_plan, add_referral, add_team, build_world, make_child

ON = date(2026, 6, 15)


def _children_tasks(home, start, end):
    return [t for t in tasks_for_home(home, start, end) if t.source == "children"]


def test_plan_and_physio_follow_ups_are_tasks_for_coordinator_and_leader(app, set_today):
    set_today(ON)
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id, name="Alma")
        add_team(child, w.staff_ids[:2])  # staff 0 coordinates
        plan = add_plan(child, date(2026, 5, 1))
        add_referral(child, date(2026, 2, 1), date(2026, 3, 1), date(2026, 7, 1))
        home = db.session.get(Home, w.home_id)
        tasks = _children_tasks(home, date(2026, 6, 1), date(2026, 12, 31))
        by_uid = {t.uid: t for t in tasks}
        plan_task = by_uid[f"children-plan-{plan.id}"]
        assert plan_task.due_on == date(2026, 8, 1) and not plan_task.is_done
        # The child is the task's subject, not part of the title every viewer's cache shares.
        assert "Alma" not in plan_task.title and (plan_task.subject_kind, plan_task.subject_id) == ("child", child.id)
        assert plan_task.user_ids == frozenset({w.staff_ids[0], w.leader_id})
        physio_id = db.session.scalar(select(PhysioPlanUpdate.id))
        assert by_uid[f"children-physio-{physio_id}"].due_on == date(2026, 7, 1)
        coordinator = db.session.get(User, w.staff_ids[0])
        other = db.session.get(User, w.staff_ids[1])
        assert {t.uid for t in tasks_for_user(coordinator, date(2026, 6, 1), date(2026, 12, 31))} >= set(by_uid)
        assert not [t for t in tasks_for_user(other, date(2026, 6, 1), date(2026, 12, 31)) if t.source == "children"]
        # stable across runs
        assert [t.uid for t in _children_tasks(home, date(2026, 6, 1), date(2026, 12, 31))] == [t.uid for t in tasks]


def test_an_updated_plan_marks_the_earlier_follow_up_done(app, set_today):
    set_today(ON)
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        first = add_plan(child, date(2026, 1, 10))
        second = add_plan(child, date(2026, 4, 5))
        home = db.session.get(Home, w.home_id)
        tasks = {t.uid: t for t in _children_tasks(home, date(2026, 1, 1), date(2026, 12, 31))}
        assert tasks[f"children-plan-{first.id}"].is_done and tasks[f"children-plan-{first.id}"].due_on == date(
            2026, 4, 10)
        assert not tasks[f"children-plan-{second.id}"].is_done
        # without a coordinator the leader still gets it
        assert tasks[f"children-plan-{second.id}"].user_ids == frozenset({w.leader_id})


def test_a_child_who_left_gets_no_follow_up_task_after_leaving(app, set_today):
    set_today(ON)
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id, left_on=date(2026, 7, 1))
        add_plan(child, date(2026, 5, 1))
        home = db.session.get(Home, w.home_id)
        assert _children_tasks(home, date(2026, 6, 1), date(2026, 12, 31)) == []


def _indicator(key):
    return next(i for i in indicators() if i.key == key)


def test_indicators_use_the_gap_rules_with_display_names_as_exceptions(app):
    with app.app_context():
        w = build_world()
        ok = make_child(w.home_id, w.dep_id, name="Alma")
        add_team(ok, w.staff_ids[:2])
        add_plan(ok, date(2026, 5, 1))
        add_referral(ok, date(2026, 1, 1), date(2026, 5, 1))
        lacking = make_child(w.home_id, w.other_dep_id, name="Bo")
        add_team(lacking, [w.other_staff_id])
        add_plan(lacking, date(2026, 1, 1))
        add_referral(lacking, date(2026, 1, 1))
        make_child(w.home_id, w.dep_id, name="Cille", left_on=ON)  # left: drops out that day
        home = db.session.get(Home, w.home_id)
        team = _indicator("children.contact_team").measure(home, None, ON)
        assert (team.met, team.total) == (1, 2)
        assert team.exceptions == [("Bo", "Kontaktteamet har 1 nuværende medarbejder(e); mindst 2")]
        plan = _indicator("children.individual_plan").measure(home, None, ON)
        assert (plan.met, plan.total) == (1, 2)
        assert plan.exceptions == [("Bo", "Individuel plan skulle være fulgt op 1. april 2026")]
        physio = _indicator("children.physio_plan").measure(home, None, ON)
        assert (physio.met, physio.total, physio.share) == (1, 2, 50.0)
        only_dep = _indicator("children.contact_team").measure(home, w.dep_id, ON)
        assert (only_dep.met, only_dep.total, only_dep.exceptions) == (1, 1, [])
        assert _indicator("children.contact_team").measure(home, None, ON.replace(day=14)).total == 3


def test_demo_home_has_about_twelve_children_with_a_mix_of_gaps(app, demo):
    from app.children.services import summary_for

    with app.app_context():
        home = db.session.scalar(select(Home))
        assert db.session.scalar(select(func.count()).select_from(Child)) == 12
        summary = summary_for(home.id, __import__("app").clock.today())
        codes = {g.code for c in summary.checks for g in c.gaps}
        assert {"no_team", "no_plan", "plan_overdue", "physio_no_plan", "member_left"} <= codes
        assert 0 < summary.ok < summary.total and summary.due_soon


def test_the_three_indicators_read_one_summary_and_see_a_write_after_it(app, set_today):
    """The report measures contact team, plan and physio in turn: the checks are computed once for the three, and
    a write in between (flushed) is seen by the next one."""
    from tests.conftest import counting

    set_today(ON)
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        home = db.session.get(Home, w.home_id)
        measure = {i.key: i.measure for i in indicators()}
        with counting(app) as once:
            measure["children.contact_team"](home, None, ON)
        with counting(app) as again:
            assert measure["children.individual_plan"](home, None, ON).met == 0
            assert measure["children.physio_plan"](home, None, ON).total == 0
        assert once[0] > 0 and again[0] == 0, (once[0], again[0])
        add_plan(child, date(2026, 5, 1))
        assert measure["children.individual_plan"](home, None, ON).met == 1
