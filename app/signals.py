"""The app's events, declared once: blinker signals, one per event, named as guidelines name them in `fulfilled_by`.

A sender passes no sender object, only the payload as keywords: `signals.plan_written.send(home_id=..., year=...,
on=..., actor=...)`. A receiver is `def handler(_sender, /, **payload)` (blinker hands it None as the sender),
connected with `@signals.plan_written.connect`. Blinker keeps a weak reference to a receiver: a module-level
function lives as long as its module, but a function made in a loop or a closure is dropped at the next garbage
collection unless it is connected with `weak=False`.

Common payload keys: `home_id`; `on`, the day it happened (a date); `year`, the year of the duty it answers (not
always the year of `on`); `actor`, the User who did it (None from the demo or a script); `department_id` for a
per-department duty; `user_id` for one person; `slug` for one guideline.
"""

from __future__ import annotations

from blinker import NamedSignal, Namespace

_namespace = Namespace()


def _signal(name: str, doc: str) -> NamedSignal:
    return _namespace.signal(name, doc)


wish_submitted = _signal("competence.wish_submitted", """An employee's course wish was submitted, by them or
for them (competence.services.submit_wish). Payload: home_id, user_id (the employee), year (the duty year: the
wish's funds year - 1), on, actor. One person's share of the duty.""")

overview_forwarded = _signal("competence.overview_forwarded", """A department leader forwarded the October
overview of wishes (competence.services.forward_overview). Payload: home_id, department_id, year (the duty year:
the funds year - 1), on, actor.""")

distribution_approved = _signal("competence.distribution_approved", """Mini-MED approved the distribution of
competence funds (competence.distribution.record_decision). Payload: home_id, year (of the meeting), on (the
meeting's day), actor.""")

plan_written = _signal("competence.plan_written", """The leader group finished the written competence development
plan (competence.course_routes.finish_plan). Payload: home_id, year (the duty year), on, actor.""")

tilbudsplan_written = _signal("competence.tilbudsplan_written", """A tilbudsplan version was finished
(competence.tilbudsplan.finish). Payload: home_id, year (the duty year), on, actor.""")

plan_approved = _signal("competence.plan_approved", """Mini-MED approved the written competence plan. Not sent:
its duty is answered by the decision records (hooks.fulfilment in competence.meeting_decisions).""")

tilbudsplan_presented = _signal("competence.tilbudsplan_presented", """The tilbudsplan was presented at Mini-MED.
Not sent: its duty is answered by the records (hooks.fulfilment in competence.meeting_decisions).""")

tilbudsplan_evaluated = _signal("competence.tilbudsplan_evaluated", """Mini-MED evaluated the tilbudsplan. Not
sent: its duty is answered by the records (hooks.fulfilment in competence.meeting_decisions).""")

suggestions_recorded = _signal("competence.suggestions_recorded", """Mini-MED recorded its suggestions. Not sent:
its duty is answered by the records (hooks.fulfilment in competence.meeting_decisions).""")

methods_revised = _signal("competence.methods_revised", """The home's methods were revised. Not sent: its duty is
answered by the records (hooks.fulfilment in competence.events).""")

guideline_reviewed = _signal("guidelines.reviewed", """A guideline was reviewed, told once for each home it
applies to (guidelines.services). Payload: home_id, on, slug (the guideline's), year.""")

mus_concept_evaluated = _signal("appraisals.mus_concept_evaluated", """Mini-MED's October evaluation of the MUS
concept was recorded (appraisals.services.record_mus_event). Payload: home_id, year, on, actor.""")

mus_concept_briefed = _signal("appraisals.mus_concept_briefed", """Mini-MED's December briefing on the MUS concept
was recorded (appraisals.services.record_mus_event). Payload: home_id, year, on, actor.""")

temp_meeting_held = _signal("onboarding.temp_meeting_held", """A vikarmøde was recorded
(onboarding.services.record_meeting; also the demo). Payload: home_id, on, year, department_id (None for the
whole home).""")

guideline_read = _signal("onboarding.guideline_read", """A person ticked an introduction item that asks them to
read a guideline (onboarding.services.complete_item); guidelines.events counts it as "Læst og forstået".
Payload: home_id, user_id, slug, on.""")

person_created = _signal("people.created", """An employee was created (people.services.create_employee);
onboarding.events gives them their checklist. Payload: home_id, user_id, on.""")

employment_changed = _signal("people.employment_changed", """An employee's employment type changed
(people.services.update_employee); onboarding.events gives them that type's checklist. Payload: home_id,
user_id, on, before, after (the employment types).""")


def by_name(name: str) -> NamedSignal:
    """The signal of an event named in data (a guideline's `fulfilled_by`); a name not declared here raises
    KeyError, so a misspelt event fails where it is named instead of silently never firing."""
    try:
        return _namespace[name]
    except KeyError:
        raise KeyError(f"no signal named {name!r} in app/signals.py") from None


def names() -> frozenset[str]:
    """Every declared event's name."""
    return frozenset(_namespace)
