"""The årshjul reads the published guidelines' cycle entries in one query of the columns it needs: the same entries
as the guidelines feature's own `published_cycle_entries`, each with the day its guideline first took effect."""

from datetime import date

from app.cycle.services import cycle_entries, guideline_tasks
from app.extensions import db
from app.guidelines.models import DRAFT, PUBLISHED, SUPERSEDED, Guideline, GuidelineVersion, scope_key
from app.guidelines.services import published_cycle_entries
from tests.factories import make_home


def _entry(key: str, day: int, month: int) -> dict:
    return {"key": key, "what": f"Opgave {key}.", "responsible": "head", "when": {"day": day, "month": month}}


def _guideline(region_id: int, home_id: int | None, slug: str, *versions: tuple[str, date, list]) -> None:
    guideline = Guideline(region_id=region_id, home_id=home_id, scope_key=scope_key(home_id, region_id), slug=slug,
                          level="local" if home_id else "regional")
    db.session.add(guideline)
    for number, (status, effective_from, cycle) in enumerate(versions, start=1):
        db.session.add(GuidelineVersion(
            guideline=guideline, number=number, status=status, title=f"{slug} v{number}",
            document_type="lokal retningslinje", standard="Kompetenceudvikling", scope="Alle", target_group=["head"],
            revision_responsible="head", approver_role="head", effective_from=effective_from, review={"month": 12},
            related=[], cycle=cycle, body="# Tekst\n"))
    db.session.flush()


def test_entries_are_the_published_ones_with_the_day_their_slug_first_took_effect(app):
    with app.app_context():
        home, other = make_home("Hjemmet"), make_home("Andet hjem")
        far = make_home("Fjernt hjem")
        _guideline(home.region_id, home.id, "lokal",
                   (SUPERSEDED, date(2025, 3, 1), [_entry("gammel", 1, 3)]),
                   (PUBLISHED, date(2026, 1, 15), [_entry("marts", 1, 3), _entry("februar", 28, 2)]),
                   (DRAFT, date(2027, 1, 1), [_entry("kladde", 1, 6)]))
        _guideline(home.region_id, None, "faelles", (PUBLISHED, date(2026, 6, 1), [_entry("regional", 1, 9)]))
        _guideline(home.region_id, home.id, "faelles", (PUBLISHED, date(2026, 9, 1), [_entry("lokal-udgave", 2, 9)]))
        _guideline(home.region_id, home.id, "kun-kladde", (DRAFT, date(2026, 1, 1), [_entry("ikke", 1, 1)]))
        _guideline(other.region_id, other.id, "andet-hjem", (PUBLISHED, date(2026, 1, 1), [_entry("ikke", 1, 1)]))
        _guideline(far.region_id, None, "anden-region", (PUBLISHED, date(2026, 1, 1), [_entry("ikke", 1, 1)]))
        db.session.commit()

        entries = cycle_entries(home)
        assert [{k: v for k, v in e.items() if k != "in_force_from"} for e in entries] == \
            published_cycle_entries(home)
        assert [(e["slug"], e["key"], e["in_force_from"]) for e in entries] == [
            ("faelles", "regional", date(2026, 6, 1)), ("faelles", "lokal-udgave", date(2026, 6, 1)),
            ("lokal", "marts", date(2025, 3, 1)), ("lokal", "februar", date(2025, 3, 1)),
        ]
        assert cycle_entries(far) == [dict(published_cycle_entries(far)[0], in_force_from=date(2026, 1, 1))]


def test_no_duty_falls_due_before_its_guideline_first_took_effect(app):
    """First in force on 1 March 2025: the duty of that very day counts, one of 28 February 2025 does not."""
    with app.app_context():
        home = make_home("Hjemmet")
        _guideline(home.region_id, home.id, "lokal",
                   (SUPERSEDED, date(2025, 3, 1), []),
                   (PUBLISHED, date(2026, 1, 15), [_entry("dagen", 1, 3), _entry("foer", 28, 2),
                                                   _entry("efter", 2, 3)]))
        db.session.commit()
        tasks = guideline_tasks(home, date(2024, 1, 1), date(2026, 12, 31))
    assert sorted((t.due_on, t.uid.split("-")[3]) for t in tasks) == [
        (date(2025, 3, 1), "dagen"), (date(2025, 3, 2), "efter"),
        (date(2026, 2, 28), "foer"), (date(2026, 3, 1), "dagen"), (date(2026, 3, 2), "efter"),
    ]
