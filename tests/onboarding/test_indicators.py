"""The three onboarding indicators, each at its boundaries, with department filter and leaving dates."""

from datetime import date, timedelta

import pytest

from app import clock
from app.extensions import db
from app.hooks import indicators
from app.onboarding.models import ChecklistItem, TempMeeting, TempMeetingAttendance
from app.onboarding.services import assign, save_template
from app.people.constants import EmploymentType
from app.people.models import Department, Home, User
from tests.conftest import counting
from tests.factories import make_user
from tests.onboarding.helpers import TODAY, build_org


def _measure(key, home_id, on, department_id=None):
    measure = next(i.measure for i in indicators() if i.key == key)
    with_home = db.session.get(Home, home_id)
    return measure(with_home, department_id, on)


@pytest.fixture
def org(app, set_today):
    set_today(TODAY)
    return build_org(app)


def _complete_all(checklist_id, on):
    for item in db.session.query(ChecklistItem).filter_by(checklist_id=checklist_id):
        item.completed_on, item.completed_at = on, clock.now()


def test_indicators_are_registered(app):
    keys = {i.key for i in indicators()}
    assert {"onboarding.new_hires_introduced", "onboarding.temps_ready", "onboarding.temp_meeting_attendance"} <= keys


@pytest.mark.parametrize(("days_before", "counted"), [(29, False), (30, True), (364, True), (365, False)])
def test_new_hires_counted_from_30_days_to_12_months(app, org, days_before, counted):
    on = TODAY
    with app.app_context():
        home = db.session.get(Home, org.home_id)
        dep = db.session.get(Department, org.dep_b)
        person = make_user(home, [dep], name="Nina Ny", hired_on=on - timedelta(days=days_before))
        db.session.commit()
        result = _measure("onboarding.new_hires_introduced", org.home_id, on, org.dep_b)
        assert result.total == (1 if counted else 0)
        if counted:
            assert result.met == 0 and result.exceptions[0][0] == "Nina Ny: ingen tjekliste"
            template = save_template(org.home_id, None, name="Nyansat", kind="permanent", department_id=None,
                                     items=[{"text": "Føl-dage", "completed_by": "leader"},
                                            {"text": "Ekstra", "is_required": False}], actor=None)
            checklist = assign(person, template, None, on - timedelta(days=days_before))
            checklist.assigned_on = person.hired_on
            db.session.commit()
            result = _measure("onboarding.new_hires_introduced", org.home_id, on, org.dep_b)
            assert (result.met, result.total) == (0, 1)
            assert result.exceptions[0][0] == "Nina Ny: 0 af 1 obligatoriske punkter"
            checklist.items[0].completed_on, checklist.items[0].completed_at = on, clock.now()
            db.session.commit()
            assert _measure("onboarding.new_hires_introduced", org.home_id, on, org.dep_b).met == 1
            assert _measure("onboarding.new_hires_introduced", org.home_id, on - timedelta(days=1),
                            org.dep_b).met == 0


def test_temps_ready_with_department_filter_and_leaving_date(app, org):
    with app.app_context():
        assert (r := _measure("onboarding.temps_ready", org.home_id, TODAY)).total == 1 and r.met == 0
        assert r.exceptions[0][0] == "Tina Vikar: 0 af 4 obligatoriske punkter"
        assert _measure("onboarding.temps_ready", org.home_id, TODAY, org.dep_b).total == 0
        _complete_all(org.checklist_id, TODAY)
        db.session.commit()
        assert (_measure("onboarding.temps_ready", org.home_id, TODAY).met,
                _measure("onboarding.temps_ready", org.home_id, TODAY - timedelta(days=1)).met) == (1, 0)
        temp = db.session.get(User, org.temp_id)
        temp.left_on = TODAY + timedelta(days=1)
        db.session.commit()
        assert _measure("onboarding.temps_ready", org.home_id, TODAY).total == 1
        temp.left_on = TODAY
        db.session.commit()
        assert _measure("onboarding.temps_ready", org.home_id, TODAY).total == 0


def test_temp_meeting_attendance(app, org):
    meeting_day = date(2026, 3, 5)
    with app.app_context():
        assert _measure("onboarding.temp_meeting_attendance", org.home_id, TODAY).total == 0
        home = db.session.get(Home, org.home_id)
        dep_a = db.session.get(Department, org.dep_a)
        absent = make_user(home, [dep_a], employment=EmploymentType.AGENCY, name="Anna Fravær",
                           hired_on=meeting_day)
        make_user(home, [dep_a], employment=EmploymentType.ON_CALL, name="Ny Efter", hired_on=meeting_day
                  + timedelta(days=1))
        meeting = TempMeeting(home_id=org.home_id, held_on=meeting_day)
        db.session.add(meeting)
        db.session.flush()
        db.session.add(TempMeetingAttendance(meeting_id=meeting.id, user_id=org.temp_id))
        db.session.commit()
        result = _measure("onboarding.temp_meeting_attendance", org.home_id, TODAY)
        assert (result.met, result.total) == (1, 2)
        assert result.exceptions == [("Anna Fravær: deltog ikke 05.03.2026", None)]
        assert _measure("onboarding.temp_meeting_attendance", org.home_id, meeting_day - timedelta(days=1)).total == 0
        absent.left_on = TODAY
        db.session.commit()
        assert (_measure("onboarding.temp_meeting_attendance", org.home_id, TODAY).total,
                _measure("onboarding.temp_meeting_attendance", org.home_id, TODAY - timedelta(days=1)).total) == (1, 2)


def test_statement_count_does_not_depend_on_who_is_met(app, org):
    """The quality report's statement count must not vary with the data: the exceptions' links are looked up
    whether anyone is listed or not."""
    def statements_for_temps_ready() -> tuple[int, int]:
        with counting(app) as count:
            result = _measure("onboarding.temps_ready", org.home_id, TODAY)
        return count[0], len(result.exceptions)

    with app.test_request_context("/quality/"):
        failing_count, failing = statements_for_temps_ready()
        _complete_all(org.checklist_id, TODAY)
        db.session.commit()
        db.session.expire_all()
        met_count, none_failing = statements_for_temps_ready()
    assert (failing, none_failing) == (1, 0)
    assert met_count == failing_count
