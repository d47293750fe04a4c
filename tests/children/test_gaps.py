"""The gap rules, at their boundaries, and the constant number of queries they need."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app import cache
from app.children.services import check_children, child_gaps, summary_for
from app.extensions import db
from app.people.models import Department, User
from tests.children.helpers import add_plan, add_referral, add_team, build_world, make_child

ON = date(2026, 6, 15)


def _codes(child, on=ON):
    return [g.code for g in child_gaps([child], on)[child.id]]


def test_a_child_with_team_current_plan_and_no_referral_has_no_gap(app):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        add_plan(child, date(2026, 5, 1))
        assert _codes(child) == []


def test_no_team_and_no_plan(app):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        gaps = child_gaps([child], ON)[child.id]
        assert [g.code for g in gaps] == ["no_team", "no_plan"]
        assert gaps[0].reason == "Intet kontaktteam" and gaps[1].reason == "Ingen individuel plan"


def test_team_below_the_home_minimum(app):
    with app.app_context():
        w = build_world(contact_team_min=3)
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        add_plan(child, date(2026, 5, 1))
        gaps = child_gaps([child], ON)[child.id]
        assert [g.code for g in gaps] == ["team_small"]
        assert "mindst 3" in gaps[0].reason
        add_team(child, w.staff_ids[2:3])
        assert _codes(child) == []


def test_member_who_has_left_counts_from_the_leaving_day(app):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:3])
        add_plan(child, date(2026, 5, 1))
        leaver = db.session.get(User, w.staff_ids[2])
        leaver.left_on = ON
        assert _codes(child, ON - timedelta(days=1)) == []
        assert _codes(child, ON) == ["member_left"]
        assert "Medarbejder 2 i kontaktteamet er fratrådt" in child_gaps([child], ON)[child.id][0].reason


def test_member_who_changed_department_or_is_a_temp(app):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, [*w.staff_ids[:2], w.temp_id])
        add_plan(child, date(2026, 5, 1))
        assert _codes(child) == ["member_temp"]
        mover = db.session.get(User, w.staff_ids[1])
        mover.departments = [db.session.get(Department, w.other_dep_id)]
        db.session.flush()
        assert _codes(child) == ["member_moved", "member_temp", "team_small"]


def test_coordinator_who_left_leaves_the_team_without_coordinator(app):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:3])
        add_plan(child, date(2026, 5, 1))
        db.session.get(User, w.staff_ids[0]).left_on = date(2026, 6, 1)
        assert _codes(child) == ["member_left", "no_coordinator"]


def test_a_member_whose_membership_ended_is_not_on_the_team(app):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        add_plan(child, date(2026, 5, 1))
        from app.children.models import ContactTeamMember
        member = db.session.query(ContactTeamMember).filter_by(user_id=w.staff_ids[1]).one()
        member.to_on = ON
        assert _codes(child, ON - timedelta(days=1)) == []
        assert _codes(child, ON) == ["team_small"]


@pytest.mark.parametrize(("on", "overdue", "soon"), [
    (date(2026, 5, 17), False, False),  # 15 days before the follow-up day
    (date(2026, 5, 18), False, True),   # 14 days before: due soon
    (date(2026, 6, 1), False, True),    # the follow-up day itself
    (date(2026, 6, 2), True, False),    # the day after: overdue
])
def test_plan_follow_up_boundaries(app, on, overdue, soon):
    """Last update 1 March + 3 months = follow-up 1 June."""
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        add_plan(child, date(2026, 3, 1))
        check = check_children([child], on)[child.id]
        assert check.plan_next_on == date(2026, 6, 1)
        assert ("plan_overdue" in [g.code for g in check.gaps]) is overdue
        assert ("plan_soon" in [g.code for g in check.soon]) is soon
        if overdue:
            assert check.gaps[0].reason == "Individuel plan skulle være fulgt op 1. juni 2026"


def test_plan_interval_is_a_home_setting_and_clamps_month_ends(app):
    with app.app_context():
        w = build_world(plan_interval_months=1)
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        add_plan(child, date(2026, 1, 31))
        check = check_children([child], date(2026, 2, 28))[child.id]
        assert check.plan_next_on == date(2026, 2, 28) and not check.gaps
        assert _codes(child, date(2026, 3, 1)) == ["plan_overdue"]


def test_physio_referral_without_plan_and_past_follow_up(app):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id)
        add_team(child, w.staff_ids[:2])
        add_plan(child, date(2026, 5, 1))
        referral = add_referral(child, date(2026, 1, 10))
        assert _codes(child) == ["physio_no_plan"]
        from app.children.models import PhysioPlanUpdate
        db.session.add(PhysioPlanUpdate(referral_id=referral.id, updated_on=date(2026, 1, 20),
                                        next_follow_up_on=date(2026, 6, 14)))
        db.session.flush()
        assert _codes(child, date(2026, 6, 14)) == []
        assert _codes(child, date(2026, 6, 15)) == ["physio_overdue"]
        referral.ended_on = date(2026, 6, 15)
        assert _codes(child, date(2026, 6, 15)) == []


def test_a_child_who_left_drops_out_on_the_leaving_day(app):
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id, left_on=ON)
        assert child.id in child_gaps([child], ON - timedelta(days=1))
        assert child.id not in child_gaps([child], ON)
        assert summary_for(w.home_id, ON).total == 0
        assert summary_for(w.home_id, ON - timedelta(days=1)).total == 1


def test_summary_counts_share_of_children_without_gaps(app):
    with app.app_context():
        w = build_world()
        for n in range(3):
            child = make_child(w.home_id, w.dep_id, name=f"Barn {n}")
            add_team(child, w.staff_ids[:2])
            if n:
                add_plan(child, date(2026, 5, 1))
        summary = summary_for(w.home_id, ON)
        assert (summary.ok, summary.total, summary.share) == (2, 3, 66.7)


def _count_queries(func):
    count = [0]

    def counter(*args, **kwargs):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        func()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count[0]


def _populate(w, n, start):
    extra = [db.session.get(User, i) for i in w.staff_ids]
    for k in range(start, start + n):
        child = make_child(w.home_id, w.dep_id if k % 2 else w.other_dep_id, name=f"Barn {k}")
        add_team(child, [extra[k % 3].id, extra[(k + 1) % 3].id])
        if k % 3:
            add_plan(child, date(2026, 1 + k % 5, 1))
        if k % 4 == 0:
            add_referral(child, date(2026, 1, 5), date(2026, 2, 1) if k % 8 else None)


def test_checks_need_the_same_number_of_queries_for_n_and_3n_children(app):
    with app.app_context():
        w = build_world()
        _populate(w, 5, 0)
        db.session.commit()
        db.session.expunge_all()
        small = _count_queries(lambda: summary_for(w.home_id, ON))
        _populate(w, 10, 5)
        db.session.commit()
        db.session.expunge_all()
        large = _count_queries(lambda: summary_for(w.home_id, ON))
        assert summary_for(w.home_id, ON).total == 15
        assert small == large


def test_checks_page_query_count_does_not_grow_with_children(app, client):
    from tests.children.helpers import login

    with app.app_context():
        w = build_world()
        _populate(w, 6, 0)
        db.session.commit()
    login(client, "chef@example.dk")
    client.get("/children/checks")
    with app.app_context():
        engine = db.engine
    counted = [0]

    def counter(*args, **kwargs):
        counted[0] += 1

    event.listen(engine, "before_cursor_execute", counter)
    try:
        cache.clear()  # compare two pages computed afresh, not one served from the cache
        assert client.get("/children/checks").status_code == 200
        small = counted[0]
        with app.app_context():
            _populate(w, 12, 6)
            db.session.commit()
        counted[0] = 0
        html = client.get("/children/checks").get_data(as_text=True)
        large = counted[0]
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    assert "af 18</strong> børn" in html
    assert small == large
