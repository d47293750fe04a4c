"""The årshjul, rendered for each viewer: which tasks about a child or a colleague a person sees, and with
whose name, is need-to-know (app/need_to_know.py), and showing a child's name is a logged read, so no viewer's
body may be handed to another, and none is kept.

The mark-done and undo buttons carry the browser session's CSRF token: the body is rendered with a slot after
each guideline task, and the buttons this person gets go into the slots.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from flask import get_template_attribute, render_template, request, url_for
from markupsafe import Markup, escape

from app.cycle.rules import describe_when
from app.cycle.services import SOURCE, completions_between, cycle_entries, departments_of, meetings_of_year
from app.hooks import Task, tasks_for_home
from app.need_to_know import View
from app.people.constants import AUDIENCE_LABELS
from app.permissions import can

STATUS_LABELS = {"done": "Udført", "todo": "Planlagt", "soon": "Snart", "overdue": "Overskredet"}

#: Marks a button slot in the rendered body; autoescaping turns any "<" in the data into "&lt;", so only the
#: template can write it.
SLOT = "<!--cycle-button-->"
#: Stands in for the task's uid while a button is rendered once per request. No action, label or CSRF token
#: holds it, and the uid's field comes before the path's, so its first occurrence is the uid's.
UID_MARK = "\x00"
#: The buttons as the year template had them (endpoint, label, confirmation), and the indentation of their line.
BUTTONS = {
    "complete": ("cycle.complete", "Markér som udført", "Markér opgaven som udført?"),
    "undo": ("cycle.undo", "Fortryd udført",
             "Fortryd markeringen? Opgaven står så igen som ikke udført."),
}
INDENT = "          "


@dataclass(frozen=True)
class Filters:
    """The page's validated query string."""

    year: int
    role: str
    department_id: int | None
    only_guidelines: bool
    only_mine: bool


@dataclass(frozen=True)
class Done:
    """What the undo rule reads of a completion."""

    home_id: int
    done_by_id: int | None


@dataclass(frozen=True)
class Slot:
    """A guideline task, whose line may end with a mark-done or undo button."""

    task: Task
    completion: Done | None


@dataclass(frozen=True)
class YearBody:
    #: The rendered body cut at the slots: one more chunk than slots.
    chunks: tuple[str, ...]
    slots: tuple[Slot, ...]


def year_content(home, user, filters: Filters, today: date) -> Markup:
    """The page below the flashed messages, for this person; logs the children it names."""
    body = _build(home, user, filters, today, can(user, "cycle.meetings.manage"))
    return _fill(body, _marks(user, body))


def _marks(user, body: YearBody) -> tuple[tuple[int, str, str], ...]:
    """(chunk the button follows, kind, escaped uid) for each slot where this person gets a button."""
    marks = []
    for index, slot in enumerate(body.slots):
        if kind := _button_kind(user, slot):
            marks.append((index, kind, str(escape(slot.task.uid))))
    return tuple(marks)


def _button_kind(user, slot: Slot) -> str | None:
    task = slot.task
    if task.fulfilled_by:
        return None  # done by its record; nothing to mark or take back here
    if not task.is_done and can(user, "cycle.complete", task):
        return "complete"
    if slot.completion is not None and can(user, "cycle.undo", (task, slot.completion)):
        return "undo"
    return None


def _fill(body: YearBody, marks: tuple[tuple[int, str, str], ...]) -> Markup:
    """The body with this request's buttons in its slots."""
    buttons = {kind: _button(kind) for kind in {kind for _, kind, _ in marks}}
    parts = list(body.chunks)
    for index, kind, uid in marks:
        before, after = buttons[kind]
        parts[index] = f"{parts[index]}{before}{uid}{after}"
    return Markup("".join(parts))  # noqa: S704  # nosec B704  # autoescaped templates and an escaped uid


def _button(kind: str) -> tuple[str, str]:
    """The button's line (with a fresh CSRF token and the way back here), cut where the task's uid goes."""
    endpoint, label, confirm = BUTTONS[kind]
    post_button = get_template_attribute("_forms.html", "post_button")
    html = post_button(url_for(endpoint), label, confirm=confirm, cls="button small secondary",
                       hidden={"uid": UID_MARK, "next": request.full_path})
    before, _, after = f"{INDENT}{html}\n".partition(UID_MARK)
    return before, after


def _build(home, user, filters: Filters, today: date, can_manage: bool) -> YearBody:
    start, end = date(filters.year, 1, 1), date(filters.year, 12, 31)
    view = View(user, "aarshjul")
    tasks = view.tasks(_filtered(tasks_for_home(home, start, end), user, filters))
    completions = completions_between(home.id, start, end)
    departments = departments_of(home.id)
    months = OrderedDict((m, []) for m in range(1, 13))
    for task in tasks:
        months[task.due_on.month].append(task)
    meetings = [m.held_on for m in meetings_of_year(home.id, filters.year)]
    waiting = [] if meetings else [e for e in cycle_entries(home) if "meeting" in e["when"]]
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for task in tasks:
        counts[task.status(today)] += 1
    html = render_template(
        "cycle/_year_body.html", months=months, year=filters.year, today=today, role=filters.role,
        department_id=filters.department_id, only_guidelines=filters.only_guidelines,
        only_mine=filters.only_mine, home_name=home.name, can_manage=can_manage, departments=departments,
        department_names={d.id: d.name for d in departments}, meetings=meetings, waiting=waiting,
        describe_when=describe_when, counts=counts, STATUS_LABELS=STATUS_LABELS,
        AUDIENCE_LABELS=AUDIENCE_LABELS, SOURCE=SOURCE, SLOT=SLOT,
        years=[today.year, today.year + 1] if filters.year >= today.year else [filters.year, today.year,
                                                                                today.year + 1],
    )
    slots = tuple(Slot(t, _done(completions.get(t.uid))) for t in tasks if t.source == SOURCE)
    chunks = tuple(html.split(SLOT))
    if len(chunks) != len(slots) + 1:
        raise RuntimeError("the årshjul's template and its button slots disagree")
    view.log()
    return YearBody(chunks, slots)


def _filtered(tasks: list[Task], user, filters: Filters) -> list[Task]:
    if filters.only_guidelines:
        tasks = [t for t in tasks if t.source == SOURCE]
    if filters.role:
        tasks = [t for t in tasks if t.responsible == filters.role]
    if filters.department_id:
        tasks = [t for t in tasks if t.department_id in (None, filters.department_id)]
    if filters.only_mine:
        tasks = [t for t in tasks if t.applies_to(user)]
    return tasks


def _done(completion) -> Done | None:
    return None if completion is None else Done(completion.home_id, completion.done_by_id)
