"""The demo data: templates in every home, mixed progress, two temp meetings with attendance."""

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.onboarding.models import Checklist, ChecklistTemplate, TempMeeting, TempMeetingAttendance
from app.onboarding.services import checklists_for, readiness
from app.people.models import Home, User


def test_demo_home_ships_templates_and_a_partly_done_temp(app, demo, auth, client):
    with app.app_context():
        kinds = db.session.scalars(select(ChecklistTemplate.kind).order_by(ChecklistTemplate.kind)).all()
        assert kinds == ["agency", "on_call", "permanent"]
        vikar = db.session.scalar(select(User).where(User.email == "vikar@demo.dk"))
        (checklist,) = checklists_for([vikar.id])[vikar.id]
        assert 0 < checklist.done_count < len(checklist.items)
        meetings = db.session.scalars(select(TempMeeting)).all()
        assert len(meetings) == 2 and all(m.held_on > clock.today() - timedelta(days=366) for m in meetings)
        assert db.session.scalar(select(func.count()).select_from(TempMeetingAttendance)) > 0
        temps = db.session.scalars(select(User.id).where(User.employment_type != "permanent")).all()
        ready = readiness(temps)
        assert set(ready.values()) == {True, False}, "the demo has temps with the introduction both completed and not"
    auth.login("temp")
    assert "Min introduktion" in client.get("/").get_data(as_text=True)


def test_region_scale_demo_has_onboarding_in_every_home(app, runner):
    result = runner.invoke(args=["demo", "--scale", "region"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        homes = db.session.scalar(select(func.count(Home.id)))
        assert db.session.scalar(select(func.count(ChecklistTemplate.id))) == 3 * homes
        assert db.session.scalar(select(func.count(func.distinct(Checklist.home_id)))) == homes
        assert db.session.scalar(select(func.count(func.distinct(TempMeeting.home_id)))) == homes
