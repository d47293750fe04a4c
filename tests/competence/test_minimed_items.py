"""Mini-MED's first and last meetings of the year and the departments' autumn suggestions (issue #16; the
home's guideline wins): at the year's first meeting the written competence plan is approved and the tilbudsplan
presented (a presentation, not an approval), each its own record on that meeting; at the year's last meeting
the tilbudsplan is evaluated; each department's October/November staff meeting records its suggestions. Each
record fulfils its årshjul duty, for its own year only."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import clock
from app.competence.meeting_models import (
    CompetencePlanApproval,
    DepartmentSuggestion,
    TilbudsplanEvaluation,
    TilbudsplanPresentation,
)
from app.competence.models import CompetencePlan, TilbudsplanVersion
from app.cycle.models import MiniMedMeeting
from app.cycle.services import guideline_tasks
from app.extensions import db
from app.people.constants import Role
from app.people.models import Home
from tests.cycle.helpers import duties
from tests.factories import PASSWORD, make_department, make_home, make_user

SHIPPED = Path(__file__).resolve().parents[2] / "guidelines"
FIRST, SECOND, LAST = date(2026, 2, 12), date(2026, 5, 20), date(2026, 11, 25)


@pytest.fixture
def home(app, runner, set_today):
    set_today(date(2026, 12, 3))
    with app.app_context():
        home = make_home()
        north, south = make_department(home, "Nordlys"), make_department(home, "Sydhavn")
        make_user(home, [north], roles=(Role.HEAD,), email="chef@x.dk")
        make_user(home, [north], roles=(Role.DEPARTMENT_LEADER,), email="leder@x.dk")
        make_user(home, [south], roles=(Role.MINI_MED,), email="mm@x.dk")
        meetings = {day: MiniMedMeeting(home_id=home.id, held_on=day) for day in (FIRST, SECOND, LAST)}
        db.session.add_all(meetings.values())
        db.session.commit()
        ids = {"home": home.id, "north": north.id, "south": south.id,
               **{day: m.id for day, m in meetings.items()}}
    result = runner.invoke(args=["guidelines", "import", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    return ids


def _login(client, email="chef@x.dk"):
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    return client


def _done(app, home_id, key, year):
    """{(due_on, department_id): is_done} of the shipped kompetenceudvikling duty `key` in a year."""
    with app.app_context():
        tasks = guideline_tasks(db.session.get(Home, home_id), date(year, 1, 1), date(year, 12, 31))
        return {(t.due_on, t.department_id): t.is_done for t in tasks if f"-kompetenceudvikling-{key}-" in t.uid}


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _plan(app, home, year=2026, text="Flere børn med autisme.", finished=True):
    with app.app_context():
        db.session.add(CompetencePlan(home_id=home["home"], year=year, future_tasks=text,
                                      finished_at=clock.now() if finished else None))
        db.session.commit()


def _tilbudsplan(app, home, year=2026, status="finished"):
    with app.app_context():
        db.session.add(TilbudsplanVersion(home_id=home["home"], year=year, status=status, body="# Plan"))
        db.session.commit()


# The written competence plan: approved at the year's first meeting.

def test_the_plan_is_approved_at_the_years_first_meeting_not_the_second(app, home, client):
    _plan(app, home)
    head = _login(client)
    key = "godkendelse-kompetenceudviklingsplan"
    assert _done(app, home["home"], key, 2026) == {(FIRST, None): False}
    second = head.post(f"/competence/moeder/{home[SECOND]}/kompetenceplan", data={"note": ""})
    assert second.status_code == 400
    assert "hører til årets første Mini-MED-møde (12. februar 2026)" in second.get_data(as_text=True)
    assert _count(app, CompetencePlanApproval) == 0
    assert _done(app, home["home"], key, 2026) == {(FIRST, None): False}
    first = head.post(f"/competence/moeder/{home[FIRST]}/kompetenceplan", data={"note": "Enstemmigt."})
    assert first.status_code == 302
    assert "Godkendt af Mini-MED den 12. februar 2026." in head.get("/competence/plan?aar=2026").get_data(
        as_text=True)
    assert _done(app, home["home"], key, 2026) == {(FIRST, None): True}
    assert _done(app, home["home"], key, 2027) == {}


def test_an_earlier_meeting_scheduled_later_makes_it_the_first(app, home, client):
    """"First" is the earliest meeting of the calendar year, whenever it was entered."""
    _plan(app, home)
    with app.app_context():
        db.session.add(MiniMedMeeting(home_id=home["home"], held_on=date(2026, 1, 20)))
        db.session.commit()
    head = _login(client)
    response = head.post(f"/competence/moeder/{home[FIRST]}/kompetenceplan", data={"note": ""})
    assert response.status_code == 400 and "20. januar 2026" in response.get_data(as_text=True)


def test_a_second_approval_of_the_plan_at_the_same_meeting_changes_nothing(app, home, client):
    _plan(app, home)
    head = _login(client)
    assert head.post(f"/competence/moeder/{home[FIRST]}/kompetenceplan", data={"note": "A"}).status_code == 302
    again = head.post(f"/competence/moeder/{home[FIRST]}/kompetenceplan", data={"note": "B"})
    assert again.status_code == 400
    assert "allerede godkendt på mødet den 12. februar 2026" in again.get_data(as_text=True)
    with app.app_context():
        assert [a.note for a in db.session.scalars(select(CompetencePlanApproval))] == ["A"]


@pytest.mark.parametrize(("text", "finished", "message"), [
    ("Flere børn med autisme.", False, "ikke færdigskrevet"),
    ("   ", True, "Planen er tom"),
    (None, None, "ingen skriftlig kompetenceudviklingsplan for 2026"),
])
def test_an_unfinished_empty_or_missing_plan_cannot_be_approved(app, home, client, text, finished, message):
    if text is not None:
        _plan(app, home, text=text, finished=finished)
    response = _login(client).post(f"/competence/moeder/{home[FIRST]}/kompetenceplan", data={"note": ""})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(app, CompetencePlanApproval) == 0


def test_only_the_meetings_own_years_plan_is_approved_there(app, home, client):
    """The 2027 plan finished in December 2026 waits for the first meeting of 2027."""
    _plan(app, home, year=2027)
    response = _login(client).post(f"/competence/moeder/{home[FIRST]}/kompetenceplan", data={"note": ""})
    assert response.status_code == 400
    assert _count(app, CompetencePlanApproval) == 0
    assert _done(app, home["home"], "godkendelse-kompetenceudviklingsplan", 2026) == {(FIRST, None): False}


def test_only_the_tilbudsleder_records_approvals(app, home, make_client):
    _plan(app, home)
    for email in ("leder@x.dk", "mm@x.dk"):
        response = _login(make_client(), email).post(f"/competence/moeder/{home[FIRST]}/kompetenceplan")
        assert response.status_code == 403
    assert _count(app, CompetencePlanApproval) == 0


# The tilbudsplan: presented (not approved) at the year's first meeting.

def test_the_tilbudsplan_is_presented_at_the_first_meeting_once(app, home, client):
    _tilbudsplan(app, home)
    head = _login(client)
    key = "fremlaeggelse-tilbudsplan"
    page = head.get(f"/cycle/moeder/{home[FIRST]}").get_data(as_text=True)
    assert "Registrér: tilbudsplanen er fremlagt" in page and "den godkendes ikke her" in page
    second = head.post(f"/competence/moeder/{home[SECOND]}/tilbudsplan", data={"note": ""})
    assert second.status_code == 400 and "hører til årets første" in second.get_data(as_text=True)
    assert _done(app, home["home"], key, 2026) == {(FIRST, None): False}
    assert head.post(f"/competence/moeder/{home[FIRST]}/tilbudsplan", data={"note": ""}).status_code == 302
    assert _done(app, home["home"], key, 2026) == {(FIRST, None): True}
    again = head.post(f"/competence/moeder/{home[FIRST]}/tilbudsplan", data={"note": ""})
    assert again.status_code == 400 and "allerede registreret som fremlagt" in again.get_data(as_text=True)
    assert _count(app, TilbudsplanPresentation) == 1
    with app.app_context():
        # presenting is the step before publishing (the plan's status "approved" reads "Fremlagt"); no approval
        assert db.session.scalar(select(TilbudsplanVersion.status)) == "approved"
    page = head.get(f"/cycle/moeder/{home[FIRST]}").get_data(as_text=True)
    assert "Tilbudsplanen for 2026 (revision 1) er fremlagt på mødet den 12. februar 2026" in page


@pytest.mark.parametrize(("year", "status"), [(2026, "draft"), (2026, "published"), (2027, "finished")])
def test_a_draft_or_another_years_tilbudsplan_is_not_presented(app, home, client, year, status):
    _tilbudsplan(app, home, year=year, status=status)
    response = _login(client).post(f"/competence/moeder/{home[FIRST]}/tilbudsplan", data={"note": ""})
    assert response.status_code == 400
    assert "ingen tilbudsplan for 2026 at fremlægge" in response.get_data(as_text=True)
    assert _count(app, TilbudsplanPresentation) == 0


# The year's last meeting: the tilbudsplan's evaluation and next year's suggestions.

def test_the_evaluation_is_recorded_at_the_years_last_meeting_not_an_earlier_one(app, home, client):
    head = _login(client)
    data = {"evaluation": "Kurserne blev holdt.", "suggestions_note": "Tre afdelingers forslag."}
    key = "evaluering-tilbudsplan"
    early = head.post(f"/competence/moeder/{home[SECOND]}/evaluering", data=data)
    assert early.status_code == 400
    body = early.get_data(as_text=True)
    assert "hører til årets sidste Mini-MED-møde (25. november 2026)" in body
    assert _done(app, home["home"], key, 2026) == {(LAST, None): False}
    title = "Tilbudslederen fremlægger evalueringen"
    assert [s for s, _ in duties(head.get("/cycle/?aar=2026").get_data(as_text=True), title)] == ["overdue"]
    assert head.post(f"/competence/moeder/{home[LAST]}/evaluering", data=data).status_code == 302
    assert [s for s, _ in duties(head.get("/cycle/?aar=2026").get_data(as_text=True), title)] == ["done"]
    assert _done(app, home["home"], key, 2026) == {(LAST, None): True}
    assert "Evalueret på mødet den 25. november 2026" in head.get(f"/cycle/moeder/{home[LAST]}").get_data(
        as_text=True)
    again = head.post(f"/competence/moeder/{home[LAST]}/evaluering", data=data)
    assert again.status_code == 400 and "allerede evalueret" in again.get_data(as_text=True)
    assert _count(app, TilbudsplanEvaluation) == 1


def test_a_later_meeting_that_year_means_this_one_is_not_the_last(app, home, client, make_client, set_today):
    set_today(date(2026, 11, 26))
    with app.app_context():
        later = MiniMedMeeting(home_id=home["home"], held_on=date(2026, 12, 9))
        db.session.add(later)
        db.session.commit()
        later_id = later.id
    head = _login(client)
    data = {"evaluation": "Godt år."}
    response = head.post(f"/competence/moeder/{home[LAST]}/evaluering", data=data)
    assert response.status_code == 400 and "9. december 2026" in response.get_data(as_text=True)
    response = head.post(f"/competence/moeder/{later_id}/evaluering", data=data)
    assert response.status_code == 400 and "når mødet er holdt" in response.get_data(as_text=True)
    set_today(date(2026, 12, 9))
    head = _login(make_client())
    assert head.post(f"/competence/moeder/{later_id}/evaluering", data=data).status_code == 302
    assert _done(app, home["home"], "evaluering-tilbudsplan", 2026) == {(date(2026, 12, 9), None): True}


def test_an_empty_evaluation_is_refused(app, home, client):
    response = _login(client).post(f"/competence/moeder/{home[LAST]}/evaluering", data={"evaluation": "  "})
    assert response.status_code == 400 and "Skriv evalueringen" in response.get_data(as_text=True)
    assert _count(app, TilbudsplanEvaluation) == 0


def test_last_years_evaluation_does_not_fulfil_this_years_duty(app, home, client):
    with app.app_context():
        old = MiniMedMeeting(home_id=home["home"], held_on=date(2025, 11, 26))
        db.session.add(old)
        db.session.commit()
        old_id = old.id
    assert _login(client).post(f"/competence/moeder/{old_id}/evaluering",
                               data={"evaluation": "2025 gik godt."}).status_code == 302
    assert _count(app, TilbudsplanEvaluation) == 1
    assert _done(app, home["home"], "evaluering-tilbudsplan", 2026) == {(LAST, None): False}


# The departments' staff meetings in October/November.

def _suggest(client, department_id, day, year=2026, text="Et kursus i ASK."):
    return client.post(f"/competence/forslag?aar={year}", data={
        "department_id": department_id, "meeting_on": day.isoformat(), "suggestions": text,
        "methods_development": "Low arousal om aftenen."})


@pytest.mark.parametrize(("day", "label"), [
    (date(2026, 9, 30), "Holdt før oktober"), (date(2026, 10, 1), None), (date(2026, 11, 30), None),
    (date(2026, 12, 1), "For sent: holdt efter november")])
def test_a_staff_meeting_outside_october_november_is_recorded_and_shown_as_such(app, home, client, day, label):
    leader = _login(client, "leder@x.dk")
    assert _suggest(leader, home["north"], day).status_code == 302
    page = leader.get("/competence/forslag?aar=2026").get_data(as_text=True)
    for text in ("Holdt før oktober", "For sent: holdt efter november"):
        assert (text in page) == (text == label)
    with app.app_context():
        row = db.session.scalar(select(DepartmentSuggestion))
        assert row.is_outside_season == (label is not None)
    assert _done(app, home["home"], "personalemoede-tilbudsplan", 2026) == {
        (date(2026, 11, 30), home["north"]): True, (date(2026, 11, 30), home["south"]): False}


def test_the_suggestions_fulfil_only_their_own_departments_duty_of_their_year(app, home, client, make_client):
    leader = _login(client, "leder@x.dk")
    last_year = _suggest(leader, home["north"], date(2025, 10, 15), year=2025)
    assert last_year.status_code == 302
    assert _done(app, home["home"], "personalemoede-tilbudsplan", 2026) == {
        (date(2026, 11, 30), home["north"]): False, (date(2026, 11, 30), home["south"]): False}
    wrong_year = _suggest(leader, home["north"], date(2025, 11, 2))
    assert wrong_year.status_code == 400 and "skal ligge i 2026" in wrong_year.get_data(as_text=True)
    future = _suggest(leader, home["north"], date(2026, 12, 10))
    assert future.status_code == 400 and "når personalemødet er holdt" in future.get_data(as_text=True)
    assert _count(app, DepartmentSuggestion) == 1
    head = _login(make_client(), "chef@x.dk")
    assert _suggest(head, home["south"], date(2026, 11, 3)).status_code == 302
    assert _done(app, home["home"], "personalemoede-tilbudsplan", 2026) == {
        (date(2026, 11, 30), home["north"]): False, (date(2026, 11, 30), home["south"]): True}


def test_a_department_leader_records_only_his_own_department(app, home, make_client):
    leader = _login(make_client(), "leder@x.dk")
    assert _suggest(leader, home["south"], date(2026, 10, 20)).status_code == 400
    member = _login(make_client(), "mm@x.dk")
    assert member.get("/competence/forslag?aar=2026").status_code == 200
    assert _suggest(member, home["south"], date(2026, 10, 20)).status_code == 403
    assert _count(app, DepartmentSuggestion) == 0
    head = _login(make_client(), "chef@x.dk")
    assert _suggest(head, home["south"], date(2026, 10, 20)).status_code == 302


def test_saving_again_corrects_the_departments_record(app, home, client):
    leader = _login(client, "leder@x.dk")
    assert _suggest(leader, home["north"], date(2026, 10, 20), text="Første udgave").status_code == 302
    assert _suggest(leader, home["north"], date(2026, 10, 21), text="Rettet").status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(DepartmentSuggestion)).all()
        assert [(r.suggestions, r.meeting_on) for r in rows] == [("Rettet", date(2026, 10, 21))]


def test_the_last_meeting_lists_every_departments_suggestions(app, home, client, make_client):
    leader = _login(make_client(), "leder@x.dk")
    assert _suggest(leader, home["north"], date(2026, 10, 20), text="Et kursus i ASK.").status_code == 302
    head = _login(client)
    page = head.get(f"/cycle/moeder/{home[LAST]}").get_data(as_text=True)
    section = page.split("Afdelingernes forslag til tilbudsplanen for 2027")[1]
    assert "Nordlys" in section and "Et kursus i ASK." in section
    assert section.index("Sydhavn") < section.index("Mangler")
    assert "Afdelingernes forslag" not in head.get(f"/cycle/moeder/{home[SECOND]}").get_data(as_text=True)


def test_nothing_is_recorded_on_another_homes_meeting(app, home, client):
    with app.app_context():
        other = make_home()
        meeting = MiniMedMeeting(home_id=other.id, held_on=date(2026, 1, 5))
        db.session.add(meeting)
        db.session.commit()
        meeting_id = meeting.id
    assert _login(client).post(f"/competence/moeder/{meeting_id}/evaluering",
                               data={"evaluation": "x"}).status_code == 404

