"""Duties fulfilled by events elsewhere in the app: each event in guidelines/README.md marks its duty done."""

from app import signals
from app.cycle.services import FULFILLING_EVENTS, complete_by_event


def _fulfiller(name: str):
    def fulfil(_sender, /, **payload) -> None:
        complete_by_event(name, **payload)

    return fulfil


for _event in FULFILLING_EVENTS:
    # Nothing else holds these closures: under blinker's default weak reference they would vanish at the next
    # garbage collection and the duties would silently stop completing.
    signals.by_name(_event).connect(_fulfiller(_event), weak=False)
