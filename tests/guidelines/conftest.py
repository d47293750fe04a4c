"""Helpers for the guideline tests: writing guideline files and a small home with people."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from app.extensions import db
from app.people.constants import EmploymentType, Role
from tests.factories import make_department, make_home, make_user

BASE_FRONT = {
    "title": "Testretningslinje",
    "document_type": "lokal retningslinje",
    "level": "local",
    "standard": "Kompetenceudvikling",
    "scope": "Alle afdelinger",
    "target_group": ["employee", "temp", "department_leader", "head"],
    "revision_responsible": "head",
    "approved_by": "head",
    "effective_from": "2026-01-15",
    "review": {"month": 12},
}


def document(front: dict | None = None, body: str = "# Overskrift\n\nTekst om kompetencer.\n", **changes) -> str:
    data = dict(BASE_FRONT if front is None else front)
    data.update(changes)
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


def write(folder: Path, slug: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def org(app):
    """One home with two departments: a head, a leader, two employees, a temp, and a second head-less home."""
    with app.app_context():
        home = make_home("Testhjemmet")
        north, south = make_department(home, "Nord"), make_department(home, "Syd")
        people = {
            "head": make_user(home, [north], roles=(Role.HEAD,), name="Hanne Leder", email="head@t.dk"),
            "leader": make_user(home, [south], roles=(Role.DEPARTMENT_LEADER,), name="Lone Leder",
                                email="leader@t.dk"),
            "emp1": make_user(home, [north], name="Erik Ansat", email="emp1@t.dk"),
            "emp2": make_user(home, [south], name="Eva Ansat", email="emp2@t.dk"),
            "temp": make_user(home, [south], name="Tim Vikar", email="temp@t.dk",
                              employment=EmploymentType.ON_CALL),
        }
        db.session.commit()
        ids = {key: person.id for key, person in people.items()}
        ids.update(home=home.id, region=home.region_id, north=north.id, south=south.id)
    return ids


def import_folder(runner, folder: Path, *extra: str):
    return runner.invoke(args=["guidelines", "import", str(folder), *extra])


@pytest.fixture
def library(app, runner, org, tmp_path, set_today):
    """Three guidelines: overdue, due and current on 1 December 2026."""
    set_today(date(2026, 12, 1))
    write(tmp_path, "forfalden", document(title="Forfalden retningslinje", effective_from="2025-06-01",
                                          review={"every_months": 12}, standard="Magtanvendelse",
                                          body="# Forfalden\n\nOm magtanvendelse og selvbestemmelse.\n"))
    write(tmp_path, "snart", document(title="Snart til revision", effective_from="2026-01-15",
                                      review={"every_months": 12}, related=["ny"],
                                      cycle=[{"key": "frist", "what": "Send ønsker.", "responsible": "employee",
                                              "when": {"day": 1, "month": 10}},
                                             {"key": "maaned", "what": "Oversigt.", "responsible": "department_leader",
                                              "when": {"month": 10}, "per_department": True},
                                             {"key": "moede", "what": "Fordeling.", "responsible": "head",
                                              "when": {"meeting": "mini_med_first"}},
                                             {"key": "vikar", "what": "Vikarmøde.", "responsible": "department_leader",
                                              "when": {"twice_a_year": "temp_meeting"}}]))
    write(tmp_path, "ny", document(title="Ny retningslinje", effective_from="2026-11-01",
                                   level="regional", document_type="fælles regional retningslinje",
                                   review={"every_months": 12}))
    result = import_folder(runner, tmp_path)
    assert result.exit_code == 0, result.output
    return org
