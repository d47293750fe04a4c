"""The indicators' measures as they were before issue 19 moved them into aggregate queries, kept verbatim (with
the helpers that changed) so tests/quality/test_characterisation.py can hold old and new to the same numbers."""

from __future__ import annotations

LEGACY: dict = {}


def indicator(key, title, guideline_slug, order=50):
    def register(func):
        LEGACY[key] = func
        return func

    return register


def load() -> dict:
    from tests.quality.legacy import appraisals, children, competence, guidelines, onboarding  # noqa: F401

    return LEGACY
