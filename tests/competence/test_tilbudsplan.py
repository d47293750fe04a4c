"""The tilbudsplan (guideline kompetenceudvikling; seed 003): the leader group writes next year's plan in
December and finishes it (never empty), it is presented at the year's first Mini-MED meeting, the tilbudsleder
publishes it, every employee confirms "Læst og forstået"; its method decisions change the departments' method
lists from 1 January of the plan's year, and the finished plan for year Y fulfils the December duty of Y-1."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.competence import tilbudsplan as plans
from app.competence.models import CompetencePlan, CourseWish, TilbudsplanVersion
from app.competence.tilbudsplan_models import TilbudsplanAck, TilbudsplanMethodDecision
from app.cycle.models import MiniMedMeeting
from app.cycle.services import guideline_tasks
from app.extensions import db
from app.people.constants import Role
from app.people.models import Home, Method, User
from tests.factories import PASSWORD, make_department, make_home, make_user

SHIPPED = Path(__file__).resolve().parents[2] / "guidelines"


@pytest.fixture
def home(app, set_today):
    set_today(date(2026, 12, 10))
    with app.app_context():
        home = make_home()
        skoven = make_department(home, "Skoven", methods=("KRAP", "Neuropædagogik"))
        engen = make_department(home, "Engen", methods=("TEACCH",))
        make_user(home, [skoven], roles=(Role.HEAD,), email="chef@x.dk", name="Chefen")
        make_user(home, [skoven], roles=(Role.DEPARTMENT_LEADER,), email="leder@x.dk", name="Lederen")
        make_user(home, [skoven], email="ansat@x.dk", name="Ansatte Anna")
        make_user(home, [engen], roles=(Role.MINI_MED,), email="tr@x.dk")
        db.session.commit()
        krap = next(m.id for m in skoven.methods if m.name == "KRAP")
        return {"home": home.id, "skoven": skoven.id, "engen": engen.id, "krap": krap}


def _login(make_client, email):
    client = make_client()
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    return client


def _write(client, year=2027, body="## Kurser\n\nNeuropædagogik for nyansatte.", note="Første udkast"):
    return client.post(f"/competence/tilbudsplan/edit?aar={year}", data={"body": body, "change_note": note})


def _version(app, year=2027, number=None):
    with app.app_context():
        query = select(TilbudsplanVersion).where(TilbudsplanVersion.year == year)
        if number:
            query = query.where(TilbudsplanVersion.number == number)
        row = db.session.scalars(query.order_by(TilbudsplanVersion.number.desc())).first()
        return None if row is None else (row.id, row.number, row.status)


def _present(app, home, year=2027, held_on=date(2027, 2, 10)):
    """What the Mini-MED meeting's recorded decision does (branch minmed): tilbudsplan.mark_presented."""
    with app.app_context():
        meeting = MiniMedMeeting(home_id=home["home"], held_on=held_on, title="Årets første Mini-MED-møde")
        db.session.add(meeting)
        db.session.flush()
        version = db.session.scalar(select(TilbudsplanVersion).where(TilbudsplanVersion.year == year,
                                                                     TilbudsplanVersion.status == "finished"))
        plans.mark_presented(version, meeting, db.session.scalar(select(User).where(User.email == "chef@x.dk")))
        db.session.commit()


def _decide(client, home, action, method_id=0, name="", department="skoven", year=2027, day="2026-12-10"):
    return client.post(f"/competence/tilbudsplan/decisions?aar={year}", data={
        "department_id": home[department], "action": action, "method_id": method_id, "name": name,
        "decided_on": day})


def test_the_leader_group_writes_and_finishes_and_every_employee_reads_and_acknowledges(app, home, make_client,
                                                                                         set_today):
    leader, employee = _login(make_client, "leder@x.dk"), _login(make_client, "ansat@x.dk")
    assert "/competence/tilbudsplan" in employee.get("/").get_data(as_text=True)  # the menu's Kompetence group
    assert _write(leader).status_code == 302
    html = employee.get("/competence/tilbudsplan?aar=2027").get_data(as_text=True)
    assert "Der er ingen offentliggjort tilbudsplan for 2027" in html and "Neuropædagogik for nyansatte" not in html
    assert "/competence/tilbudsplan/edit" not in html
    assert leader.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    assert _version(app)[2] == "finished"
    assert "Færdiggjort " in leader.get("/competence/tilbudsplan?aar=2027").get_data(as_text=True)
    assert "Neuropædagogik for nyansatte" not in employee.get("/competence/tilbudsplan?aar=2027").get_data(as_text=True)
    set_today(date(2027, 2, 11))
    _present(app, home)
    # two months on, the sessions have expired: log in again
    head, leader, employee = (_login(make_client, e) for e in ("chef@x.dk", "leder@x.dk", "ansat@x.dk"))
    assert leader.post("/competence/tilbudsplan/publish?aar=2027").status_code == 403
    response = head.post("/competence/tilbudsplan/publish?aar=2027", follow_redirects=True)
    assert "Tilbudsplanen for 2027 er offentliggjort i alle afdelinger." in response.get_data(as_text=True)
    html = employee.get("/competence/tilbudsplan").get_data(as_text=True)  # this year's published plan first
    assert "<h1>Tilbudsplan for 2027</h1>" in html and "Neuropædagogik for nyansatte" in html
    assert "fremlagt på Mini-MED-mødet 10. februar 2027" in html and "offentliggjort 11. februar 2027" in html
    response = employee.post("/competence/tilbudsplan/acknowledge?aar=2027", follow_redirects=True)
    assert "Tak. Du har bekræftet, at du har læst og forstået tilbudsplanen." in response.get_data(as_text=True)
    assert "Du har bekræftet, at du har læst" in employee.get("/competence/tilbudsplan").get_data(as_text=True)
    response = employee.post("/competence/tilbudsplan/acknowledge?aar=2027", follow_redirects=True)
    assert "Du har allerede bekræftet tilbudsplanen." in response.get_data(as_text=True)
    with app.app_context():
        acks = db.session.scalars(select(TilbudsplanAck)).all()
        assert [(a.user.email, a.version.year) for a in acks] == [("ansat@x.dk", 2027)]
    assert "1 har bekræftet denne version." in head.get("/competence/tilbudsplan").get_data(as_text=True)


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/competence/tilbudsplan/edit?aar=2027"),
    ("post", "/competence/tilbudsplan/edit?aar=2027"),
    ("post", "/competence/tilbudsplan/finish?aar=2027"),
    ("post", "/competence/tilbudsplan/decisions?aar=2027"),
    ("post", "/competence/tilbudsplan/publish?aar=2027"),
])
@pytest.mark.parametrize("who", ["ansat@x.dk", "tr@x.dk"])
def test_an_employee_or_mini_med_member_cannot_write_the_plan(app, home, make_client, method, path, who):
    client = _login(make_client, who)
    response = getattr(client, method)(path, data={"body": "Mit eget forslag"})
    assert response.status_code == 403
    assert _version(app) is None


def test_a_draft_is_the_leader_groups_and_another_homes_plan_is_not_found(app, home, make_client):
    leader = _login(make_client, "leder@x.dk")
    assert _write(leader).status_code == 302
    draft_id = _version(app)[0]
    assert leader.get(f"/competence/tilbudsplan/revision/{draft_id}").status_code == 200
    assert _login(make_client, "tr@x.dk").get(f"/competence/tilbudsplan/revision/{draft_id}").status_code == 200
    assert _login(make_client, "ansat@x.dk").get(f"/competence/tilbudsplan/revision/{draft_id}").status_code == 403
    with app.app_context():
        other = make_home()
        make_user(other, roles=(Role.HEAD,), email="andenchef@x.dk")
        db.session.commit()
    assert _login(make_client, "andenchef@x.dk").get(f"/competence/tilbudsplan/revision/{draft_id}").status_code == 404


def test_an_empty_plan_cannot_be_finished(app, home, make_client):
    leader = _login(make_client, "leder@x.dk")
    assert _write(leader, body="  \n ").status_code == 302
    response = leader.post("/competence/tilbudsplan/finish?aar=2027", follow_redirects=True)
    assert "Tilbudsplanen er tom. Skriv planens tekst, før den færdiggøres." in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(TilbudsplanVersion))
        assert row.status == "draft" and row.finished_at is None
    assert _write(leader, body="x").status_code == 302
    assert leader.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    assert _version(app)[2] == "finished"


def test_revisions_are_numbered_with_note_author_and_date_and_the_print_shows_the_text(app, home, make_client):
    leader, head = _login(make_client, "leder@x.dk"), _login(make_client, "chef@x.dk")
    assert _write(leader, body="Første tekst").status_code == 302
    assert leader.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    response = head.post("/competence/tilbudsplan/edit?aar=2027", data={"body": "Rettet tekst", "change_note": "ASK"})
    assert response.status_code == 302
    first, second = _version(app, number=1), _version(app, number=2)
    assert (first[2], second[2]) == ("finished", "draft")
    html = head.get("/competence/tilbudsplan/history?aar=2027").get_data(as_text=True)
    assert "Revision 1" in html and "Revision 2" in html and "Første udkast" in html and "ASK" in html
    assert "Lederen" in html and "Chefen" in html and "10. december 2026" in html
    assert "Første tekst" in head.get(f"/competence/tilbudsplan/revision/{first[0]}/print").get_data(as_text=True)
    assert "Rettet tekst" in head.get(f"/competence/tilbudsplan/revision/{second[0]}/print").get_data(as_text=True)
    assert head.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    assert [_version(app, number=n)[2] for n in (1, 2)] == ["superseded", "finished"]


def test_publishing_needs_the_presentation_at_the_years_first_mini_med_meeting(app, home, make_client, set_today):
    leader, head = _login(make_client, "leder@x.dk"), _login(make_client, "chef@x.dk")
    assert _write(leader).status_code == 302
    assert leader.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    response = head.post("/competence/tilbudsplan/publish?aar=2027", follow_redirects=True)
    assert ("Tilbudsplanen kan først offentliggøres, når den er fremlagt på årets første Mini-MED-møde."
            in response.get_data(as_text=True))
    assert _version(app)[2] == "finished"
    set_today(date(2027, 5, 1))
    head = _login(make_client, "chef@x.dk")
    with app.app_context():
        for day in (date(2026, 11, 25), date(2027, 2, 10), date(2027, 4, 20)):
            db.session.add(MiniMedMeeting(home_id=home["home"], held_on=day))
        db.session.commit()
        version = db.session.scalar(select(TilbudsplanVersion))
        meetings = {m.held_on: m for m in db.session.scalars(select(MiniMedMeeting))}
        head_user = db.session.scalar(select(User).where(User.email == "chef@x.dk"))
        for day in (date(2026, 11, 25), date(2027, 4, 20)):  # last year's last, this year's second
            with pytest.raises(plans.TilbudsplanError, match="fremlægges på årets første Mini-MED-møde i 2027"):
                plans.mark_presented(version, meetings[day], head_user)
        assert version.status == "finished" and version.presented_meeting_id is None
        plans.mark_presented(version, meetings[date(2027, 2, 10)], head_user)
        with pytest.raises(plans.TilbudsplanError, match="ikke allerede er fremlagt"):
            plans.mark_presented(version, meetings[date(2027, 2, 10)], head_user)
        db.session.commit()
    assert head.post("/competence/tilbudsplan/publish?aar=2027").status_code == 302
    assert _version(app)[2] == "published"


def test_a_phase_out_still_named_by_an_open_wish_or_an_unfinished_plan_is_refused(app, home, make_client):
    leader = _login(make_client, "leder@x.dk")
    assert _write(leader).status_code == 302
    with app.app_context():
        krap = db.session.get(Method, home["krap"])
        wish = CourseWish(home_id=home["home"], department_id=home["skoven"], year=2027, title="KRAP-certificering",
                          methods=[krap], status="submitted")
        db.session.add(wish)
        db.session.commit()
        wish_id = wish.id
    response = _decide(leader, home, "phase_out", home["krap"])
    assert response.status_code == 400
    assert ("KRAP (Skoven) kan ikke udfases: metoden nævnes stadig i kursusønsket »KRAP-certificering«."
            in response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(select(TilbudsplanMethodDecision)).all() == []
        db.session.get(CourseWish, wish_id).outcome = "approved"  # decided: no longer open
        db.session.add(CompetencePlan(home_id=home["home"], year=2027, priority_methods="Mere krap i hverdagen"))
        db.session.commit()
    response = _decide(leader, home, "phase_out", home["krap"])
    assert response.status_code == 400
    assert "nævnes stadig i kompetenceudviklingsplanen for 2027" in response.get_data(as_text=True)
    with app.app_context():
        db.session.scalar(select(CompetencePlan)).finished_at = db.func.current_timestamp()
        db.session.commit()
    assert _decide(leader, home, "phase_out", home["krap"]).status_code == 302
    with app.app_context():
        assert [(d.name, d.action) for d in db.session.scalars(select(TilbudsplanMethodDecision))] == [
            ("KRAP", "phase_out")]


def test_finishing_rechecks_a_phase_out_against_wishes_sent_meanwhile(app, home, make_client):
    leader = _login(make_client, "leder@x.dk")
    assert _write(leader).status_code == 302
    assert _decide(leader, home, "phase_out", home["krap"]).status_code == 302
    with app.app_context():
        db.session.add(CourseWish(home_id=home["home"], department_id=home["skoven"], year=2027, title="KRAP i praksis",
                                  methods=[db.session.get(Method, home["krap"])], status="submitted"))
        db.session.commit()
    response = leader.post("/competence/tilbudsplan/finish?aar=2027", follow_redirects=True)
    assert "kan ikke udfases: metoden nævnes stadig i kursusønsket »KRAP i praksis«" in response.get_data(as_text=True)
    assert _version(app)[2] == "draft"


def test_two_decisions_on_the_same_method_in_one_plan_are_refused(app, home, make_client):
    leader = _login(make_client, "leder@x.dk")
    assert _decide(leader, home, "keep", home["krap"]).status_code == 302
    response = _decide(leader, home, "phase_out", home["krap"])
    assert response.status_code == 400
    assert ("KRAP i Skoven har allerede en beslutning i denne tilbudsplan (fastholdes)."
            in response.get_data(as_text=True))
    assert _decide(leader, home, "introduce", name="Marte Meo").status_code == 302
    response = _decide(leader, home, "introduce", name="marte meo")
    assert "Marte Meo i Skoven har allerede en beslutning" in response.get_data(as_text=True)
    response = _decide(leader, home, "introduce", name="TEACCH", department="engen")
    assert "Engen arbejder allerede med TEACCH." in response.get_data(as_text=True)
    with app.app_context():
        assert sorted(d.name for d in db.session.scalars(select(TilbudsplanMethodDecision))) == ["KRAP", "Marte Meo"]
    assert _version(app)[2] == "draft"  # a decision on a plan not yet written starts its draft


def _published_plan_with_decisions(app, home):
    """A plan for 2027 already published (as after its Mini-MED presentation) with a phase-out and an
    introduction, not yet applied."""
    with app.app_context():
        version = TilbudsplanVersion(home_id=home["home"], year=2027, body="Plan", status="published")
        db.session.add(version)
        db.session.flush()
        db.session.add_all([
            TilbudsplanMethodDecision(version_id=version.id, department_id=home["skoven"], method_id=home["krap"],
                                      name="KRAP", action="phase_out", decided_on=date(2026, 12, 10)),
            TilbudsplanMethodDecision(version_id=version.id, department_id=home["engen"], name="Marte Meo",
                                      action="introduce", decided_on=date(2026, 12, 10))])
        db.session.commit()


def _methods(app, department_id):
    with app.app_context():
        return {m.name: m.is_active for m in db.session.scalars(select(Method).where(
            Method.department_id == department_id))}


def test_method_decisions_take_effect_on_1_january_not_on_31_december(app, home, runner):
    _published_plan_with_decisions(app, home)
    result = runner.invoke(args=["reminders", "send", "--date", "2026-12-31"])
    assert result.exit_code == 0, result.output
    assert _methods(app, home["skoven"]) == {"KRAP": True, "Neuropædagogik": True}
    assert _methods(app, home["engen"]) == {"TEACCH": True}
    result = runner.invoke(args=["reminders", "send", "--date", "2027-01-01"])
    assert result.exit_code == 0, result.output
    assert "Method decisions of published tilbudsplans taking effect: 2." in result.output
    assert _methods(app, home["skoven"]) == {"KRAP": False, "Neuropædagogik": True}
    assert _methods(app, home["engen"]) == {"TEACCH": True, "Marte Meo": True}
    with app.app_context():
        assert plans.apply_method_decisions(home["home"], date(2027, 1, 2)) == 0  # idempotent
        assert len(_methods(app, home["engen"])) == 2
        applied = {d.name: (d.applied_on, d.method_id is not None)
                   for d in db.session.scalars(select(TilbudsplanMethodDecision))}
        assert applied == {"KRAP": (date(2027, 1, 1), True), "Marte Meo": (date(2027, 1, 1), True)}


def test_a_plan_published_after_new_year_changes_the_methods_at_once(app, home, make_client, set_today):
    leader, head = _login(make_client, "leder@x.dk"), _login(make_client, "chef@x.dk")
    assert _write(leader).status_code == 302
    assert _decide(leader, home, "phase_out", home["krap"]).status_code == 302
    assert leader.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    assert _methods(app, home["skoven"])["KRAP"] is True
    set_today(date(2027, 2, 11))
    _present(app, home)
    head, leader = _login(make_client, "chef@x.dk"), _login(make_client, "leder@x.dk")
    assert _methods(app, home["skoven"])["KRAP"] is True  # presented, not yet published
    assert head.post("/competence/tilbudsplan/publish?aar=2027").status_code == 302
    assert _methods(app, home["skoven"])["KRAP"] is False
    html = leader.get("/competence/tilbudsplan?aar=2027").get_data(as_text=True)
    assert "Udfases" in html and "01.01.2027" in html and "(trådt i kraft)" in html


@pytest.fixture
def shipped(app, home, runner):
    result = runner.invoke(args=["guidelines", "import", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    return home


def _duty_done(app, home_id, year):
    with app.app_context():
        tasks = guideline_tasks(db.session.get(Home, home_id), date(year, 1, 1), date(year, 12, 31))
        return {t.due_on: t.is_done for t in tasks if "-kompetenceudvikling-tilbudsplan-" in t.uid}


@pytest.mark.parametrize(("plan_year", "done"), [(2027, True), (2026, False), (2028, False)])
def test_the_december_duty_is_fulfilled_by_the_finished_plan_for_next_year_only(app, shipped, make_client,
                                                                               plan_year, done):
    leader = _login(make_client, "leder@x.dk")
    assert _duty_done(app, shipped["home"], 2026) == {date(2026, 12, 31): False}
    assert _write(leader, year=plan_year).status_code == 302
    assert _duty_done(app, shipped["home"], 2026) == {date(2026, 12, 31): False}  # a draft is not the record
    assert leader.post(f"/competence/tilbudsplan/finish?aar={plan_year}").status_code == 302
    assert _duty_done(app, shipped["home"], 2026) == {date(2026, 12, 31): done}
    assert _duty_done(app, shipped["home"], 2027) == {date(2027, 12, 31): False}


def test_the_arshjul_and_the_tilbudsplan_page_agree_on_the_december_duty(app, shipped, make_client, set_today):
    from tests.cycle.helpers import duties
    from tests.cycle.test_one_truth import CHECKS

    head = _login(make_client, "chef@x.dk")
    assert _write(head).status_code == 302
    assert head.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    assert _write(head, body="Rettet").status_code == 302  # a new draft revision after the finished one
    set_today(date(2027, 1, 5))
    head = _login(make_client, "chef@x.dk")
    html = head.get("/cycle/?aar=2026").get_data(as_text=True)
    shown = duties(html, "Ledergruppen udarbejder næste års tilbudsplan")
    assert [status for status, _ in shown] == ["done"]
    with app.app_context():
        home_row = db.session.get(Home, shipped["home"])
        task = next(t for t in guideline_tasks(home_row, date(2026, 1, 1), date(2026, 12, 31))
                    if "-kompetenceudvikling-tilbudsplan-" in t.uid)
        assert task.fulfilled_by == "competence.tilbudsplan_written" and task.is_done
        assert CHECKS[task.fulfilled_by](head, home_row, task, date(2027, 1, 5)) == (True, None)


def _revision_done(app, home_id, year):
    with app.app_context():
        tasks = guideline_tasks(db.session.get(Home, home_id), date(year, 1, 1), date(year, 12, 31))
        return {t.due_on: t.is_done for t in tasks if "-kompetenceudvikling-revision-tilgange-metoder-" in t.uid}


def test_the_december_revision_of_methods_is_done_by_next_years_plan_with_its_method_decisions(app, shipped,
                                                                                              make_client):
    """The seed revises approaches and methods in December, when the leader group writes next year's plan: a
    finished plan without a single method decision writes the plan but revises nothing."""
    leader = _login(make_client, "leder@x.dk")
    assert _write(leader).status_code == 302
    assert leader.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    assert _duty_done(app, shipped["home"], 2026) == {date(2026, 12, 31): True}
    assert _revision_done(app, shipped["home"], 2026) == {date(2026, 12, 31): False}
    assert _write(leader, body="## Kurser\n\nRettet.").status_code == 302  # a new draft revision
    assert _decide(leader, shipped, "keep", shipped["krap"]).status_code == 302
    assert _revision_done(app, shipped["home"], 2026) == {date(2026, 12, 31): False}  # a draft decides nothing
    assert leader.post("/competence/tilbudsplan/finish?aar=2027").status_code == 302
    assert _revision_done(app, shipped["home"], 2026) == {date(2026, 12, 31): True}
    assert _revision_done(app, shipped["home"], 2027) == {date(2027, 12, 31): False}
