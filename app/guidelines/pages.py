"""What the guideline pages show, derived once per data version (app/cache.py) instead of on every view.

The list, a guideline's page, its history and its coverage are read far more often than guidelines, versions,
acknowledgements and people change. A home's guidelines are kept as plain `Entry` rows, so a page finds,
authorises and titles a guideline without loading it; the read-only parts of each page are kept as HTML per
home and scope, and what depends on the reader (their own confirmation, which actions they may take) per
reader. Forms carry a CSRF token of one browser session and are always rendered per request by the routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask_login import current_user
from markupsafe import Markup

from app import clock
from app.cache import cached
from app.database import danish_key
from app.extensions import db
from app.guidelines import rendering
from app.guidelines.models import DRAFT, Guideline
from app.guidelines.rendering import LEVEL_LABELS, STATUS_LABELS, VERSION_STATUS_LABELS
from app.guidelines.services import (
    confirmed_user_ids,
    coverage,
    guidelines_for_home,
    history,
    in_target_group,
    staff_members_on,
)
from app.people.models import Home
from app.permissions import can
from app.web import render_fragment

STATUS_ORDER = {"overdue": 0, "due": 1, "current": 2}


def common() -> dict:
    """Labels and helpers every guideline template uses."""
    return {"STATUS_LABELS": STATUS_LABELS, "LEVEL_LABELS": LEVEL_LABELS, "role_label": rendering.role_label,
            "VERSION_STATUS_LABELS": VERSION_STATUS_LABELS}


def _html(template: str, **context) -> Markup:
    return render_fragment(template, **context, **common())


class VersionRef(NamedTuple):
    """A published version's fields that decide who must confirm it and whose confirmation counts
    (what services.confirmed_user_ids and services.in_target_group read)."""

    id: int
    guideline_id: int
    number: int
    ack_from_number: int
    target_group: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """A published guideline that applies to a home, as plain data.

    It carries `home_id` and `region_id`, all the guidelines.view and guidelines.coverage rules look at, so a
    route can authorise a kept entry without loading the guideline.
    """

    id: int
    slug: str
    home_id: int | None
    region_id: int
    level: str
    has_draft: bool
    version: VersionRef
    title: str
    body: str
    standard: str
    revision_responsible: str
    effective_from: date
    next_review_on: date
    status: str


@dataclass(frozen=True)
class Library:
    """A home's published guidelines in list order, and what each slug opens (None: no published version)."""

    entries: tuple[Entry, ...]
    by_slug: dict[str, Entry | None]


def _entry(guideline: Guideline, today: date, due_days: int) -> Entry:
    v = guideline.published
    ref = VersionRef(v.id, v.guideline_id, v.number, v.ack_from_number, tuple(v.target_group))
    return Entry(guideline.id, guideline.slug, guideline.home_id, guideline.region_id, guideline.level,
                 guideline.draft is not None, ref, v.title, v.body, v.standard, v.revision_responsible,
                 v.effective_from, guideline.next_review_on, guideline.status_on(today, due_days))


def _library(home: Home) -> Library:
    today, due_days = clock.today(), int(home.setting("guideline_due_days"))
    guidelines = guidelines_for_home(home)
    entries = {g.id: _entry(g, today, due_days) for g in guidelines if g.published is not None}
    by_slug: dict[str, Entry | None] = {}
    # A local guideline wins over a regional namesake, also when only the local one has no published version.
    for guideline in sorted(guidelines, key=lambda g: g.home_id is None):
        by_slug.setdefault(guideline.slug, entries.get(guideline.id))
    return Library(tuple(entries.values()), by_slug)


def library(home: Home) -> Library:
    return cached("guidelines.library", home.id, lambda: _library(home), home=home)


def _guideline(entry: Entry) -> Guideline:
    """The guideline itself, for computing what is kept (never on a request served from the cache)."""
    return db.session.get(Guideline, entry.id)


# The list.


@dataclass(frozen=True)
class ListFilters:
    q: str
    standard: str
    level: str
    status: str

    @property
    def any(self) -> bool:
        return bool(self.q or self.standard or self.level or self.status)

    def keeps(self, entry: Entry) -> bool:
        if self.standard and entry.standard != self.standard or self.level and entry.level != self.level:
            return False
        if self.status and entry.status != self.status:
            return False
        q = self.q.lower()
        return not q or q in entry.title.lower() or q in entry.body.lower()

    def is_a_choice(self, found: Library) -> bool:
        """No free text, and every value one the page offers: such lists are worth keeping."""
        return (not self.q and self.level in ("", *LEVEL_LABELS) and self.status in ("", *STATUS_LABELS)
                and (not self.standard or any(e.standard == self.standard for e in found.entries)))


def _shares(home: Home, found: Library) -> dict[int, tuple[int, int]]:
    """Version id -> (confirmed, in the target group) over the home's current staff."""
    people = staff_members_on([home.id], clock.today())
    versions = [e.version for e in found.entries]
    confirmed = confirmed_user_ids(versions)
    shares = {}
    for version in versions:
        group = [p for p in people if in_target_group(p, version)]
        shares[version.id] = (sum(1 for p in group if p.id in confirmed[version.id]), len(group))
    return shares


def list_html(home: Home, filters: ListFilters) -> Markup:
    """The list page's content for the current reader: their own confirmations and, for leaders, the shares."""
    found = library(home)
    rows = sorted((e for e in found.entries if filters.keeps(e)),
                  key=lambda e: (STATUS_ORDER[e.status], e.next_review_on, danish_key(e.title)))
    versions = [e.version for e in rows]
    mine = {v for v, ids in confirmed_user_ids(versions, user_id=current_user.id).items() if ids}
    shares = {}
    if can(current_user, "guidelines.coverage") and versions:
        shares = cached("guidelines.shares", home.id, lambda: _shares(home, found), home=home)
    return _html("guidelines/_list.html", rows=rows, filters=filters, mine=mine, shares=shares,
                 standards=sorted({e.standard for e in found.entries}, key=danish_key))


# One guideline's page.


@dataclass(frozen=True)
class Reader:
    """What the page shows differently for the person reading it."""

    in_group: bool
    confirmed: bool
    may_edit: bool
    may_approve: bool
    may_coverage: bool


def _reader(entry: Entry) -> Reader:
    guideline = _guideline(entry)
    version = guideline.published
    confirmed = current_user.id in confirmed_user_ids([version], user_id=current_user.id)[version.id]
    return Reader(in_target_group(current_user, version), confirmed, can(current_user, "guidelines.edit", guideline),
                  can(current_user, "guidelines.approve", guideline),
                  can(current_user, "guidelines.coverage", guideline))


def reader(entry: Entry) -> Reader:
    return cached("guidelines.reader", (current_user.id, entry.id), lambda: _reader(entry))


@dataclass(frozen=True)
class PageParts:
    """A guideline page's read-only HTML around the reader's forms."""

    head: Markup
    overview: Markup
    body: Markup


def _page_parts(home: Home, entry: Entry, who: Reader) -> PageParts:
    guideline = _guideline(entry)
    version = guideline.published
    related = []
    if version.related:
        found = {g.slug: g for g in guidelines_for_home(home) if g.slug in version.related}
        related = [found[s] for s in version.related if s in found and found[s].published is not None]
    context = {"guideline": guideline, "version": version, "entry": entry, "reader": who}
    return PageParts(
        _html("guidelines/_show_head.html", **context),
        _html("guidelines/_show_overview.html", review_words=rendering.review_words, **context),
        _html("guidelines/_show_body.html", html=version.html, related=related,
              when_words=rendering.when_words, **context),
    )


def page_parts(home: Home, entry: Entry, who: Reader) -> PageParts:
    """Kept per home (status and related guidelines are the home's) and per the actions the reader may take."""
    key = (home.id, entry.id, who.may_edit, who.may_approve, who.may_coverage)
    return cached("guidelines.page", key, lambda: _page_parts(home, entry, who), home=home)


# History and coverage.


def history_html(home: Home, entry: Entry, with_drafts: bool) -> Markup:
    def render() -> Markup:
        guideline = _guideline(entry)
        versions = [v for v in history(guideline) if v.status != DRAFT or with_drafts]
        return _html("guidelines/_history_body.html", guideline=guideline, entry=entry, versions=versions,
                     reviews=guideline.reviews)

    return cached("guidelines.history", (home.id, entry.id, with_drafts), render, home=home)


def coverage_html(home: Home, entry: Entry, department_id: int | None) -> Markup | None:
    """Who in the target group has confirmed, for the home or one of its departments; None for a department
    the home does not have."""

    def render() -> Markup | None:
        departments = home.departments
        if department_id is not None and department_id not in {d.id for d in departments}:
            return None
        guideline = _guideline(entry)
        people, confirmed = coverage(guideline, home, department_id=department_id)
        per_department = []
        for department in departments:
            members = [p for p in people if department.id in p.department_ids]
            if members:
                per_department.append((department, sum(1 for p in members if p.id in confirmed), len(members)))
        missing = [p for p in people if p.id not in confirmed]
        return _html("guidelines/_coverage_body.html", guideline=guideline, version=guideline.published,
                     people=people, missing=missing, per_department=per_department, department_id=department_id,
                     departments=departments)

    return cached("guidelines.coverage", (home.id, entry.id, department_id), render, home=home)
