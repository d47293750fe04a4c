"""Which årshjul duty a competence plan or an October overview completes: the one about its year.

The shipped guideline (kompetenceudvikling) asks the leader group to finish the plan for the coming year in
December, and the department leader to forward in October the overview of wishes for next year's funds.
"""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.competence.models import CompetencePlan, DepartmentOverview
from app.cycle.services import guideline_tasks
from app.extensions import db
from app.people.constants import Role
from app.people.models import Home
from tests.factories import PASSWORD, make_department, make_home, make_user

SHIPPED = Path(__file__).resolve().parents[2] / "guidelines"


@pytest.fixture
def home(app, runner, set_today):
    set_today(date(2026, 12, 10))
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        make_user(home, [department], roles=(Role.HEAD,), email="chef@x.dk")
        make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,), email="leder@x.dk")
        db.session.commit()
        ids = {"home": home.id, "dep": department.id}
    result = runner.invoke(args=["guidelines", "import", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    return ids


def _login(client, email):
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    return client


def _done(app, home_id, key, year):
    """{due_on: is_done} of the shipped duty `key` in a year."""
    with app.app_context():
        home = db.session.get(Home, home_id)
        tasks = guideline_tasks(home, date(year, 1, 1), date(year, 12, 31))
        return {t.due_on: t.is_done for t in tasks if f"-{key}-" in t.uid}


PLAN = "skriftlig-kompetenceudviklingsplan"


def _write_and_finish(client, year, text="Flere børn med autisme."):
    assert client.post(f"/competence/plan?aar={year}", data={"future_tasks": text}).status_code == 302
    return client.post(f"/competence/plan/finish?aar={year}")


def test_next_years_plan_finished_in_december_completes_this_december(app, home, client):
    head = _login(client, "chef@x.dk")
    assert _done(app, home["home"], PLAN, 2026) == {date(2026, 12, 31): False}
    assert _write_and_finish(head, 2027).status_code == 302
    assert _done(app, home["home"], PLAN, 2026) == {date(2026, 12, 31): True}
    assert _done(app, home["home"], PLAN, 2027) == {date(2027, 12, 31): False}


def test_this_years_plan_finished_in_december_leaves_this_december_open(app, home, client):
    head = _login(client, "chef@x.dk")
    assert _write_and_finish(head, 2026).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CompetencePlan)).is_finished
    assert _done(app, home["home"], PLAN, 2026) == {date(2026, 12, 31): False}


def test_a_plan_two_years_ahead_completes_nothing(app, home, client):
    head = _login(client, "chef@x.dk")
    assert _write_and_finish(head, 2028).status_code == 302
    assert _done(app, home["home"], PLAN, 2026) == {date(2026, 12, 31): False}
    assert _done(app, home["home"], PLAN, 2027) == {date(2027, 12, 31): False}


def test_a_plan_finished_late_in_january_completes_last_december(app, home, client, set_today):
    set_today(date(2027, 1, 8))
    head = _login(client, "chef@x.dk")
    assert _write_and_finish(head, 2027).status_code == 302
    assert _done(app, home["home"], PLAN, 2026) == {date(2026, 12, 31): True}
    assert _done(app, home["home"], PLAN, 2027) == {date(2027, 12, 31): False}


def test_an_empty_plan_cannot_be_finished(app, home, client):
    head = _login(client, "chef@x.dk")
    assert head.post("/competence/plan?aar=2027", data={"future_tasks": "   "}).status_code == 302
    response = head.post("/competence/plan/finish?aar=2027", follow_redirects=True)
    assert "Planen er tom" in response.get_data(as_text=True)
    with app.app_context():
        plan = db.session.scalar(select(CompetencePlan))
        assert plan.finished_at is None and plan.finished_by_id is None
    assert _done(app, home["home"], PLAN, 2026) == {date(2026, 12, 31): False}
    assert _write_and_finish(head, 2027, text="Low arousal i alle afdelinger.").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CompetencePlan)).is_finished


@pytest.mark.parametrize(("funds_year", "done"), [(2027, True), (2026, False), (2028, False)])
def test_the_october_overview_completes_the_october_duty_of_the_year_before_its_funds(
        app, home, make_client, set_today, funds_year, done):
    set_today(date(2026, 10, 20))
    leader = _login(make_client(), "leder@x.dk")
    response = leader.post(f"/competence/overview/{home['dep']}/forward?aar={funds_year}")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(DepartmentOverview)).is_locked
    assert _done(app, home["home"], "oensker-oversigt", 2026) == {date(2026, 10, 31): done}
    assert _done(app, home["home"], "oensker-oversigt", 2027) == {date(2027, 10, 31): False}


def test_the_plan_exports_as_xlsx_one_row_a_section(app, home, client):
    from io import BytesIO

    from openpyxl import load_workbook

    head = _login(client, "chef@x.dk")
    assert "/competence/plan/export.xlsx?aar=2027" in head.get("/competence/plan?aar=2027").get_data(as_text=True)
    empty = load_workbook(BytesIO(head.get("/competence/plan/export.xlsx?aar=2027").data)).active
    assert list(empty.iter_rows(values_only=True))[-1] == ("Status", "Ikke påbegyndt")
    assert _write_and_finish(head, 2027, text="=HYPERLINK(1)").status_code == 302
    rows = list(load_workbook(BytesIO(head.get("/competence/plan/export.xlsx?aar=2027").data)).active
                .iter_rows(values_only=True))
    assert rows[0] == ("Afsnit", "Tekst") and len(rows) == 2 + 7
    assert rows[1] == ("Sådan ser fremtidens opgaver ud (tilgange, metoder og målgruppe)", "'=HYPERLINK(1)")
    assert rows[-1][0] == "Status" and rows[-1][1].startswith("Færdigskrevet ")
