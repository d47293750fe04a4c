"""The årshjul's page for one viewer: which tasks about a child or a colleague a person sees, and with whose name,
is need-to-know (app/need_to_know.py), and showing a child's name is a logged read; the mark-done and undo buttons
are this person's own."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from app.cycle.rules import describe_when
from app.cycle.services import SOURCE, Completion, completions_between, cycle_entries, departments_of, meeting_dates
from app.hooks import Task, tasks_for_home
from app.need_to_know import View
from app.people.constants import AUDIENCE_LABELS
from app.permissions import can

STATUS_LABELS = {"done": "Udført", "todo": "Planlagt", "soon": "Snart", "overdue": "Overskredet"}


@dataclass(frozen=True)
class Filters:
    """The page's validated query string."""

    year: int
    role: str
    department_id: int | None
    only_guidelines: bool
    only_mine: bool


def year_context(view: View, home, filters: Filters, today: date) -> dict:
    """What cycle/year.html shows to the view's viewer; the caller logs the view once the page is rendered."""
    user = view.viewer
    start, end = date(filters.year, 1, 1), date(filters.year, 12, 31)
    tasks = view.tasks(_filtered(tasks_for_home(home, start, end), user, filters))
    months: OrderedDict[int, list[Task]] = OrderedDict((m, []) for m in range(1, 13))
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for task in tasks:
        months[task.due_on.month].append(task)
        counts[task.status(today)] += 1
    departments = departments_of(home.id)
    meetings = meeting_dates(home.id, filters.year, filters.year)
    waiting = [] if meetings else [e for e in cycle_entries(home) if "meeting" in e["when"]]
    return dict(
        months=months, buttons=_buttons(user, tasks, completions_between(home.id, start, end)),
        year=filters.year, today=today, role=filters.role, department_id=filters.department_id,
        only_guidelines=filters.only_guidelines, only_mine=filters.only_mine, home_name=home.name,
        can_manage=can(user, "cycle.meetings.manage"), departments=departments,
        department_names={d.id: d.name for d in departments}, meetings=meetings, waiting=waiting,
        describe_when=describe_when, counts=counts, STATUS_LABELS=STATUS_LABELS,
        # Translated once, not on each of the hundreds of lines that name a role.
        AUDIENCE_LABELS={code: str(label) for code, label in AUDIENCE_LABELS.items()},
        years=[today.year, today.year + 1] if filters.year >= today.year else [filters.year, today.year,
                                                                                today.year + 1],
    )


def _buttons(user, tasks: list[Task], completions: dict[str, Completion]) -> dict[str, str]:
    """uid -> "complete" or "undo" for the guideline tasks where this person gets that button."""
    buttons = {}
    for task in tasks:
        if task.source != SOURCE or task.fulfilled_by:
            continue  # a duty done by its record has nothing to mark or take back here
        if not task.is_done and can(user, "cycle.complete", task):
            buttons[task.uid] = "complete"
        elif (completion := completions.get(task.uid)) is not None and can(user, "cycle.undo", (task, completion)):
            buttons[task.uid] = "undo"
    return buttons


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
