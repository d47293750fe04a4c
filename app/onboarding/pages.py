"""What the onboarding pages show, computed on every view (nothing is cached).

The pages' read-only parts are rendered as HTML by the macros of the `_*_parts.html` templates and the forms
between them by the routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask import get_template_attribute
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import clock
from app.extensions import db
from app.onboarding.constants import COMPLETED_BY_LABELS, KIND_LABELS, STUCK_DAYS
from app.onboarding.links import guideline_url
from app.onboarding.models import Checklist, ChecklistItem, ChecklistTemplate, TempMeeting
from app.onboarding.overview import rows_for
from app.onboarding.services import checklists_for, may_sign_off, missed_last_meeting, temps_current_on
from app.people.models import Department, User
from app.permissions import can
from app.web import render_fragment

#: How many of the latest temp meetings the meetings page lists.
PAST_MEETINGS_SHOWN = 20


def _macro(template: str, name: str):
    """A macro of a fragment template, returning Markup: the parts of a page with forms between them."""
    return get_template_attribute(template, name)


# One checklist.


class ItemView(NamedTuple):
    """One item: its HTML, and what the tick or sign-off form needs when the reader may complete it."""

    id: int
    opening: Markup
    rest: Markup | None  # None: the reader may complete the item; the form is rendered per request
    is_leader_item: bool
    needs_date: bool
    needs_note: bool


@dataclass(frozen=True)
class ChecklistPage:
    id: int
    title: str
    person_name: str
    hired_on: date
    head: Markup
    items: tuple[ItemView, ...]
    tail: Markup


def checklist_ref(checklist_id: int) -> Checklist | None:
    """The checklist, for the onboarding.view_checklist rule (its home, its person and their departments)."""
    return db.session.get(Checklist, checklist_id)


def _full_checklist(checklist_id: int) -> Checklist:
    """The checklist with everything its page shows, loaded in a few queries."""
    return db.session.scalars(
        select(Checklist).where(Checklist.id == checklist_id)
        .options(selectinload(Checklist.items).selectinload(ChecklistItem.completer),
                 selectinload(Checklist.user).selectinload(User.departments), selectinload(Checklist.assigned_by))
        .execution_options(populate_existing=True)
    ).one()


def _may_complete(item: ChecklistItem, person: User, today: date) -> bool:
    if item.is_done or person.has_left(today):
        return False
    if item.is_leader_item:
        return may_sign_off(current_user, person)
    return current_user.id == person.id


def build_checklist_page(checklist: Checklist, errors: dict[int, str]) -> ChecklistPage:
    """The page as the current reader sees it; `errors` (item id -> message) come from a refused tick."""
    template = "onboarding/_checklist_parts.html"
    person, today = checklist.user, clock.today()
    own = person.id == current_user.id
    missed = missed_last_meeting(person.home_id, [person], today).get(person.id)
    opening, rest = _macro(template, "item_opening"), _macro(template, "item_rest")
    items = tuple(
        ItemView(item.id, opening(item, person, own, guideline_url(item.guideline_slug)),
                 None if _may_complete(item, person, today) else rest(item, person, own, errors.get(item.id)),
                 item.is_leader_item, item.needs_date, item.needs_note)
        for item in checklist.items
    )
    return ChecklistPage(checklist.id, checklist.title, person.name, person.hired_on,
                         _macro(template, "head")(checklist, person, own, missed, KIND_LABELS), items,
                         _macro(template, "tail")(can(current_user, "onboarding.overview")))


def checklist_page(checklist_id: int) -> ChecklistPage:
    """As the reader sees it: who may tick what, and "du" or the person's name, depend on the reader."""
    return build_checklist_page(_full_checklist(checklist_id), {})


def own_checklists() -> int | Markup:
    """The reader's "Min introduktion": the id of their only checklist (shown as that checklist's page), or the
    list of their checklists."""

    checklists = checklists_for([current_user.id])[current_user.id]
    if len(checklists) == 1:
        return checklists[0].id
    today = clock.today()
    missed = missed_last_meeting(current_user.home_id, [current_user], today).get(current_user.id)
    return render_fragment("onboarding/_mine_body.html", checklists=checklists, today=today, missed=missed)


# The leaders' overview.


def led_departments() -> list[Department] | None:
    """The departments the reader leads (None: the head sees the whole home)."""
    if current_user.has_role("head"):
        return None
    return [d for d in current_user.departments if d.is_active]


def overview_html(department_id: int | None, include_left: bool) -> Markup | None:
    """The overview for the reader's departments (or one of them); None for a department they do not lead."""

    today = clock.today()
    led = led_departments()
    if led is None:
        departments = db.session.scalars(select(Department).where(Department.home_id == current_user.home_id)
                                         .order_by(Department.name_sort_key)).all()
    else:
        departments = led
    if department_id is not None and department_id not in {d.id for d in departments}:
        return None
    scope = [department_id] if department_id else (None if led is None else [d.id for d in led])
    rows = rows_for(current_user.home_id, scope, today, include_left=include_left)
    return render_fragment("onboarding/_overview_body.html", rows=rows, departments=departments,
                           department_id=department_id, include_left=include_left, today=today,
                           STUCK_DAYS=STUCK_DAYS, KIND_LABELS=KIND_LABELS)


# Templates.


class TemplateSection(NamedTuple):
    id: int
    name: str
    is_retired: bool
    used: int
    opening: Markup


def _home_templates(home_id: int) -> list[ChecklistTemplate]:
    return list(db.session.scalars(
        select(ChecklistTemplate).where(ChecklistTemplate.home_id == home_id)
        .options(selectinload(ChecklistTemplate.items), selectinload(ChecklistTemplate.department),
                 selectinload(ChecklistTemplate.changed_by))
        .order_by(ChecklistTemplate.is_retired, ChecklistTemplate.kind, ChecklistTemplate.name_sort_key)
    ).all())


def template_sections(home_id: int) -> tuple[TemplateSection, ...]:
    """The home's templates with their items, as HTML; the buttons are the route's."""

    used = dict(db.session.execute(
        select(Checklist.template_id, func.count(Checklist.id))
        .where(Checklist.home_id == home_id).group_by(Checklist.template_id)
    ).all())
    opening = _macro("onboarding/_templates_parts.html", "section_opening")
    return tuple(TemplateSection(t.id, t.name, t.is_retired, used.get(t.id, 0),
                                 opening(t, used.get(t.id, 0), KIND_LABELS, COMPLETED_BY_LABELS))
                 for t in _home_templates(home_id))


def managed_templates() -> frozenset[int]:
    """The templates the reader may change, retire or delete (which buttons they are shown)."""

    return frozenset(t.id for t in _home_templates(current_user.home_id)
                     if can(current_user, "onboarding.manage_template", t))


# Temp meetings.


class Choice(NamedTuple):
    """A department or a temp as the meeting form lists it (the same attributes the form reads)."""

    id: int
    name: str
    departments: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class MeetingChoices:
    departments: tuple[Choice, ...]
    temps: tuple[Choice, ...]


def meeting_choices() -> MeetingChoices:
    """The departments the reader may record a meeting for, and the home's current temps."""

    query = select(Department).where(Department.home_id == current_user.home_id,
                                     Department.is_active.is_(True))
    departments = db.session.scalars(query.order_by(Department.name_sort_key)).all()
    if not current_user.has_role("head"):
        departments = [d for d in departments if d.id in current_user.department_ids]
    temps = temps_current_on(current_user.home_id, clock.today())
    return MeetingChoices(tuple(Choice(d.id, d.name) for d in departments),
                          tuple(Choice(t.id, t.name, tuple(Choice(d.id, d.name) for d in t.departments))
                                for t in temps))


def past_meetings_html(home_id: int) -> Markup:
    past = db.session.scalars(
        select(TempMeeting).where(TempMeeting.home_id == home_id)
        .options(selectinload(TempMeeting.attendees), selectinload(TempMeeting.department),
                 selectinload(TempMeeting.recorded_by))
        .order_by(TempMeeting.held_on.desc(), TempMeeting.id.desc()).limit(PAST_MEETINGS_SHOWN)
    ).all()
    return render_fragment("onboarding/_meetings_past.html", meetings=past)
