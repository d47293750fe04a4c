"""Temp meetings: recording, the event for the årshjul, and flagging temps who missed the last one."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import signals
from app.extensions import db
from app.onboarding.models import TempMeeting
from app.onboarding.services import missed_last_meeting
from app.people.constants import EmploymentType
from app.people.models import Department, Home, User
from tests.factories import make_user
from tests.onboarding.helpers import HIRED, TODAY, build_org, login

MEETING_DAY = date(2026, 3, 5)


@pytest.fixture
def org(app, set_today):
    set_today(TODAY)
    return build_org(app)


def _add_temp(app, org, hired_on, name, department="a"):
    with app.app_context():
        home = db.session.get(Home, org.home_id)
        dep = db.session.get(Department, org.dep_a if department == "a" else org.dep_b)
        person = make_user(home, [dep], employment=EmploymentType.ON_CALL, name=name, hired_on=hired_on)
        db.session.commit()
        return person.id


def test_leader_records_a_meeting_and_the_event_fulfils_the_duty(app, org, make_client):
    seen = []

    @signals.temp_meeting_held.connect
    def remember(_sender, /, **payload):
        seen.append(payload)

    leader = login(make_client, org.leader_a)
    assert leader.get("/onboarding/meetings").status_code == 200
    response = leader.post("/onboarding/meetings", data={"held_on": MEETING_DAY.isoformat(), "department_id": "0",
                                                         "attendees": [org.temp_id], "note": "Magtanvendelse"})
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(select(TempMeeting))
        assert meeting.held_on == MEETING_DAY and [a.id for a in meeting.attendees] == [org.temp_id]
    assert {"home_id": org.home_id, "on": MEETING_DAY, "year": 2026, "department_id": None} in seen
    page = leader.get("/onboarding/meetings").get_data(as_text=True)
    assert "05.03.2026" in page and "Tina Vikar" in page  # the table of meetings
    assert "Vikarmødet den 5. marts 2026 er registreret" in page  # running text: the flash


@pytest.mark.parametrize(("held_on", "message"), [
    (TODAY, None),
    (TODAY + timedelta(days=1), "Datoen kan ikke ligge i fremtiden."),
    (TODAY - timedelta(days=732), None),
    (TODAY - timedelta(days=733), "Vikarmøder kan registreres op til to år tilbage."),
])
def test_a_meeting_is_recorded_once_held_and_not_too_far_back(app, org, make_client, held_on, message):
    leader = login(make_client, org.leader_a)
    response = leader.post("/onboarding/meetings", data={"held_on": held_on.isoformat(), "department_id": "0"})
    assert response.status_code == (400 if message else 302)
    if message:
        assert message in response.get_data(as_text=True)


def test_the_same_meeting_twice_is_refused(app, org, make_client):
    leader = login(make_client, org.leader_a)
    data = {"held_on": MEETING_DAY.isoformat(), "department_id": "0"}
    assert leader.post("/onboarding/meetings", data=data).status_code == 302
    again = leader.post("/onboarding/meetings", data=data)
    assert again.status_code == 400 and "Der er allerede registreret et vikarmøde" in again.get_data(as_text=True)


def test_attendee_must_have_been_employed_on_the_day(app, org, make_client):
    late = _add_temp(app, org, MEETING_DAY + timedelta(days=1), "Sen Vikar")
    leader = login(make_client, org.leader_a)
    response = leader.post("/onboarding/meetings", data={"held_on": MEETING_DAY.isoformat(), "department_id": "0",
                                                         "attendees": [late]})
    assert response.status_code == 400
    assert "Deltagerne skal være vikarer i tilbuddet, som var ansat på mødedagen." in response.get_data(as_text=True)


def test_leader_cannot_record_for_another_department(app, org, make_client):
    leader = login(make_client, org.leader_b)
    response = leader.post("/onboarding/meetings", data={"held_on": MEETING_DAY.isoformat(),
                                                         "department_id": str(org.dep_a)})
    assert response.status_code == 400  # not among the leader's departments
    with app.app_context():
        assert db.session.scalar(select(TempMeeting)) is None


def test_missed_last_meeting_is_flagged_for_temps_employed_on_the_day(app, org, make_client):
    on_day = _add_temp(app, org, MEETING_DAY, "Hired On Day")
    after = _add_temp(app, org, MEETING_DAY + timedelta(days=1), "Hired After")
    leader = login(make_client, org.leader_a)
    leader.post("/onboarding/meetings", data={"held_on": MEETING_DAY.isoformat(), "department_id": "0",
                                              "attendees": [org.temp_id]})
    with app.app_context():
        people = db.session.scalars(select(User).where(User.id.in_([org.temp_id, on_day, after]))).all()
        missed = missed_last_meeting(org.home_id, people, TODAY)
    assert set(missed) == {on_day}
    temp = login(make_client, "temp@example.dk")
    assert "Du deltog ikke i det seneste vikarmøde" not in temp.get("/").get_data(as_text=True)
    html = leader.get("/").get_data(as_text=True)
    assert "Hired On Day" in html and "Manglede vikarmødet 5. marts 2026" in html


def test_temp_sees_own_missed_meeting_and_a_later_meeting_clears_it(app, org, make_client):
    leader = login(make_client, org.leader_a)
    leader.post("/onboarding/meetings", data={"held_on": MEETING_DAY.isoformat(), "department_id": "0"})
    temp = login(make_client, org.temp)
    assert "Du deltog ikke i det seneste vikarmøde (5. marts 2026)" in temp.get("/").get_data(as_text=True)
    leader.post("/onboarding/meetings", data={"held_on": TODAY.isoformat(), "department_id": str(org.dep_a),
                                              "attendees": [org.temp_id]})
    assert "Du deltog ikke i det seneste vikarmøde" not in temp.get("/").get_data(as_text=True)


def test_a_department_meeting_does_not_count_for_other_departments(app, org, make_client):
    other = _add_temp(app, org, HIRED, "Bo Fyrtårn", department="b")
    leader = login(make_client, org.leader_a)
    leader.post("/onboarding/meetings", data={"held_on": MEETING_DAY.isoformat(), "department_id": str(org.dep_a)})
    with app.app_context():
        people = db.session.scalars(select(User).where(User.id.in_([org.temp_id, other]))).all()
        assert set(missed_last_meeting(org.home_id, people, TODAY)) == {org.temp_id}
