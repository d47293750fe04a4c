"""Marking duties done: by hand (who and when, undo with history) and automatically by the app's events."""

from datetime import date

from sqlalchemy import select

from app import signals
from app.audit.models import AuditEntry
from app.cycle.models import TaskCompletion
from app.cycle.services import guideline_tasks
from app.extensions import db
from app.people.models import Home
from tests.cycle.helpers import duties


def _uid(people, key, dep=0, due="2026-10-31"):
    return f"cycle-{people.home}-testaarshjul-{key}-{dep}-{due}"


def _tasks(app, people, year=2026):
    with app.app_context():
        home = db.session.get(Home, people.home)
        return {t.uid: t for t in guideline_tasks(home, date(year, 1, 1), date(year, 12, 31))}


def test_leader_marks_own_department_duty_done_and_the_year_shows_who(app, people, import_guidelines, login):
    import_guidelines()
    client = login(people.leader_a)
    uid = _uid(people, "personalemoede", people.dep_a, "2026-11-30")
    response = client.post("/cycle/opgaver/udfoert", data={"uid": uid, "next": "/cycle/?aar=2026"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cycle/?aar=2026")
    html = client.get("/cycle/").get_data(as_text=True)
    done = [d for d in duties(html, "drøfter næste års tilbudsplan") if "Skovbrynet" in d[1]][0]
    assert done[0] == "done" and "Markeret udført af Anders A 20.09.2026" in done[1]
    assert "Fortryd udført" in done[1]
    other = [d for d in duties(html, "drøfter næste års tilbudsplan") if "Fyrtårnet" in d[1]][0]
    assert other[0] != "done" and "Markér som udført" not in other[1]
    with app.app_context():
        row = db.session.scalar(select(TaskCompletion).where(TaskCompletion.uid == uid))
        assert row.done_by_id == people.ids["leader_a"] and row.via_event == "" and row.due_on == date(2026, 11, 30)
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "cycle.task_done"))
    assert _tasks(app, people)[uid].is_done
    again = client.post("/cycle/opgaver/udfoert", data={"uid": uid})
    assert again.status_code == 303
    with app.app_context():
        assert len(db.session.scalars(select(TaskCompletion)).all()) == 1


def test_who_may_mark_done(app, people, import_guidelines, login):
    import_guidelines()
    dep_b_task = _uid(people, "personalemoede", people.dep_b, "2026-11-30")
    assert login(people.leader_a).post("/cycle/opgaver/udfoert", data={"uid": dep_b_task}).status_code == 403
    assert login(people.employee_b).post("/cycle/opgaver/udfoert", data={"uid": dep_b_task}).status_code == 403
    wishes = _uid(people, "kursusoensker", due="2026-10-01")
    assert login(people.employee_a).post("/cycle/opgaver/udfoert", data={"uid": wishes}).status_code == 403
    assert login(people.head).post("/cycle/opgaver/udfoert", data={"uid": dep_b_task}).status_code == 302
    # A duty fulfilled by a record (the forwarded overview) is done by that record, never by hand.
    by_record = _uid(people, "oversigt", people.dep_b)
    assert login(people.head).post("/cycle/opgaver/udfoert", data={"uid": by_record}).status_code == 403
    assert not _tasks(app, people)[by_record].is_done
    assert login(people.head).post("/cycle/opgaver/udfoert", data={"uid": "cycle-999-x-y-0-2026-10-31"}
                                   ).status_code == 404
    assert login(people.head).post("/cycle/opgaver/udfoert", data={"uid": "nonsense"}).status_code == 404


def test_another_homes_task_is_not_found(app, people, import_guidelines, login):
    from tests.factories import make_department, make_home

    with app.app_context():
        other = make_home("Andet hjem")
        make_department(other, "Anden afdeling")
        db.session.commit()
        other_id = other.id
    import_guidelines()
    uid = f"cycle-{other_id}-testaarshjul-plan-0-2026-12-31"
    assert login(people.head).post("/cycle/opgaver/udfoert", data={"uid": uid}).status_code == 404


def test_undo_by_the_same_person_or_a_leader_keeps_history(app, people, import_guidelines, login):
    import_guidelines()
    uid = _uid(people, "personalemoede", people.dep_a, "2026-11-30")
    login(people.leader_a).post("/cycle/opgaver/udfoert", data={"uid": uid})
    assert login(people.employee_a).post("/cycle/opgaver/fortryd", data={"uid": uid}).status_code == 403
    assert login(people.leader_b).post("/cycle/opgaver/fortryd", data={"uid": uid}).status_code == 403
    assert login(people.leader_a).post("/cycle/opgaver/fortryd", data={"uid": uid}).status_code == 302
    assert not _tasks(app, people)[uid].is_done
    assert login(people.leader_a).post("/cycle/opgaver/fortryd", data={"uid": uid}).status_code == 404
    login(people.leader_a).post("/cycle/opgaver/udfoert", data={"uid": uid})
    assert login(people.head).post("/cycle/opgaver/fortryd", data={"uid": uid}).status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("cycle.task_%"))
                                     .order_by(AuditEntry.id)).all()
        undone = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "cycle.task_undone")).all()
    assert actions == ["cycle.task_done", "cycle.task_undone", "cycle.task_done", "cycle.task_undone"]
    assert undone[0].detail["done_by_id"] == people.ids["leader_a"] and undone[1].actor_id == people.ids["head"]


def _overview(people, department_id, year, at):
    from app.competence.models import DepartmentOverview

    row = DepartmentOverview(home_id=people.home, department_id=department_id, year=year, forwarded_at=at)
    db.session.add(row)
    db.session.commit()
    return row


def test_the_forwarded_overview_is_what_completes_its_department_duty(app, people, import_guidelines):
    from datetime import UTC, datetime

    import_guidelines()
    with app.app_context():
        # The overview of wishes for 2027 answers the October 2026 duty; one for 2028 does not.
        row = _overview(people, people.dep_b, 2027, datetime(2026, 10, 20, 8, tzinfo=UTC))
        _overview(people, people.dep_a, 2028, datetime(2026, 10, 20, 8, tzinfo=UTC))
        signals.overview_forwarded.send(home_id=people.home, department_id=people.dep_b, year=2026,
                                        on=date(2026, 10, 20), actor=None)
        db.session.commit()
        assert db.session.scalar(select(TaskCompletion)) is None  # no second truth beside the record
    tasks = _tasks(app, people)
    assert tasks[_uid(people, "oversigt", people.dep_b)].is_done
    assert not tasks[_uid(people, "oversigt", people.dep_a)].is_done
    assert tasks[_uid(people, "oversigt", people.dep_b)].done_note == "Udført automatisk 20.10.2026"
    with app.app_context():  # reopened, it no longer counts
        db.session.merge(row).forwarded_at = None
        db.session.commit()
    assert not _tasks(app, people)[_uid(people, "oversigt", people.dep_b)].is_done


def test_temp_meetings_complete_in_turn_and_a_plan_counts_for_its_own_year(app, people, import_guidelines):
    from datetime import UTC, datetime

    from app.competence.models import CompetencePlan
    from app.onboarding.models import TempMeeting

    import_guidelines()
    with app.app_context():
        db.session.add(TempMeeting(home_id=people.home, department_id=people.dep_a, held_on=date(2026, 3, 10)))
        db.session.commit()
    tasks = _tasks(app, people)
    assert tasks[_uid(people, "vikarmoeder", due="2026-03-31")].is_done
    assert not tasks[_uid(people, "vikarmoeder", due="2026-09-30")].is_done
    # Looking only at the autumn must not let the March meeting fill September's slot.
    with app.app_context():
        home = db.session.get(Home, people.home)
        autumn = {t.uid: t for t in guideline_tasks(home, date(2026, 9, 1), date(2026, 9, 30))}
    assert not autumn[_uid(people, "vikarmoeder", due="2026-09-30")].is_done
    with app.app_context():
        db.session.add(TempMeeting(home_id=people.home, held_on=date(2026, 9, 2)))
        # The plan for 2026 was the December 2025 duty.
        db.session.add(CompetencePlan(home_id=people.home, year=2026, future_tasks="Tekst",
                                      finished_at=datetime(2025, 12, 20, 10, tzinfo=UTC)))
        signals.guideline_reviewed.send(home_id=people.home, on=date(2026, 9, 2), slug="en-anden", year=2026)
        db.session.commit()
    tasks = _tasks(app, people)
    assert tasks[_uid(people, "vikarmoeder", due="2026-09-30")].is_done
    assert not tasks[_uid(people, "plan", due="2026-12-31")].is_done
    with app.app_context():
        db.session.add(CompetencePlan(home_id=people.home, year=2027, future_tasks="Tekst",
                                      finished_at=datetime(2026, 12, 1, 10, tzinfo=UTC)))
        db.session.commit()
    assert _tasks(app, people)[_uid(people, "plan", due="2026-12-31")].is_done


def test_a_course_wish_counts_for_that_employee_only(app, people, import_guidelines, login):
    import_guidelines()
    with app.app_context():
        signals.wish_submitted.send(home_id=people.home, user_id=people.ids["employee_a"], year=2026,
                                    on=date(2026, 9, 25), actor=None)
        db.session.commit()
        rows = db.session.scalars(select(TaskCompletion.uid)).all()
    wishes = _uid(people, "kursusoensker", due="2026-10-01")
    assert rows == [f"{wishes}~u{people.ids['employee_a']}"]
    assert not _tasks(app, people)[wishes].is_done


def test_the_way_back_stays_on_this_site(app, people, import_guidelines, login):
    import_guidelines()
    client = login(people.head)
    for index, target in enumerate(("//evil.example/x", "/\\evil.example", "https://evil.example/")):
        uid = (_uid(people, "personalemoede", people.dep_a, "2026-11-30"), _uid(people, "februar", due="2026-02-28"),
               _uid(people, "personalemoede", people.dep_b, "2026-11-30"))[index]
        response = client.post("/cycle/opgaver/udfoert", data={"uid": uid, "next": target})
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/cycle/?aar=2026"), target
