"""Need-to-know: whose name a viewer may see, decided in this one place.

A dated task, a quality finding or an export row about one child or one colleague carries its subject as data
(`subject_kind`, `subject_id`); a title shared between viewers (and kept in the caches) never holds the name.
Every list, report, PDF, export, e-mail and feed asks a `View` which rows to show, and with which title:

- A child's name: only for a viewer who may open the child's record (the children policy, `children.view`).
  Every display of it is a logged read (`ChildAccessLog`), one insert per page however many rows name it.
- A colleague's name (a talk due, a gap in the quality report): the person themself, the leaders of one of
  their departments (for a leader: the tilbudsleder) and the tilbudsleder, as far as the profile rule
  (`appraisals.view_profile`) lets them.
  The technical administrator manages accounts, not content about people, and Mini-MED sees figures.
- A row about a subject the viewer may not open is left out, except a task the viewer is responsible for, which
  keeps its title without the name. A row links to its subject only if the viewer may open it (no link ends in
  "Ingen adgang").
- Work information, the one exception for colleagues (`may_see_contact_team`): whoever may open a child's record,
  a temp's handover page included, sees the names of the child's contact team: they are the colleagues to ask
  about the child, not content about them. The names link nowhere a viewer may not follow.
- A list of colleagues (the employee list and its export) names exactly those the viewer may open there
  (`people.view`, as a query `app.people.policy.people_scope`); every name shown links to the person.
- Nothing that leaves the app (calendar feed, e-mail) names a child: it passes through other systems, where a
  read can be neither limited nor logged. A colleague's name goes out only to someone who may open that person.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import NamedTuple

from flask import url_for
from sqlalchemy import select
from werkzeug.local import LocalProxy

from app.extensions import db
from app.hooks import Task
from app.people.constants import Role
from app.permissions import can, is_head

CHILD = "child"
PERSON = "person"
KINDS = (CHILD, PERSON)


class Colleague(NamedTuple):
    """The columns of a colleague the name rule needs, loaded as plain rows (`Subjects`) or read off a User."""

    id: int
    name: str
    home_id: int | None
    department_ids: frozenset[int]
    is_leader: bool


def colleague(person) -> Colleague:
    if isinstance(person, Colleague):
        return person
    return Colleague(person.id, person.name, person.home_id, frozenset(person.department_ids),
                     person.has_role(Role.DEPARTMENT_LEADER, Role.HEAD))


def may_see_subject(viewer, kind: str | None, subject) -> bool:
    """Whether the viewer may see this child's or colleague's name (and open the record it links to)."""
    if subject is None or viewer is None:
        return False
    if kind == CHILD:
        return can(viewer, "children.view", subject)
    if kind == PERSON:
        return _may_see_colleague(_Viewer.of(viewer), colleague(subject))
    return False


class _Viewer(NamedTuple):
    """What the colleague rule asks of the viewer, read once per view rather than once per row."""

    id: int
    home_id: int | None
    may_act: bool
    is_head: bool
    leads: frozenset[int]

    @classmethod
    def of(cls, viewer) -> _Viewer:
        may_act = bool(getattr(viewer, "is_authenticated", False)) and viewer.is_current
        leads = frozenset(viewer.department_ids) if viewer.has_role(Role.DEPARTMENT_LEADER) else frozenset()
        return cls(viewer.id, viewer.home_id, may_act, is_head(viewer), leads)


def _may_see_colleague(viewer: _Viewer, person: Colleague) -> bool:
    """The person themself, the tilbudsleder of their home, and a leader of one of their departments unless the
    person is a leader too (a leader's own leader is the tilbudsleder). Within the profile rule
    (`appraisals.view_profile`); tests/test_need_to_know_people.py holds the two together."""
    if not viewer.may_act or person.home_id is None or person.home_id != viewer.home_id:
        return False
    if person.id == viewer.id or viewer.is_head:
        return True
    return not person.is_leader and bool(viewer.leads & person.department_ids)


def may_see_contact_team(viewer, child) -> bool:
    """Whether the viewer sees the names of the child's contact team: work information for whoever may open the
    child's record (a temp asks them about the handover), though the viewer may open none of their records."""
    return may_see_subject(viewer, CHILD, child)


def subject_name(kind: str, subject) -> str:
    return subject.display_name if kind == CHILD else subject.name


def subject_url(kind: str, subject_id: int) -> str | None:
    """The subject's own page (a child's record, a colleague's profile); None outside a request."""
    endpoint, argument = ("children.show", "child_id") if kind == CHILD else ("appraisals.profile", "person_id")
    try:
        return url_for(endpoint, **{argument: subject_id})
    except RuntimeError:
        return None


class Line(NamedTuple):
    """An exception as one viewer sees it."""

    label: str
    detail: str
    url: str | None


class Subjects:
    """The children and colleagues some rows are about, loaded in one query per kind and shared by the views of
    one page or one reminder run."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, int], object] = {}
        self._asked: set[tuple[str, int]] = set()

    def load(self, keys: Iterable[tuple[str | None, int | None]]) -> None:
        wanted: dict[str, set[int]] = {}
        for kind, subject_id in keys:
            if kind in KINDS and subject_id is not None and (kind, subject_id) not in self._asked:
                wanted.setdefault(kind, set()).add(subject_id)
        for kind, ids in wanted.items():
            self._asked.update((kind, i) for i in ids)
            for subject in _query(kind, ids):
                self._loaded[(kind, subject.id)] = subject

    def get(self, kind: str | None, subject_id: int | None):
        return self._loaded.get((kind, subject_id))


def _query(kind: str, ids: set[int]):
    from app.children.models import Child

    if kind == CHILD:
        return db.session.scalars(select(Child).where(Child.id.in_(sorted(ids))))
    return _colleagues(ids)


def _colleagues(ids: set[int]) -> list[Colleague]:
    """The colleagues with these ids as plain rows: three column queries, no User objects."""
    from app.people.models import Membership, User, UserRole

    wanted = sorted(ids)
    departments: dict[int, set[int]] = {}
    for user_id, department_id in db.session.execute(
            select(Membership.user_id, Membership.department_id).where(Membership.user_id.in_(wanted))):
        departments.setdefault(user_id, set()).add(department_id)
    leaders = set(db.session.scalars(select(UserRole.user_id).where(
        UserRole.user_id.in_(wanted), UserRole.role.in_((Role.DEPARTMENT_LEADER, Role.HEAD)))))
    return [Colleague(row.id, row.name, row.home_id, frozenset(departments.get(row.id, ())), row.id in leaders)
            for row in db.session.execute(select(User.id, User.name, User.home_id).where(User.id.in_(wanted)))]


class View:
    """What one viewer sees on one page (`page` names it in the children's access log). Call `log()` once the
    rows are shown (one insert for the whole page); `shown_tasks` does it for a page with one list of tasks.
    With `outside`, the rows are for something that leaves the app (feed, e-mail): no child's name at all."""

    def __init__(self, viewer, page: str, *, outside: bool = False, subjects: Subjects | None = None) -> None:
        # The user object, not the current_user proxy: every rule below reads it, often per row.
        self.viewer = viewer._get_current_object() if isinstance(viewer, LocalProxy) else viewer
        self.page = page
        self.outside = outside
        self.subjects = subjects or Subjects()
        self._allowed: dict[tuple[str, int], bool] = {}
        self._viewer: _Viewer | None = None
        self.children_named: set[int] = set()
        self.hidden = 0

    def allows(self, kind: str | None, subject_id: int | None) -> bool:
        key = (kind, subject_id)
        if key not in self._allowed:
            subject = self.subjects.get(kind, subject_id)
            if kind == PERSON and subject is not None:
                if self._viewer is None:
                    self._viewer = _Viewer.of(self.viewer)
                self._allowed[key] = _may_see_colleague(self._viewer, subject)
            else:
                self._allowed[key] = may_see_subject(self.viewer, kind, subject)
        return self._allowed[key]

    def _name(self, kind: str, subject_id: int) -> str | None:
        """The subject's name if this view may show it; a child's name shown inside the app is noted for the log."""
        if not self.allows(kind, subject_id) or (self.outside and kind == CHILD):
            return None
        if kind == CHILD:
            self.children_named.add(subject_id)
        return subject_name(kind, self.subjects.get(kind, subject_id))

    def tasks(self, tasks: Iterable[Task], *, keep_hidden: bool = False) -> list[Task]:
        """The tasks this viewer sees, each with the subject's name in its title where they may see it.

        A task about a subject the viewer may not open is left out unless it is theirs to do, or unless
        `keep_hidden` (a report whose figures must add up) keeps it without the name and the link."""
        tasks = list(tasks)
        self.subjects.load((t.subject_kind, t.subject_id) for t in tasks)
        shown = []
        for task in tasks:
            if task.subject_kind is None:
                shown.append(task)
                continue
            if not self.allows(task.subject_kind, task.subject_id):
                if keep_hidden or task.applies_to(self.viewer):
                    shown.append(dataclasses.replace(task, url=None))
                else:
                    self.hidden += 1
                continue
            name = self._name(task.subject_kind, task.subject_id)
            if name is not None and task.named_title:
                task = dataclasses.replace(task, title=task.named_title.replace("{name}", name))
            shown.append(task)
        return shown

    def findings(self, exceptions: Iterable) -> tuple[list[Line], int]:
        """An indicator's exceptions as lines this viewer may see by name, and how many others there are (Mini-MED
        sees only that count for children and colleagues)."""
        rows = list(exceptions)
        self.subjects.load((getattr(r, "subject_kind", None), getattr(r, "subject_id", None)) for r in rows)
        shown, hidden = [], 0
        for row in rows:
            label, second = row
            second = second or ""
            url, detail = (second, "") if second.startswith("/") else (None, second)
            kind = getattr(row, "subject_kind", None)
            if kind is not None:
                if self._name(kind, row.subject_id) is None:
                    hidden += 1
                    continue
                url = url or subject_url(kind, row.subject_id)
            shown.append(Line(label, detail, url))
        self.hidden += hidden
        return shown, hidden

    def people(self, rows: Iterable, person=lambda row: row.person) -> list:
        """Rows about colleagues (e.g. an export's lines), only those whose person the viewer may open."""
        rows = list(rows)
        self.subjects.load((PERSON, person(r).id) for r in rows)
        return [r for r in rows if self.allows(PERSON, person(r).id)]

    def log(self) -> None:
        """Record the children this view showed by name as reads, in one insert."""
        from app.children.operations import log_reads

        if self.children_named:
            log_reads(sorted(self.children_named), self.viewer, self.page)
            self.children_named.clear()


def hidden_text(count: int) -> str:
    """The line that stands for the exceptions a viewer may not see by name."""
    noun = "afvigelse" if count == 1 else "afvigelser"
    return (f"{count} {noun} om børn eller kolleger, du ikke har adgang til, vises kun som antal, "
            "ikke ved navn.")


def shown_tasks(viewer, tasks: Iterable[Task], page: str, **options) -> list[Task]:
    """`View.tasks` for a page that shows one list of tasks; logs the children it names."""
    keep_hidden = options.pop("keep_hidden", False)
    view = View(viewer, page, **options)
    shown = view.tasks(tasks, keep_hidden=keep_hidden)
    view.log()
    return shown
