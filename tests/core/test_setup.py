"""`flask setup`: the first home, departments and person on an empty database, then the guidelines."""

import re
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.guidelines.models import Guideline
from app.people.models import Department, Home, Region, User
from tests.factories import make_home

GUIDELINES = Path(__file__).resolve().parents[2] / "guidelines"
OPTIONS = ["setup", "--region", "Region Sjælland", "--home", "Solsikken", "--department", "Skovbrynet",
           "--department", "Havbrisen, Engen", "--name", "Tina Tilbudsleder", "--email", "Tina@Example.dk"]


def start_code(output: str) -> str:
    return re.search(r"start code \(shown only now\): (\S+)", output).group(1)


def test_setup_creates_the_home_departments_and_a_head_who_logs_in_with_the_start_code(app, runner, client):
    result = runner.invoke(args=OPTIONS)
    assert result.exit_code == 0, result.output
    with app.app_context():
        home = db.session.scalars(select(Home)).one()
        assert home.name == "Solsikken" and home.region.name == "Region Sjælland"
        assert [d.name for d in home.departments] == ["Engen", "Havbrisen", "Skovbrynet"]
        person = db.session.scalars(select(User)).one()
        assert person.email == "tina@example.dk" and person.roles == {"head"} and person.must_set_password
        assert len(person.departments) == 3
    code = start_code(result.output)
    response = client.post("/auth/login", data={"email": "tina@example.dk", "password": code})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/first-password")
    response = client.post("/auth/first-password", data={"start_code": code, "password": "et-langt-kodeord-2026",
                                                         "confirm": "et-langt-kodeord-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_setup_asks_for_what_the_options_do_not_give(app, runner):
    answers = "Region Syd\nBørnehuset\nLyngen, Kilden\nPer Person\nper@example.dk\n"
    result = runner.invoke(args=["setup", "--role", "admin"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Departments (separated by commas)" in result.output
    with app.app_context():
        assert db.session.scalars(select(User.email)).all() == ["per@example.dk"]
        assert db.session.scalars(select(User)).one().roles == {"admin"}
        assert sorted(db.session.scalars(select(Department.name))) == ["Kilden", "Lyngen"]


def test_setup_refuses_a_database_that_already_has_a_home(app, runner):
    with app.app_context():
        make_home("Eksisterende")
        db.session.commit()
    result = runner.invoke(args=OPTIONS)
    assert result.exit_code == 1
    assert "already has a home; nothing was changed" in result.output
    asked = runner.invoke(args=["setup"], input="")
    assert asked.exit_code == 1 and "Region" not in asked.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Home.id))) == 1
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_setup_twice_changes_nothing_the_second_time(app, runner):
    assert runner.invoke(args=OPTIONS).exit_code == 0
    again = runner.invoke(args=OPTIONS)
    assert again.exit_code == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Home.id))) == 1
        assert db.session.scalar(select(func.count(User.id))) == 1
        assert db.session.scalar(select(func.count(Region.id))) == 1


def test_setup_refuses_a_bad_email_and_saves_nothing(app, runner):
    result = runner.invoke(args=[*OPTIONS[:-1], "ikke-en-adresse"])
    assert result.exit_code == 2 and "--email" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Home.id))) == 0


def test_guideline_import_works_right_after_setup(app, runner):
    before = runner.invoke(args=["guidelines", "import", str(GUIDELINES)])
    assert before.exit_code == 1 and "no home yet" in before.output
    assert runner.invoke(args=OPTIONS).exit_code == 0
    result = runner.invoke(args=["guidelines", "import", str(GUIDELINES)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Guideline.id))) > 0


def test_make_run_demo_step_leaves_a_set_up_database_alone(app, runner):
    assert runner.invoke(args=OPTIONS).exit_code == 0
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and "already has data; the demo was not loaded" in result.output
    with app.app_context():
        assert db.session.scalars(select(Home.name)).all() == ["Solsikken"]
        assert db.session.scalar(select(func.count(User.id))) == 1
