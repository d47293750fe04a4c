"""`flask guidelines import/export`: validation names file, field and problem; nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.guidelines.importer import read_documents
from app.guidelines.models import Guideline, GuidelineVersion
from app.guidelines.services import published_cycle_entries
from app.people.models import Home
from tests.factories import make_home
from tests.guidelines.conftest import BASE_FRONT, document, import_folder, write

SHIPPED = Path(__file__).resolve().parents[2] / "guidelines"


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count(Guideline.id))),
                db.session.scalar(select(func.count(GuidelineVersion.id))))


def test_shipped_guidelines_are_valid_and_vikarmoeder_is_stated_once():
    documents = {d.slug: d for d in read_documents([SHIPPED])}
    assert len(documents) == 5
    assert {d.level for d in documents.values()} == {"local", "regional"}
    owners = [slug for slug, d in documents.items() for e in d.front["cycle"] if e["key"] == "vikarmoeder"]
    assert owners == ["introduktion-nyansatte-og-vikarer"]


def test_import_twice_changes_nothing(app, runner, org):
    first = runner.invoke(args=["guidelines", "import", str(SHIPPED)])
    assert first.exit_code == 0, first.output
    assert "5 created" in first.output
    counts = _counts(app)
    with app.app_context():
        audit = db.session.scalar(select(func.count(AuditEntry.id)))
    second = runner.invoke(args=["guidelines", "import", str(SHIPPED)])
    assert second.exit_code == 0, second.output
    assert "0 created, 0 new version(s), 5 unchanged" in second.output
    assert _counts(app) == counts == (5, 5)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audit


def test_changed_file_becomes_a_new_published_version(app, runner, org, tmp_path):
    write(tmp_path, "test", document())
    assert import_folder(runner, tmp_path).exit_code == 0
    write(tmp_path, "test", document(body="# Overskrift\n\nNy tekst.\n", title="Ny titel"))
    result = import_folder(runner, tmp_path)
    assert result.exit_code == 0 and "1 new version(s)" in result.output
    with app.app_context():
        versions = db.session.scalars(select(GuidelineVersion).order_by(GuidelineVersion.number)).all()
        assert [(v.number, v.status) for v in versions] == [(1, "superseded"), (2, "published")]
        assert versions[1].title == "Ny titel" and "Ny tekst." in versions[1].body
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert actions.count("guidelines.imported") == 2


BAD = [
    ("yaml", document().replace("title: Testretningslinje", "title: [ubalanceret"), "not valid YAML"),
    ("missing", document(front={k: v for k, v in BASE_FRONT.items() if k != "scope"}), "field 'scope' is missing"),
    ("unknown", document(colour="blå"), "unknown field 'colour'"),
    ("date", document(effective_from="2026-02-30"), "field 'effective_from'"),
    ("role", document(revision_responsible="boss"), "field 'revision_responsible': unknown role 'boss'"),
    ("target", document(target_group=["employee", "chef"]), "field 'target_group': unknown role 'chef'"),
    ("related", document(related=["findes-ikke"]), "unknown guideline 'findes-ikke'"),
    ("review", document(review={"every_months": 48}), "field 'review'"),
    ("doctype", document(document_type="notat"), "field 'document_type'"),
    ("when", document(cycle=[{"key": "a", "what": "X", "responsible": "head", "when": {"day": 29, "month": 2}}]),
     "cycle entry 1: field 'when': day 29"),
    ("cyclekey", document(cycle=[{"key": "a", "what": "X", "responsible": "head", "when": {"month": 3}},
                                 {"key": "a", "what": "Y", "responsible": "head", "when": {"month": 4}}]),
     "cycle entry 2: field 'key' 'a' is used twice"),
    ("keyformat", document(cycle=[{"key": "Stor Nøgle", "what": "X", "responsible": "head", "when": {"month": 3}}]),
     "field 'key'"),
    ("event", document(cycle=[{"key": "a", "what": "X", "responsible": "head", "when": {"month": 3},
                               "fulfilled_by": "noget.andet"}]), "unknown event"),
    ("nofront", "# Bare tekst\n", "front matter"),
    ("empty", document(body="\n"), "no text"),
    ("latin1", document(body="Æblegrød på dansk\n").encode("latin-1"), "not UTF-8"),
    ("huge", document(body="x" * 210_000), "too large"),
]


@pytest.mark.parametrize(("slug", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_an_invalid_file_stops_the_whole_import(app, runner, org, tmp_path, slug, text, message):
    write(tmp_path, "god", document())
    write(tmp_path, slug, text)
    result = import_folder(runner, tmp_path)
    assert result.exit_code != 0
    assert f"{slug}.md" in result.output and message in result.output, result.output
    assert "nothing was imported" in result.output
    assert _counts(app) == (0, 0)


def test_a_duplicate_slug_across_folders_is_refused(app, runner, org, tmp_path):
    write(tmp_path / "a", "samme", document())
    write(tmp_path / "b", "samme", document())
    result = runner.invoke(args=["guidelines", "import", str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code != 0 and "slug 'samme' is also in" in result.output
    assert _counts(app) == (0, 0)


def test_regional_once_per_region_local_once_per_home(app, runner, org, tmp_path):
    with app.app_context():
        region_home = db.session.get(Home, org["home"])
        make_home("Nabohjemmet", region=region_home.region)
        make_home("Fjernhjemmet")
        db.session.commit()
    write(tmp_path, "lokal", document())
    write(tmp_path, "regional", document(level="regional", document_type="fælles regional retningslinje"))
    assert import_folder(runner, tmp_path).exit_code == 0
    with app.app_context():
        rows = db.session.execute(select(Guideline.slug, Guideline.home_id, Guideline.region_id)).all()
    assert sum(1 for r in rows if r.slug == "lokal") == 3
    regional = [r for r in rows if r.slug == "regional"]
    assert len(regional) == 2 and all(r.home_id is None for r in regional)


def test_home_option_imports_into_that_home_only(app, runner, org, tmp_path):
    with app.app_context():
        make_home("Andet hjem")
        db.session.commit()
    write(tmp_path, "lokal", document())
    assert import_folder(runner, tmp_path, "--home", "Testhjemmet").exit_code == 0
    with app.app_context():
        assert db.session.scalars(select(Guideline.home_id)).all() == [org["home"]]
    assert import_folder(runner, tmp_path, "--home", "Findes ikke").exit_code != 0


def test_import_export_import_is_lossless(app, runner, org, tmp_path):
    assert runner.invoke(args=["guidelines", "import", str(SHIPPED)]).exit_code == 0
    out = tmp_path / "export"
    result = runner.invoke(args=["guidelines", "export", str(out)])
    assert result.exit_code == 0 and "5 guideline(s)" in result.output
    original = {d.slug: (d.front, d.body) for d in read_documents([SHIPPED])}
    exported = {d.slug: (d.front, d.body) for d in read_documents([out])}
    assert exported == original
    again = runner.invoke(args=["guidelines", "import", str(out)])
    assert again.exit_code == 0 and "5 unchanged" in again.output
    assert _counts(app) == (5, 5)


def test_published_cycle_entries_cover_local_and_regional(app, runner, org, tmp_path):
    cycle = [{"key": "frist", "what": "Send ønsker.", "responsible": "employee", "when": {"day": 1, "month": 10},
              "fulfilled_by": "competence.wish_submitted"}]
    write(tmp_path, "lokal", document(cycle=cycle))
    write(tmp_path, "regional", document(level="regional", document_type="fælles regional retningslinje",
                                         cycle=[{"key": "moede", "what": "Møde.", "responsible": "department_leader",
                                                 "when": {"twice_a_year": "temp_meeting"}, "per_department": True}]))
    assert import_folder(runner, tmp_path).exit_code == 0
    with app.app_context():
        entries = published_cycle_entries(db.session.get(Home, org["home"]))
    assert sorted(entries, key=lambda e: e["slug"]) == [
        {"slug": "lokal", "title": "Testretningslinje", "key": "frist", "what": "Send ønsker.",
         "responsible": "employee", "when": {"day": 1, "month": 10}, "per_department": False,
         "fulfilled_by": "competence.wish_submitted"},
        {"slug": "regional", "title": "Testretningslinje", "key": "moede", "what": "Møde.",
         "responsible": "department_leader", "when": {"twice_a_year": "temp_meeting"}, "per_department": True,
         "fulfilled_by": None},
    ]
