"""Fixtures for the annual cycle: a small home with its people, and guidelines imported through the real
`flask guidelines import` command from files written for the test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.extensions import db
from app.people.constants import EmploymentType, Role
from tests.factories import PASSWORD, make_department, make_home, make_user

#: The test guideline's cycle, one entry per `when` form (YAML, indented under `cycle:`).
CYCLE = """\
  - key: kursusoensker
    when: {day: 1, month: 10}
    what: Hver medarbejder sender sine ønsker til næste år, med begrundelse; kort og konkret.
    responsible: employee
    fulfilled_by: competence.wish_submitted
  - key: oversigt
    when: {month: 10}
    what: Afdelingslederen sender oversigten over ønsker til tilbudslederen.
    responsible: department_leader
    per_department: true
    fulfilled_by: competence.overview_forwarded
  - key: personalemoede
    when: {months: [10, 11]}
    what: Personalemødet drøfter næste års tilbudsplan.
    responsible: department_leader
    per_department: true
  - key: godkendelse
    when: {meeting: mini_med_first}
    what: Mini-MED godkender fordelingen af kompetencemidler.
    responsible: head
    fulfilled_by: competence.distribution_approved
  - key: evaluering
    when: {meeting: mini_med_last}
    what: Tilbudsplanen evalueres i Mini-MED.
    responsible: head
  - key: vikarmoeder
    when: {twice_a_year: temp_meeting}
    what: Der holdes vikarmøde.
    responsible: department_leader
    fulfilled_by: onboarding.temp_meeting_held
  - key: plan
    when: {month: 12}
    what: Ledergruppen skriver kompetenceudviklingsplanen.
    responsible: leader_group
    fulfilled_by: competence.plan_written
  - key: februar
    when: {month: 2}
    what: Tilbudslederen gennemgår årets første måned.
    responsible: head
"""

DOCUMENT = """\
---
title: {title}
document_type: lokal retningslinje
level: local
standard: Kompetenceudvikling
scope: Alle ansatte i testhjemmet
target_group: [employee, temp, department_leader, head]
revision_responsible: head
approved_by: head
effective_from: 2026-01-15
review: {{month: 12}}
cycle:
{cycle}---
# {title}

En retningslinje til test af årshjulet.
"""


def write_guideline(folder: Path, slug: str = "testaarshjul", cycle: str = CYCLE,
                    title: str = "Testretningslinje for årshjulet") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(DOCUMENT.format(title=title, cycle=cycle), encoding="utf-8")
    return path


@dataclass
class People:
    home: int
    dep_a: int
    dep_b: int
    head: str
    leader_a: str
    leader_b: str
    employee_a: str
    employee_b: str
    temp_a: str
    minimed: str
    ids: dict


@pytest.fixture
def people(app, set_today) -> People:
    """A home with two active departments (and one inactive) and one person per role; today 20 September 2026."""
    set_today(date(2026, 9, 20))
    with app.app_context():
        home = make_home("Testhjemmet")
        dep_a, dep_b = make_department(home, "Skovbrynet"), make_department(home, "Fyrtårnet")
        old = make_department(home, "Lukket afdeling")
        old.is_active = False
        made = {
            "head": make_user(home, [dep_a], roles=(Role.HEAD, Role.MINI_MED), email="head@test.dk",
                              name="Hanne Leder"),
            "leader_a": make_user(home, [dep_a], roles=(Role.DEPARTMENT_LEADER,), email="leder-a@test.dk",
                                  name="Anders A"),
            "leader_b": make_user(home, [dep_b], roles=(Role.DEPARTMENT_LEADER,), email="leder-b@test.dk",
                                  name="Bente B"),
            "employee_a": make_user(home, [dep_a], email="ansat-a@test.dk", name="Maja Ansat"),
            "employee_b": make_user(home, [dep_b], email="ansat-b@test.dk", name="Bo Ansat"),
            "temp_a": make_user(home, [dep_a], employment=EmploymentType.ON_CALL, email="vikar@test.dk",
                                name="Viktor Vikar"),
            "minimed": make_user(home, [dep_b], roles=(Role.EMPLOYEE, Role.MINI_MED), email="tr@test.dk",
                                 name="Tina TR"),
        }
        db.session.commit()
        ids = {k: u.id for k, u in made.items()}
        return People(home=home.id, dep_a=dep_a.id, dep_b=dep_b.id, ids=ids,
                      **{k: u.email for k, u in made.items()})


@pytest.fixture
def import_guidelines(runner, tmp_path):
    """import_guidelines(cycle=..., slug=...) writes a guideline file and runs `flask guidelines import` on it."""
    counter = iter(range(1000))

    def run(cycle: str = CYCLE, slug: str = "testaarshjul", title: str = "Testretningslinje for årshjulet",
            extra: tuple = ()):
        folder = tmp_path / f"import{next(counter)}"
        write_guideline(folder, slug, cycle, title)
        args = ["guidelines", "import", str(folder), *extra]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def login(client):
    def as_(email: str):
        client.post("/auth/logout")
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return as_
