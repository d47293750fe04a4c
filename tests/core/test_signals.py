"""The app's events are blinker signals declared in app/signals.py: every event a guideline may name exists,
an unknown name fails loudly, and the årshjul's receivers outlive a garbage collection."""

import gc

import pytest

from app import signals
from app.cycle import events as cycle_events
from app.cycle.services import FULFILLING_EVENTS
from app.guidelines.importer import EVENTS


@pytest.mark.parametrize("name", sorted(set(FULFILLING_EVENTS) | set(EVENTS)))
def test_every_event_a_guideline_may_name_is_a_declared_signal(name):
    assert signals.by_name(name).name == name
    assert name in signals.names()


def test_an_unknown_name_raises_and_is_not_declared_by_asking():
    with pytest.raises(KeyError, match="competence.wish_submited"):
        signals.by_name("competence.wish_submited")
    assert "competence.wish_submited" not in signals.names()


def test_every_signal_says_who_sends_it_and_what_it_carries():
    for name in signals.names():
        doc = " ".join((signals.by_name(name).__doc__ or "").split())
        assert "Payload:" in doc or "Not sent" in doc, name


def test_the_cycle_completes_duties_for_every_fulfilling_event_after_a_garbage_collection(app, monkeypatch):
    completed = []
    monkeypatch.setattr(cycle_events, "complete_by_event", lambda name, **payload: completed.append((name, payload)))
    gc.collect()
    for name in FULFILLING_EVENTS:
        signals.by_name(name).send(home_id=1, year=2026)
    assert completed == [(name, {"home_id": 1, "year": 2026}) for name in FULFILLING_EVENTS]
