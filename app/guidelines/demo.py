"""The demo's guidelines: the shipped guidelines/ folder in every demo home, with some history and confirmations."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from app import clock
from app.extensions import db
from app.guidelines.importer import Document, import_into, read_documents
from app.guidelines.models import SUPERSEDED, Acknowledgement, Guideline, GuidelineVersion, scope_key
from app.guidelines.services import confirmed_user_ids, in_target_group, staff_on
from app.hooks import demo_loader

FOLDER = Path(__file__).resolve().parents[2] / "guidelines"
_documents: list[Document] | None = None


def _shipped() -> list[Document]:
    global _documents
    if _documents is None:
        _documents = read_documents([FOLDER])
    return _documents


def _at(day) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=clock.TZ).astimezone(UTC)


def _older_versions(guideline: Guideline, doc: Document, count: int, rng) -> None:
    """Superseded versions before the file's text: earlier revisions, a year (or half a year) apart."""
    paragraphs = doc.body.split("\n\n")
    for number in range(1, count + 1):
        effective = doc.front["effective_from"] - timedelta(days=(count + 1 - number) * rng.choice((182, 365)))
        kept = [p for i, p in enumerate(paragraphs) if i % (count + 2 - number) != 1 or i == 0]
        f = doc.front
        db.session.add(GuidelineVersion(
            guideline=guideline, number=number, status=SUPERSEDED, title=f["title"], document_type=f["document_type"],
            standard=f["standard"], scope=f["scope"], target_group=list(f["target_group"]),
            revision_responsible=f["revision_responsible"], approver_role=f["approved_by"], effective_from=effective,
            review=dict(f["review"]), related=list(f["related"]), cycle=[dict(e) for e in f["cycle"]],
            body="\n\n".join(kept), change_note=rng.choice(["Årlig revision", "Opdateret efter Mini-MED",
                                                           "Sproglig gennemskrivning", "Nye frister"]),
            is_significant=number == 1 or rng.random() < 0.5, ack_from_number=1, source="demo",
            created_at=_at(effective - timedelta(days=14)), published_at=_at(effective),
        ))


def _import_with_history(doc: Document, home, rng, history: int) -> None:
    home_id = None if doc.level == "regional" else home.id
    key = scope_key(home_id, home.region_id)
    if db.session.scalar(select(Guideline.id).where(Guideline.scope_key == key, Guideline.slug == doc.slug)):
        return  # a regional guideline already loaded with another home of the region
    guideline = Guideline(region_id=home.region_id, home_id=home_id, scope_key=key, slug=doc.slug, level=doc.level)
    db.session.add(guideline)
    _older_versions(guideline, doc, history, rng)
    db.session.flush()
    import_into(doc, region_id=home.region_id, home_id=home_id)


@demo_loader(order=20)
def load_guidelines(home, rng, scale: str) -> None:
    """Import the shipped guidelines; region scale adds a long history (a few hundred versions in all)."""
    history = rng.randint(9, 13) if scale == "region" else 2
    for doc in _shipped():
        _import_with_history(doc, home, rng, history)
    db.session.flush()
    guidelines = list(db.session.scalars(select(Guideline).where(
        (Guideline.home_id == home.id) | ((Guideline.home_id.is_(None)) & (Guideline.region_id == home.region_id)))))
    versions = [g.published for g in guidelines]
    already = confirmed_user_ids(versions)
    people = staff_on([home.id], clock.today())
    rows = []
    for version in versions:
        for person in people:
            if person.id in already[version.id] or not in_target_group(person, version):
                continue
            if person.email == "medarbejder@demo.dk" and version.guideline.slug != "mus-og-lus":
                continue  # the demo employee still has guidelines to confirm
            if rng.random() < 0.7:
                rows.append({"version_id": version.id, "user_id": person.id,
                             "acknowledged_at": clock.now() - timedelta(days=rng.randint(1, 200))})
    if rows:
        db.session.execute(insert(Acknowledgement), rows)
