"""Fixtures for the quality report: test indicators registered in app.hooks and removed afterwards."""

from __future__ import annotations

import base64
import re
import zlib
from datetime import date

import pytest
from sqlalchemy import or_, select

from app import hooks
from app.extensions import db
from app.hooks import IndicatorResult
from app.people.constants import Profession
from app.people.models import Membership, User


@pytest.fixture
def registry():
    """Replace the indicator registry with only the test's own indicators; the real ones come back afterwards.

    `registry.add(key, title, slug, order)(measure)` or `registry.fixed(key, met, total, exceptions)`.
    """
    saved = dict(hooks._indicators)
    hooks._indicators.clear()

    class Registry:
        def add(self, key, title=None, slug="kompetenceudvikling", order=50):
            return hooks.indicator(key, title or key, slug, order)

        def fixed(self, key, met, total, exceptions=(), order=50, title=None, slug="kompetenceudvikling"):
            def measure(home, department_id, on):
                return IndicatorResult(met, total, list(exceptions))

            self.add(key, title, slug, order)(measure)

    try:
        yield Registry()
    finally:
        hooks._indicators.clear()
        hooks._indicators.update(saved)


def staff_are_paedagogues(home, department_id, on: date) -> IndicatorResult:
    """A test indicator over the people who work in the home (or department) on a day: met = pædagoger.
    One query whatever the number of people, as a real indicator should be."""
    query = select(User.id, User.name, User.profession).where(
        User.home_id == home.id, or_(User.left_on.is_(None), User.left_on > on), User.hired_on <= on,
    )
    if department_id is not None:
        query = query.where(User.id.in_(select(Membership.user_id).where(Membership.department_id == department_id)))
    rows = db.session.execute(query.order_by(User.name)).all()
    met = sum(1 for r in rows if r.profession == Profession.PAEDAGOG)
    exceptions = [(r.name, f"/people/{r.id}") for r in rows if r.profession != Profession.PAEDAGOG]
    return IndicatorResult(met, len(rows), exceptions)


@pytest.fixture
def staff_indicator(registry):
    registry.add("test.paedagogues", "Personale der er pædagoger", "kompetenceudvikling", 10)(staff_are_paedagogues)
    return "test.paedagogues"


def pdf_text(data: bytes) -> str:
    """The text drawn in a reportlab PDF: inflate its streams and read the (...) Tj strings."""
    chunks = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\n?endstream", data, re.S):
        try:
            if raw.rstrip().endswith(b"~>"):
                raw = base64.a85decode(raw.strip(), adobe=True)
            raw = zlib.decompress(raw)
        except (ValueError, zlib.error):
            pass
        chunks.append(raw.decode("latin-1"))
    text = "".join(chunks)
    strings = re.findall(r"\(((?:\\.|[^\\)])*)\)\s*Tj", text)
    decoded = []
    for string in strings:
        raw = re.sub(r"\\([0-7]{3}|.)", lambda m: chr(int(m.group(1), 8)) if m.group(1).isdigit() else m.group(1),
                     string)
        # Text is drawn in WinAnsi (cp1252); reportlab writes the bullet as 0x7f.
        decoded.append(raw.encode("latin-1").replace(b"\x7f", b"\x95").decode("cp1252", errors="replace"))
    return "\n".join(decoded)


@pytest.fixture
def no_task_sources():
    """No årshjul task sources while the test runs (the real ones come back afterwards)."""
    saved = dict(hooks._task_sources)
    hooks._task_sources.clear()
    yield
    hooks._task_sources.update(saved)
