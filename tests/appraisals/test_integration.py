"""How appraisals plug into the rest: the MUS concept events, tasks, indicators and the demo loader."""

from datetime import date, timedelta

from sqlalchemy import delete, func, select

from app import clock, hooks, signals
from app.appraisals.models import LU, MU, MusConceptEvent, NeuroRecord, Talk
from app.appraisals.tasks import talk_tasks
from app.cycle.models import MiniMedMeeting, TaskCompletion
from app.extensions import db
from app.hooks import tasks_for_user
from app.need_to_know import shown_tasks
from app.people.constants import EmploymentType, Role
from app.people.models import Home, User
from tests.factories import make_department, make_home, make_user


def test_head_records_the_mus_evaluation_in_mini_med_and_the_duty_is_told(app, demo, auth, client):
    told = []

    @signals.mus_concept_evaluated.connect
    def evaluated(_sender, /, **payload):
        told.append({"name": "appraisals.mus_concept_evaluated", **payload})

    @signals.mus_concept_briefed.connect
    def briefed(_sender, /, **payload):
        told.append({"name": "appraisals.mus_concept_briefed", **payload})

    today = clock.today()
    with app.app_context():
        home_id = db.session.scalar(select(Home.id))
        db.session.execute(delete(MusConceptEvent))  # the demo's own records of earlier items
        meeting = MiniMedMeeting(home_id=home_id, held_on=today - timedelta(days=1), title="Mini-MED oktober")
        db.session.add(meeting)
        db.session.commit()
        meeting_id = meeting.id
    auth.login("head")
    assert client.post("/appraisals/mus/document", data={"guideline_slug": "mus-og-lus"}).status_code == 302
    response = client.post("/appraisals/mus/events", data={"kind": "evaluation", "meeting": str(meeting_id),
                                                           "note": "Konceptet fungerer; kortere skema."})
    assert response.status_code == 302
    assert told == [{"name": "appraisals.mus_concept_evaluated", "home_id": home_id, "year": meeting_held(today).year,
                     "on": today - timedelta(days=1), "actor": told[0]["actor"]}]
    html = client.get("/appraisals/mus").get_data(as_text=True)
    assert "mus-og-lus" in html and "Mini-MED oktober" in html and "Konceptet fungerer" in html
    # Once a year: recording the same item again is refused.
    again = client.post("/appraisals/mus/events", data={"kind": "evaluation", "held_on": today.isoformat()})
    assert again.status_code == 400 and "allerede registreret" in again.get_data(as_text=True)
    future = client.post("/appraisals/mus/events", data={"kind": "briefing",
                                                         "held_on": (today + timedelta(days=1)).isoformat()})
    assert future.status_code == 400 and "datoen ligger i fremtiden" in future.get_data(as_text=True)
    bad_slug = client.post("/appraisals/mus/document", data={"guideline_slug": "MUS og LUS!"})
    assert bad_slug.status_code == 400 and "små bogstaver" in bad_slug.get_data(as_text=True)
    assert len(told) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(MusConceptEvent.id))) == 1


def meeting_held(today):
    return today - timedelta(days=1)


def test_mini_med_members_see_the_concept_but_cannot_change_it(app, demo, auth, client):
    auth.login("minimed")
    html = client.get("/appraisals/mus").get_data(as_text=True)
    assert "Gældende koncept" in html and "/appraisals/mus/events" not in html
    assert client.post("/appraisals/mus/events", data={"kind": "evaluation",
                                                       "held_on": clock.today().isoformat()}).status_code == 403


def test_due_and_overdue_talks_are_tasks_for_the_right_leaders(app, set_today):
    set_today(date(2026, 10, 2))
    with app.app_context():
        home = make_home()
        ours, theirs = make_department(home), make_department(home)
        leader = make_user(home, [ours], roles=(Role.DEPARTMENT_LEADER,), hired_on=date(2020, 1, 1))
        other_leader = make_user(home, [theirs], roles=(Role.DEPARTMENT_LEADER,), hired_on=date(2020, 1, 1))
        head = make_user(home, [ours], roles=(Role.HEAD,))
        overdue = make_user(home, [ours], name="Overskredet Olsen", hired_on=date(2020, 1, 1))
        due = make_user(home, [ours], name="Snart Sørensen", hired_on=date(2020, 1, 1))
        fine = make_user(home, [ours], name="Fin Frandsen", hired_on=date(2020, 1, 1))
        make_user(home, [ours], name="Vikar Vang", employment=EmploymentType.ON_CALL, hired_on=date(2020, 1, 1))
        for person, held in ((overdue, date(2025, 9, 1)), (due, date(2025, 10, 20)), (fine, date(2026, 6, 1))):
            db.session.add(Talk(home_id=home.id, kind=MU, employee_id=person.id, held_on=held))
        db.session.add(Talk(home_id=home.id, kind=LU, employee_id=other_leader.id, held_on=date(2026, 1, 5),
                            written_agreement="Aftale", is_completed=True))
        db.session.commit()
        tasks = list(talk_tasks(home, date(2025, 1, 1), date(2026, 12, 31)))
        assert {t.title for t in tasks} == {"MU-samtale med en medarbejder", "LU-samtale med en leder"}
        assert {(t.subject_kind, t.subject_id) for t in tasks} == {("person", overdue.id), ("person", due.id),
                                                                   ("person", leader.id)}
        # The names go in for a viewer who may open the person: the tilbudsleder sees every talk.
        titles = {t.title: t for t in shown_tasks(head, tasks, "test")}
        assert set(titles) == {"MU-samtale med Overskredet Olsen", "MU-samtale med Snart Sørensen",
                               "LU-samtale med " + leader.name}
        task = titles["MU-samtale med Overskredet Olsen"]
        assert task.due_on == date(2026, 9, 1) and task.user_ids == {leader.id}
        assert task.applies_to(leader) and not task.applies_to(other_leader) and not task.applies_to(overdue)
        assert task.uid == f"appraisals-mu-{overdue.id}-2026-09-01@kompetenceportalen"
        assert task.uid == next(t.uid for t in talk_tasks(home, date(2025, 1, 1), date(2026, 12, 31))
                                if t.subject_id == overdue.id)
        lu_task = titles["LU-samtale med " + leader.name]
        assert lu_task.applies_to(head) and not lu_task.applies_to(leader)
        # Never had an LU since hiring in 2020: overdue a year after (January 2021), shown from 1 January this year.
        assert lu_task.due_on == date(2026, 1, 1) and lu_task.uid.endswith("-2021-01-01@kompetenceportalen")
        assert "MU-samtale med Snart Sørensen" in [
            t.title for t in shown_tasks(leader, tasks_for_user(leader, date(2026, 1, 1), date(2026, 12, 31)), "test")]
        # The window is respected.
        assert list(talk_tasks(home, date(2026, 12, 1), date(2026, 12, 31))) == []


def test_indicators_name_the_exceptions_and_respect_department_and_day(app, set_today):
    set_today(date(2026, 10, 2))
    with app.app_context():
        home = make_home()
        ours, theirs = make_department(home), make_department(home)
        leader = make_user(home, [ours], name="Lise Leder", roles=(Role.DEPARTMENT_LEADER,), hired_on=date(2020, 1, 1))
        a = make_user(home, [ours], name="Anna", hired_on=date(2020, 1, 1))
        make_user(home, [ours], name="Bent", hired_on=date(2020, 1, 1))
        c = make_user(home, [theirs], name="Carl", hired_on=date(2020, 1, 1))
        make_user(home, [theirs], name="Ny", hired_on=date(2026, 9, 1))  # not yet expected a talk
        make_user(home, [theirs], name="Ufaglært", hired_on=date(2020, 1, 1), skilled=False)
        for person, held in ((a, date(2025, 10, 2)), (c, date(2025, 10, 1))):
            db.session.add(Talk(home_id=home.id, kind=MU, employee_id=person.id, held_on=held))
        db.session.add(Talk(home_id=home.id, kind=LU, employee_id=leader.id, held_on=date(2026, 5, 1)))
        db.session.add(NeuroRecord(home_id=home.id, user_id=a.id, status="completed", happened_on=date(2022, 1, 1)))
        db.session.commit()
        measures = {i.key: i.measure for i in hooks.indicators()}
        mu = measures["appraisals.mu"](home, None, date(2026, 10, 2))
        assert (mu.met, mu.total) == (1, 4)
        assert sorted(name for name, _ in mu.exceptions) == ["Bent", "Carl", "Ufaglært"]
        assert dict(mu.exceptions)["Carl"] == "Seneste samtale 01.10.2025"
        assert dict(mu.exceptions)["Bent"] == "Ingen MU-samtale"
        # The day before, Carl's talk is still within 12 months.
        assert measures["appraisals.mu"](home, None, date(2026, 10, 1)).met == 2
        only_ours = measures["appraisals.mu"](home, ours.id, date(2026, 10, 2))
        assert (only_ours.met, only_ours.total) == (1, 2)
        lu = measures["appraisals.lu"](home, None, date(2026, 10, 2))
        assert (lu.met, lu.total) == (0, 1) and lu.exceptions[0][0] == "Lise Leder"
        neuro = measures["appraisals.neuropedagogy"](home, None, date(2026, 10, 2))
        # Skilled permanent staff hired over 3 years ago: Lise, Anna, Bent, Carl; only Anna has completed it.
        assert (neuro.met, neuro.total) == (1, 4)
        assert sorted(name for name, _ in neuro.exceptions) == ["Bent", "Carl", "Lise Leder"]
        assert measures["appraisals.neuropedagogy"](home, None, date(2021, 1, 1)).total == 0


def test_demo_has_talks_history_and_flags(app, demo):
    with app.app_context():
        home = db.session.scalar(select(Home))
        maja = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        assert db.session.scalar(select(func.count(Talk.id)).where(Talk.employee_id == maja.id)) >= 2
        measures = {i.key: i.measure for i in hooks.indicators()}
        today = clock.today()
        mu = measures["appraisals.mu"](home, None, today)
        assert 0 < mu.met < mu.total  # most have had their talk; some are overdue
        assert "Mona Mini-MED (TR)" in dict(mu.exceptions)
        lu = measures["appraisals.lu"](home, None, today)
        assert "Anders Afdelingsleder" in dict(lu.exceptions)  # his latest LU has no written agreement
        assert measures["appraisals.neuropedagogy"](home, None, today).exceptions
        oldest = db.session.scalar(select(func.min(Talk.held_on)).where(Talk.home_id == home.id))
        assert oldest <= today - timedelta(days=365)


def test_demo_region_scale_is_bulk_loaded(app, runner):
    result = runner.invoke(args=["demo", "--scale", "region"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        homes = db.session.scalar(select(func.count(Home.id)))
        talks = db.session.scalar(select(func.count(Talk.id)))
        assert homes == 6 and talks > 6000
        oldest = db.session.scalar(select(func.min(Talk.held_on)))
        assert oldest <= clock.today() - timedelta(days=3 * 365)


def test_recording_the_evaluation_completes_the_arshjul_duty(app, demo, auth, client, set_today):
    """End to end with the cycle feature: the MUS guideline's October duty is done once recorded."""
    set_today(date(2026, 10, 20))
    with app.app_context():
        home = db.session.scalar(select(Home).where(Home.name == "Specialbørnehjemmene"))

        def duty():
            tasks = hooks.tasks_for_home(home, date(2026, 10, 1), date(2026, 10, 31))
            return next(t for t in tasks if "MUS-koncept" in t.title and t.source != "appraisals")

        # The demo is built on the real date and may have recorded this year's evaluation; here the home has
        # not, whatever day the suite runs on. A completion row alone does not make the duty done.
        db.session.execute(delete(MusConceptEvent).where(MusConceptEvent.year == 2026))
        db.session.add(TaskCompletion(home_id=home.id, uid=duty().uid, due_on=duty().due_on, done_at=clock.now()))
        db.session.commit()
        assert not duty().is_done
    auth.login("head")
    response = client.post("/appraisals/mus/events", data={"kind": "evaluation", "held_on": "2026-10-15"})
    assert response.status_code == 302
    with app.app_context():
        home = db.session.merge(home)
        assert duty().is_done
