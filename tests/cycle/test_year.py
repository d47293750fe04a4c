"""The year view (årshjul): every duty of the published guidelines, dated, with status, filters and years."""

from datetime import date, datetime

from sqlalchemy import event, select

from app import clock, hooks
from app.cycle.models import MiniMedMeeting
from app.cycle.services import guideline_tasks
from app.extensions import db
from app.hooks import Task
from app.people.models import Home
from tests.cycle.helpers import duties, month_section


def test_year_shows_every_month_with_duties_roles_and_dates(app, people, import_guidelines, login):
    import_guidelines()
    html = login(people.employee_a).get("/cycle/").get_data(as_text=True)
    assert "<h1>Årshjul 2026</h1>" in html
    for month in ("Januar", "Februar", "Oktober", "December"):
        assert f">{month}</h2>" in html
    october = month_section(html, 10)
    assert "1. oktober" in october and "Hver medarbejder sender sine ønsker" in october
    assert "31. oktober" in october
    (status, body), = duties(html, "Hver medarbejder sender sine ønsker")
    assert "Medarbejder" in body and "Testretningslinje for årshjulet" in body
    assert 'href="/guidelines/testaarshjul"' in body
    assert status == "soon"  # 20 September: due within 14 days
    assert duties(html, "kompetenceudviklingsplanen")[0][0] == "todo"
    assert "Ledergruppen" in duties(html, "kompetenceudviklingsplanen")[0][1]
    assert "30. november" in month_section(html, 11)


def test_per_department_duties_once_per_active_department(app, people, import_guidelines, login):
    import_guidelines()
    html = login(people.head).get("/cycle/").get_data(as_text=True)
    found = duties(html, "sender oversigten over ønsker")
    assert len(found) == 2
    assert {("Skovbrynet" in body, "Fyrtårnet" in body) for _, body in found} == {(True, False), (False, True)}
    assert not any("Lukket afdeling" in body for _, body in found)
    with app.app_context():
        home = db.session.get(Home, people.home)
        uids = sorted(t.uid for t in guideline_tasks(home, date(2026, 1, 1), date(2026, 12, 31))
                      if "-oversigt-" in t.uid)
    assert uids == [f"cycle-{people.home}-testaarshjul-oversigt-{people.dep_a}-2026-10-31",
                    f"cycle-{people.home}-testaarshjul-oversigt-{people.dep_b}-2026-10-31"]


def test_uids_stay_the_same_across_imports(app, people, import_guidelines):
    import_guidelines()
    with app.app_context():
        home = db.session.get(Home, people.home)
        before = sorted(t.uid for t in guideline_tasks(home, date(2026, 1, 1), date(2027, 12, 31)))
    import_guidelines(title="Testretningslinje for årshjulet, ny udgave")
    with app.app_context():
        home = db.session.get(Home, people.home)
        after = guideline_tasks(home, date(2026, 1, 1), date(2027, 12, 31))
    assert sorted(t.uid for t in after) == before
    assert {t.detail for t in after} == {"Testretningslinje for årshjulet, ny udgave"}


def test_status_turns_overdue_at_local_midnight_after_the_day(app, people, import_guidelines, login, set_today):
    import_guidelines()
    set_today(datetime(2026, 10, 1, 23, 59, tzinfo=clock.TZ))
    client = login(people.employee_a)  # after the jump: a login lasts at most SESSION_MAX_HOURS
    html = client.get("/cycle/").get_data(as_text=True)
    assert duties(html, "Hver medarbejder sender")[0][0] == "soon"
    set_today(datetime(2026, 10, 2, 0, 0, tzinfo=clock.TZ))
    html = client.get("/cycle/").get_data(as_text=True)
    status, body = duties(html, "Hver medarbejder sender")[0]
    assert status == "overdue" and "Overskredet" in body
    set_today(date(2026, 9, 16))  # 15 days before: planned, not yet "soon"
    assert duties(client.get("/cycle/").get_data(as_text=True), "Hver medarbejder sender")[0][0] == "todo"
    set_today(date(2026, 9, 17))
    assert duties(client.get("/cycle/").get_data(as_text=True), "Hver medarbejder sender")[0][0] == "soon"


def test_twice_a_year_follows_the_homes_temp_meeting_months(app, people, import_guidelines, login):
    import_guidelines()
    with app.app_context():
        home = db.session.get(Home, people.home)
        home.settings = {"temp_meeting_months": [4, 10]}
        db.session.commit()
    html = login(people.head).get("/cycle/").get_data(as_text=True)
    assert "Der holdes vikarmøde" in month_section(html, 4)
    assert "Der holdes vikarmøde" in month_section(html, 10)
    assert "Der holdes vikarmøde" not in month_section(html, 3)


def test_missing_mini_med_meetings_are_named_with_the_waiting_duties(app, people, import_guidelines, login):
    import_guidelines()
    client = login(people.head)
    html = client.get("/cycle/").get_data(as_text=True)
    assert "Årets Mini-MED-møder er ikke planlagt" in html
    assert "Mini-MED godkender fordelingen" in html and "ved årets første Mini-MED-møde" in html
    assert not duties(html, "Mini-MED godkender fordelingen")
    with app.app_context():
        db.session.add_all([MiniMedMeeting(home_id=people.home, held_on=date(2026, 2, 12)),
                            MiniMedMeeting(home_id=people.home, held_on=date(2026, 11, 25))])
        db.session.commit()
    html = client.get("/cycle/").get_data(as_text=True)
    assert "Årets Mini-MED-møder er ikke planlagt" not in html
    assert "12. februar" in duties(html, "Mini-MED godkender fordelingen")[0][1]
    assert "25. november" in duties(html, "Tilbudsplanen evalueres")[0][1]
    assert duties(html, "Mini-MED godkender fordelingen")[0][0] == "overdue"
    # Next year has no meetings yet: the notice is back for 2027.
    assert "Årets Mini-MED-møder er ikke planlagt" in client.get("/cycle/?aar=2027").get_data(as_text=True)


def test_next_year_and_leap_day(app, people, import_guidelines, login, set_today):
    import_guidelines()
    client = login(people.head)
    html = client.get("/cycle/?aar=2027").get_data(as_text=True)
    assert "<h1>Årshjul 2027</h1>" in html and "28. februar" in month_section(html, 2)
    assert client.get("/cycle/?aar=2031").status_code == 404
    set_today(date(2027, 6, 1))
    client = login(people.head)  # months later: the old login has expired (SESSION_MAX_HOURS)
    assert "29. februar" in month_section(client.get("/cycle/?aar=2028").get_data(as_text=True), 2)


def test_filters_by_role_department_source_and_mine(app, people, import_guidelines, login, monkeypatch):
    import_guidelines()

    def other_source(home, start, end):
        return [Task(uid=f"test-mu-{home.id}", title="MU-samtale med Maja", due_on=date(2026, 11, 15),
                     home_id=home.id, source="appraisals.test", responsible="department_leader",
                     department_id=None)]

    monkeypatch.setitem(hooks._task_sources, "test.other", other_source)
    client = login(people.leader_a)
    html = client.get("/cycle/").get_data(as_text=True)
    assert "MU-samtale med Maja" in html
    assert "MU-samtale med Maja" not in client.get("/cycle/?kilde=retningslinjer").get_data(as_text=True)
    html = client.get("/cycle/?rolle=head").get_data(as_text=True)
    shown = duties(html, "")
    assert shown and all("Tilbudsleder" in body for _, body in shown)
    assert not duties(html, "Hver medarbejder sender") and duties(html, "gennemgår årets første måned")
    html = client.get(f"/cycle/?afdeling={people.dep_b}").get_data(as_text=True)
    found = duties(html, "sender oversigten over ønsker")
    assert len(found) == 1 and "Fyrtårnet" in found[0][1]
    html = client.get("/cycle/?mine=1").get_data(as_text=True)
    mine = duties(html, "sender oversigten over ønsker")
    assert len(mine) == 1 and "Skovbrynet" in mine[0][1]
    assert not duties(html, "gennemgår årets første måned")  # the head's duty is not the leader's


def test_year_view_queries_do_not_grow_with_tasks_or_completions(app, people, import_guidelines, login):
    import_guidelines()
    client = login(people.head)

    def count() -> int:
        statements = []

        def listener(*args):
            statements.append(args[2])

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/cycle/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    client.post("/cycle/opgaver/udfoert", data={"uid": f"cycle-{people.home}-testaarshjul-februar-0-2026-02-28"})
    few = count()
    client.post("/cycle/opgaver/udfoert", data={"uid": f"cycle-{people.home}-testaarshjul-plan-0-2026-12-31"})
    for dep in (people.dep_a, people.dep_b):
        client.post("/cycle/opgaver/udfoert",
                    data={"uid": f"cycle-{people.home}-testaarshjul-oversigt-{dep}-2026-10-31"})
    with app.app_context():
        for dep in range(3):
            from tests.factories import make_department

            make_department(db.session.get(Home, people.home), f"Ny afdeling {dep}")
        db.session.commit()
        assert db.session.scalar(select(MiniMedMeeting.id)) is None
    assert count() == few
