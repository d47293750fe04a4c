"""The rules at their boundaries: MU/LU due and overdue, the population, neuropedagogy within 3 years."""

from datetime import date

import pytest

from app.appraisals.models import LU, MU, NEURO_COMPLETED, NEURO_STARTED, NeuroRecord, Talk
from app.appraisals.status import (
    DONE,
    DUE,
    NEURO_DONE,
    NEURO_DUE,
    NEURO_FLAGGED,
    NEURO_NOT_APPLICABLE,
    NEURO_OFFERED_STATUS,
    NEURO_OK,
    OK,
    OVERDUE,
    classify,
    classify_neuro,
    count_statuses,
    neuro_status,
    status_of,
    statuses,
)
from app.extensions import db
from app.people.constants import EmploymentType, Role
from tests.factories import make_department, make_home, make_user

LAST = date(2025, 10, 1)  # 12 months later: 1 October 2026


@pytest.mark.parametrize(("on", "expected"), [
    (date(2026, 8, 31), OK),  # 31 days before: not yet due
    (date(2026, 9, 1), DUE),  # 30 days before: due
    (date(2026, 9, 30), DUE),  # the day before 12 months
    (date(2026, 10, 1), DUE),  # the day of: still within 12 months
    (date(2026, 10, 2), OVERDUE),  # the day after
])
def test_talk_is_due_then_overdue_at_twelve_months(on, expected):
    assert classify(LAST, date(2020, 1, 1), on) == expected


@pytest.mark.parametrize(("on", "expected"), [
    (date(2027, 5, 31), OK),  # hired 11 months ago: not yet in the 30-day window
    (date(2027, 6, 1), DUE),  # 30 days before the year is up
    (date(2027, 7, 1), DUE),  # hired exactly a year ago: not yet overdue
    (date(2027, 7, 2), OVERDUE),  # over a year since hiring and never had a talk
])
def test_never_had_a_talk_is_expected_within_the_guidelines_yearly_interval(on, expected):
    assert classify(None, date(2026, 7, 1), on) == expected


def test_three_months_after_hiring_is_not_overdue_by_default():
    assert classify(None, date(2026, 7, 1), date(2026, 10, 2)) == OK


@pytest.mark.parametrize(("on", "expected"), [
    (date(2026, 10, 1), DUE),  # the home's own 3 months, exactly
    (date(2026, 10, 2), OVERDUE),
])
def test_a_home_setting_shortens_the_first_talk(app, set_today, on, expected):
    set_today(on)
    with app.app_context():
        home = make_home(first_talk_months=3)
        plain = make_home()
        for h, want in ((home, expected), (plain, OK)):
            person = make_user(h, [make_department(h)], hired_on=date(2026, 7, 1))
            db.session.commit()
            assert status_of(person, MU, on).status == want
            assert count_statuses(h.id, MU, on)[OVERDUE] == (want == OVERDUE)
            assert count_statuses(h.id, MU, on)[DUE] == (want == DUE)


def test_done_this_year():
    assert classify(date(2026, 2, 1), date(2020, 1, 1), date(2026, 6, 1)) == DONE
    # The talk in February 2026 makes the next due in January 2027: within 30 days, it is due again.
    assert classify(date(2026, 2, 1), date(2020, 1, 1), date(2027, 1, 5)) == DUE


def test_leap_day_talk_is_expected_on_the_last_of_february():
    assert classify(date(2028, 2, 29), date(2020, 1, 1), date(2029, 2, 28)) == DUE
    assert classify(date(2028, 2, 29), date(2020, 1, 1), date(2029, 3, 1)) == OVERDUE


def _talk(person, kind, held_on, agreement="", completed=True, planned_on=None):
    talk = Talk(home_id=person.home_id, kind=kind, employee_id=person.id, held_on=held_on, planned_on=planned_on,
                written_agreement=agreement, is_completed=completed)
    db.session.add(talk)
    db.session.flush()
    return talk


def test_status_uses_the_latest_complete_talk(app, set_today):
    set_today(date(2026, 10, 2))
    with app.app_context():
        home = make_home()
        person = make_user(home, [make_department(home)], hired_on=date(2020, 1, 1))
        _talk(person, MU, date(2024, 10, 1))
        _talk(person, MU, LAST)
        _talk(person, MU, None, planned_on=date(2026, 10, 20))  # a planned talk does not count as held
        status = status_of(person, MU)
        assert status.status == OVERDUE and status.last_on == LAST
        assert status.planned_on == date(2026, 10, 20)
        assert status_of(person, MU, date(2026, 10, 1)).status == DUE
        # A talk held after the day asked about is ignored (the rule is `on` aware).
        _talk(person, MU, date(2026, 10, 2))
        assert status_of(person, MU).status == DONE
        assert status_of(person, MU, date(2026, 10, 1)).status == DUE


def test_lu_without_a_written_agreement_does_not_count(app, set_today):
    set_today(date(2026, 10, 2))
    with app.app_context():
        home = make_home()
        leader = make_user(home, [make_department(home)], roles=(Role.DEPARTMENT_LEADER,), hired_on=date(2020, 1, 1))
        _talk(leader, LU, LAST, agreement="Aftale om mål")
        held = _talk(leader, LU, date(2026, 9, 15), agreement="", completed=False)
        assert held.is_incomplete_lu and not held.is_complete
        assert status_of(leader, LU).status == OVERDUE
        closed_without_text = _talk(leader, LU, date(2026, 9, 20), agreement="", completed=True)
        assert not closed_without_text.is_complete
        assert status_of(leader, LU).status == OVERDUE
        held.written_agreement, held.is_completed = "Skriftlig aftale", True
        db.session.flush()
        assert held.is_complete and status_of(leader, LU).status == DONE


def test_population_leaves_out_temps_leaders_and_leavers(app, set_today):
    set_today(date(2026, 10, 2))
    with app.app_context():
        home = make_home()
        department = make_department(home)
        employee = make_user(home, [department], name="Fast")
        make_user(home, [department], name="Tilkalde", employment=EmploymentType.ON_CALL)
        make_user(home, [department], name="Bureau", employment=EmploymentType.AGENCY)
        leader = make_user(home, [department], name="Leder", roles=(Role.DEPARTMENT_LEADER,))
        make_user(home, [department], name="Chef", roles=(Role.HEAD,))
        leaving = make_user(home, [department], name="Går", left_on=date(2026, 10, 3))
        make_user(home, [department], name="Gået", left_on=date(2026, 10, 2))
        make_user(home, [department], name="Kommer", hired_on=date(2026, 11, 1))
        assert {r.person.name for r in statuses(home.id, MU)} == {"Fast", "Går"}
        assert [r.person.name for r in statuses(home.id, LU)] == ["Leder"]
        # Someone who leaves drops out on their leaving date, not before.
        assert {r.person.name for r in statuses(home.id, MU, date(2026, 10, 3))} == {"Fast"}
        assert status_of(leaving, MU, date(2026, 10, 3)) is None
        assert status_of(employee, LU) is None and status_of(leader, MU) is None
        other = make_department(home)
        assert statuses(home.id, MU, department_ids={other.id}) == []


@pytest.mark.parametrize(("on", "expected"), [
    (date(2026, 3, 31), NEURO_OK),  # more than 6 months before 3 years
    (date(2026, 4, 1), NEURO_DUE),  # 6 months before
    (date(2026, 9, 30), NEURO_DUE),  # the day before 3 years
    (date(2026, 10, 1), NEURO_DUE),  # exactly 3 years
    (date(2026, 10, 2), NEURO_FLAGGED),  # hired more than 3 years ago
])
def test_neuropedagogy_within_three_years(on, expected):
    assert classify_neuro(date(2023, 10, 1), False, on) == expected
    assert classify_neuro(date(2023, 10, 1), True, on) == NEURO_DONE


@pytest.mark.parametrize(("offered_on", "on", "expected"), [
    (date(2026, 10, 1), date(2026, 9, 30), NEURO_DUE),  # the day before 3 years: the offer lies ahead
    (date(2026, 10, 1), date(2026, 10, 1), NEURO_OFFERED_STATUS),  # offered on the last day: met
    (date(2026, 10, 1), date(2026, 10, 2), NEURO_OFFERED_STATUS),  # and it stays met after the line
    (date(2026, 10, 2), date(2026, 10, 1), NEURO_DUE),  # an offer the day after is not there yet ...
    (date(2026, 10, 2), date(2026, 10, 2), NEURO_OFFERED_STATUS),  # ... and ends the breach when made
])
def test_an_offer_fulfils_the_rule_from_its_date(offered_on, on, expected):
    assert classify_neuro(date(2023, 10, 1), False, on, offered_on) == expected


def test_neuropedagogy_status_uses_offers_steps_and_course_records(app, set_today):
    from app.competence.models import CourseCompletion

    set_today(date(2026, 10, 2))
    with app.app_context():
        home = make_home()
        department = make_department(home)
        person = make_user(home, [department], hired_on=date(2023, 10, 1), skilled=True)
        by_course = make_user(home, [department], hired_on=date(2023, 10, 1), skilled=True)
        unskilled = make_user(home, [department], hired_on=date(2015, 1, 1), skilled=False)
        temp = make_user(home, [department], hired_on=date(2015, 1, 1), employment=EmploymentType.ON_CALL)
        assert neuro_status(person) == NEURO_FLAGGED == neuro_status(by_course)
        db.session.add(NeuroRecord(home_id=home.id, user_id=person.id, status=NEURO_STARTED,
                                   happened_on=date(2025, 1, 1)))
        db.session.flush()
        assert neuro_status(person) == NEURO_OFFERED_STATUS  # started means it was offered
        assert neuro_status(person, date(2024, 12, 31)) == NEURO_OK  # not before the step's date
        db.session.add(NeuroRecord(home_id=home.id, user_id=person.id, status=NEURO_COMPLETED,
                                   happened_on=date(2026, 10, 2)))
        db.session.add(CourseCompletion(home_id=home.id, user_id=by_course.id, title="Neuropædagogik grundmodul",
                                        completed_on=date(2026, 10, 2), is_neuropedagogy=True))
        db.session.flush()
        assert neuro_status(person) == NEURO_DONE
        assert neuro_status(person, date(2026, 10, 1)) == NEURO_OFFERED_STATUS  # completed later than the day
        assert neuro_status(by_course) == NEURO_DONE  # registered only under Kurser
        assert neuro_status(by_course, date(2026, 10, 1)) == NEURO_DUE
        assert neuro_status(unskilled) == NEURO_NOT_APPLICABLE
        assert neuro_status(temp) == NEURO_NOT_APPLICABLE


@pytest.mark.parametrize(("on", "counted", "met"), [
    (date(2026, 9, 30), set(), 0),  # the day before 3 years: nobody is measured yet
    (date(2026, 10, 1), set(), 0),  # the day of: still within 3 years
    (date(2026, 10, 2), {"Tilbudt", "Kursus", "Intet"}, 2),  # the day after: measured; offered and course met
])
def test_neuropedagogy_indicator_counts_permanent_skilled_staff_at_the_line(app, set_today, on, counted, met):
    from app import hooks
    from app.competence.models import CourseCompletion

    set_today(on)
    with app.app_context():
        home = make_home()
        department = make_department(home)
        hired = date(2023, 10, 1)
        offered = make_user(home, [department], name="Tilbudt", hired_on=hired)
        course = make_user(home, [department], name="Kursus", hired_on=hired)
        make_user(home, [department], name="Intet", hired_on=hired)
        make_user(home, [department], name="Ufaglært", hired_on=hired, skilled=False)
        make_user(home, [department], name="Vikar", hired_on=hired, employment=EmploymentType.AGENCY)
        make_user(home, [department], name="Tilkalde", hired_on=hired, employment=EmploymentType.ON_CALL)
        db.session.add(NeuroRecord(home_id=home.id, user_id=offered.id, status="offered", happened_on=date(2024, 1, 1)))
        db.session.add(CourseCompletion(home_id=home.id, user_id=course.id, title="Neuropædagogik",
                                        completed_on=date(2025, 1, 1), is_neuropedagogy=True))
        db.session.commit()
        measure = {i.key: i.measure for i in hooks.indicators()}["appraisals.neuropedagogy"]
        result = measure(home, None, on)
        assert (result.met, result.total) == (met, len(counted))
        assert [name for name, _ in result.exceptions] == (["Intet"] if counted else [])
