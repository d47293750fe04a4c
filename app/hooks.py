"""Seams between features: each feature plugs into these instead of importing another feature's code.

- nav_item: an entry in the top navigation, in one of the task groups of NAV_GROUPS, shown when the user may use it.
- dashboard_panel: a section of "Mine opgaver" on the dashboard.
- task_source: dated tasks (from guideline cycles, talks due, plan follow-ups, temp meetings...)
  that together make the årshjul, the dashboard list, reminders and the calendar feed.
- indicator: one quality-monitoring indicator, defined once for the report and the snapshot.
- events ("this duty is fulfilled by that event", e.g. an overview forwarded) are blinker signals in app/signals.py.
- fulfilment: the records that fulfil a duty whose `fulfilled_by` names an event; the årshjul reads them, so
  such a duty is done exactly when its record exists for the duty's year.
- profile_section: a section of an employee's competence profile page.
- demo_loader: the feature's part of `flask demo`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from flask import url_for
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)


#: The top navigation's groups, in the order they are shown: key -> label. A group with one entry the user may
#: use is drawn as that entry's own link; a group with more as a dropdown under the group's label.
NAV_GROUPS: dict[str, str] = {
    "home": _l("Forside"),
    "guidelines": _l("Retningslinjer"),
    "cycle": _l("Årshjul"),
    "competence": _l("Kompetence"),
    "onboarding": _l("Introduktion"),
    "children": _l("Børn"),
    "appraisals": _l("Samtaler"),
    "quality": _l("Kvalitet"),
    "organisation": _l("Organisation"),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    action: str | None
    order: int
    group: str


class NavEntry(NamedTuple):
    label: str
    url: str
    endpoint: str


class NavGroup(NamedTuple):
    key: str
    label: str
    entries: tuple[NavEntry, ...]


_nav: list[NavItem] = []


def nav_item(label, endpoint: str, action: str | None = None, order: int = 50, *, group: str) -> None:
    """An entry of the top navigation in `group` (a key of NAV_GROUPS), shown to users who `can(action)`;
    `order` sorts the entries within their group."""
    if group not in NAV_GROUPS:
        raise ValueError(f"nav_item {endpoint!r}: group must be one of {', '.join(NAV_GROUPS)}")
    if not any(item.endpoint == endpoint for item in _nav):
        _nav.append(NavItem(label, endpoint, action, order, group))
        groups = list(NAV_GROUPS)
        _nav.sort(key=lambda item: (groups.index(item.group), item.order))


def nav_for(user) -> tuple[NavGroup, ...]:
    """The groups of navigation entries the user may use, each with at least one entry."""
    from app.permissions import can

    shown = [item for item in _nav if item.action is None or can(user, item.action)]
    return tuple(
        NavGroup(key, str(label), entries)
        for key, label in NAV_GROUPS.items()
        if (entries := tuple(NavEntry(str(item.label), url_for(item.endpoint), item.endpoint)
                             for item in shown if item.group == key))
    )


def nav_current(groups: tuple[NavGroup, ...], endpoint: str | None, path: str) -> NavEntry | None:
    """The one entry a page belongs to: the entry of its endpoint, else the entry whose address is the
    longest prefix of the page's path ("/children/7/plan" belongs to "/children/"); "/" only to itself."""
    entries = [entry for group in groups for entry in group.entries]
    for entry in entries:
        if entry.endpoint == endpoint:
            return entry

    def covers(url: str) -> bool:
        if url == "/" or url.endswith("/"):
            return path == url or (url != "/" and path.startswith(url))
        return path == url or path.startswith(url + "/")

    return max((entry for entry in entries if covers(entry.url)), key=lambda entry: len(entry.url), default=None)


_panels: list[tuple[int, Callable]] = []


def dashboard_panel(order: int = 50):
    """Register func(user) -> Markup | None; None means the panel has nothing for this user."""

    def register(func):
        if func not in [f for _, f in _panels]:
            _panels.append((order, func))
            _panels.sort(key=lambda pair: pair[0])
        return func

    return register


#: Panels registered with an order below this come before the task list ("first thing a temp sees").
PANELS_FIRST_BELOW = 10


def dashboard_panels(user) -> tuple[list, list]:
    """(panels shown before the task list, panels shown after it)."""
    before, after = [], []
    for order, func in _panels:
        if html := func(user):
            (before if order < PANELS_FIRST_BELOW else after).append(html)
    return before, after


class Audience(NamedTuple):
    """What `Task.applies_to` reads of a user, read once so a list of tasks is filtered without touching the
    user's relationships per task."""

    id: int
    home_id: int
    roles: frozenset[str]
    department_ids: frozenset[int]
    is_temp: bool

    @classmethod
    def of(cls, user) -> Audience:
        return cls(user.id, user.home_id, frozenset(user.roles), frozenset(user.department_ids), user.is_temp)


@dataclass(frozen=True)
class Task:
    """A dated duty. `responsible` is an audience code (see guidelines/README.md) unless user_ids names people."""

    uid: str
    title: str
    due_on: date
    home_id: int
    source: str
    responsible: str | None = None
    department_id: int | None = None
    user_ids: frozenset[int] = field(default_factory=frozenset)
    is_done: bool = False
    done_note: str = ""
    url: str | None = None
    detail: str = ""
    #: A task about one child ("child") or one colleague ("person") names its subject here, never in `title`:
    #: `title` says it without the name, `named_title` with "{name}" where the name goes, and app/need_to_know.py
    #: fills the name in (and keeps the link) only for a viewer who may open the subject.
    subject_kind: str | None = None
    subject_id: int | None = None
    named_title: str = ""
    #: The event whose records make this duty done (hooks.fulfilment); such a duty is never marked by hand.
    fulfilled_by: str = ""

    def applies_to(self, user) -> bool:
        """Whether the task is this user's to do."""
        return self.applies_to_audience(Audience.of(user))

    def applies_to_audience(self, who: Audience) -> bool:
        """`applies_to` for a user whose roles and departments were read once (`Audience.of`)."""
        if who.home_id != self.home_id:
            return False
        if self.user_ids:
            return who.id in self.user_ids
        in_department = self.department_id is None or self.department_id in who.department_ids
        roles = who.roles
        match self.responsible:
            case "employee":
                return not who.is_temp and in_department
            case "temp":
                return who.is_temp and in_department
            case "department_leader":
                return "department_leader" in roles and in_department
            case "head":
                return "head" in roles
            case "leader_group":
                return "head" in roles or ("department_leader" in roles and in_department)
            case "mini_med":
                return "mini_med" in roles
            case "admin":
                return "admin" in roles
        return False

    def status(self, today: date) -> str:
        """done, overdue (past its day), soon (within 14 days) or todo."""
        if self.is_done:
            return "done"
        if self.due_on < today:
            return "overdue"
        if (self.due_on - today).days <= 14:
            return "soon"
        return "todo"


_task_sources: dict[str, Callable[..., Iterable[Task]]] = {}


def task_source(name: str):
    """Register func(home, start: date, end: date) -> Iterable[Task] for tasks due in [start, end]."""

    def register(func):
        _task_sources[name] = func
        return func

    return register


def _collect(home, start: date, end: date) -> tuple[Task, ...]:
    tasks: list[Task] = []
    for source in _task_sources.values():
        tasks.extend(t for t in source(home, start, end) if start <= t.due_on <= end)
    return tuple(sorted(tasks, key=lambda t: (t.due_on, t.title)))


def tasks_for_home(home, start: date, end: date) -> list[Task]:
    """Every task of the home due in [start, end], by date. The one cache that remains (docs/DEVELOPING.md,
    "Cache rules"): the sources cost a few hundred ms cold for a big home, and everyone's dashboard asks for
    the same window. Kept per home stamp and day; a write in another home does not recompute it."""
    from app.cache import cached

    return list(cached("tasks", (home.id, start, end), lambda: _collect(home, start, end), home=home))


def tasks_for_user(user, start: date, end: date) -> list[Task]:
    who = Audience.of(user)
    return [t for t in tasks_for_home(user.home, start, end) if t.applies_to_audience(who)]


class Finding(tuple):
    """An exception of an indicator that names a child ("child") or a colleague ("person"): the (label, detail)
    pair, a detail starting with "/" being a link, plus its subject. app/need_to_know.py shows it by name (and
    links it) only to a viewer who may open the subject; others see it counted."""

    subject_kind: str | None
    subject_id: int | None

    def __new__(cls, label: str, detail: str | None = "", subject_kind: str | None = None,
                subject_id: int | None = None):
        finding = super().__new__(cls, (label, detail))
        finding.subject_kind, finding.subject_id = subject_kind, subject_id
        return finding


@dataclass
class IndicatorResult:
    met: int
    total: int
    #: (label, detail) pairs, a detail starting with "/" being a link; a Finding for one that names a child
    #: or a colleague.
    exceptions: list = field(default_factory=list)

    @property
    def share(self) -> float | None:
        """Share met, 0-100, or None when nothing is counted."""
        return None if self.total == 0 else round(100 * self.met / self.total, 1)


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    guideline_slug: str
    order: int
    measure: Callable[..., IndicatorResult]


_indicators: dict[str, Indicator] = {}


def indicator(key: str, title, guideline_slug: str, order: int = 50):
    """Register measure(home, department_id: int | None, on: date) -> IndicatorResult."""

    def register(func):
        _indicators[key] = Indicator(key, title, guideline_slug, order, func)
        return func

    return register


def indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: (i.order, i.key))


@dataclass(frozen=True)
class Fulfilment:
    """A record that fulfils a duty: the year the duty is about, the day it was done, its department (or None)."""

    year: int
    on: date
    department_id: int | None = None
    note: str = ""


_fulfilments: dict[str, Callable[..., Iterable[Fulfilment]]] = {}


def fulfilment(event: str):
    """Register func(home, first_year, last_year, entry) -> Iterable[Fulfilment] for the event's records whose
    duty year lies in [first_year, last_year] (`entry` is the guideline's cycle entry, e.g. for its slug)."""

    def register(func):
        _fulfilments[event] = func
        return func

    return register


def fulfilment_source(event: str) -> Callable[..., Iterable[Fulfilment]] | None:
    return _fulfilments.get(event)


_profile_sections: list[tuple[int, Callable]] = []


def profile_section(order: int = 50):
    """Register func(person, viewer) -> Markup | None: a section of an employee's competence profile."""

    def register(func):
        if func not in [f for _, f in _profile_sections]:
            _profile_sections.append((order, func))
            _profile_sections.sort(key=lambda pair: pair[0])
        return func

    return register


def profile_sections(person, viewer) -> list:
    return [html for _, func in _profile_sections if (html := func(person, viewer))]


_demo_loaders: list[tuple[int, Callable]] = []


def demo_loader(order: int = 50):
    """Register func(home, rng: random.Random, scale: str) called once per home by `flask demo`."""

    def register(func):
        if func not in [f for _, f in _demo_loaders]:
            _demo_loaders.append((order, func))
            _demo_loaders.sort(key=lambda pair: pair[0])
        return func

    return register


def demo_loaders() -> list[Callable]:
    return [func for _, func in _demo_loaders]
