"""Duties fulfilled by events elsewhere in the app: each event in guidelines/README.md marks its duty done."""

from app.cycle.services import FULFILLING_EVENTS, complete_by_event
from app.hooks import on_event


def _fulfil(name: str, **payload) -> None:
    complete_by_event(name, **payload)


for _event in FULFILLING_EVENTS:
    on_event(_event)(_fulfil)
