"""What the guideline list shows beyond the guidelines themselves, counted in SQL.

A published version's HTML is rendered from its Markdown once, when it is written (`GuidelineVersion.body_html`),
and every page shows that stored HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, exists, false, func, or_, select
from sqlalchemy.orm import aliased

from app.database import danish_key
from app.extensions import db
from app.guidelines import rendering
from app.guidelines.models import Acknowledgement, GuidelineVersion
from app.guidelines.rendering import LEVEL_LABELS, STATUS_LABELS, VERSION_STATUS_LABELS
from app.guidelines.services import GuidelineSummary, _staff_filter
from app.people.constants import TEMP_EMPLOYMENT_TYPES
from app.people.models import User, UserRole

STATUS_ORDER = {"overdue": 0, "due": 1, "current": 2}


def common() -> dict:
    """Labels and helpers every guideline template uses."""
    return {"STATUS_LABELS": STATUS_LABELS, "LEVEL_LABELS": LEVEL_LABELS, "role_label": rendering.role_label,
            "VERSION_STATUS_LABELS": VERSION_STATUS_LABELS}


@dataclass(frozen=True)
class ListFilters:
    q: str
    standard: str
    level: str
    status: str

    @property
    def any(self) -> bool:
        return bool(self.q or self.standard or self.level or self.status)

    def keeps(self, guideline: GuidelineSummary, status: str, bodies: dict[int, str]) -> bool:
        """Whether the list shows the guideline; `bodies` holds the published
        versions' texts by version id when searching (`bodies_of`)."""
        version = guideline.published
        if self.standard and version.standard != self.standard or self.level and guideline.level != self.level:
            return False
        if self.status and status != self.status:
            return False
        q = self.q.lower()
        return not q or q in version.title.lower() or q in bodies.get(version.id, "").lower()


def bodies_of(version_ids: list[int]) -> dict[int, str]:
    """Version id -> its Markdown text, for searching the list (read only when there is a search)."""
    if not version_ids:
        return {}
    return dict(db.session.execute(select(GuidelineVersion.id, GuidelineVersion.body)
                                   .where(GuidelineVersion.id.in_(version_ids))).all())


def in_list_order(guidelines: list[GuidelineSummary], today: date, due_days: int) -> list[tuple[GuidelineSummary, str]]:
    """(guideline, status) of the published ones: overdue, due, current, then by review date and title."""
    rows = [(g, g.status_on(today, due_days)) for g in guidelines if g.published is not None]
    return sorted(rows, key=lambda pair: (STATUS_ORDER[pair[1]], pair[0].next_review_on,
                                          danish_key(pair[0].published.title)))


def holds_clause(code: str):
    """`services.holds(user, code)` as a condition on `users` (a row of User): the same role codes."""
    def has_role(*roles: str):
        return exists().where(UserRole.user_id == User.id, UserRole.role.in_(roles))

    match code:
        case "employee":
            return User.employment_type.not_in(TEMP_EMPLOYMENT_TYPES)
        case "temp":
            return User.employment_type.in_(TEMP_EMPLOYMENT_TYPES)
        case "leader_group":
            return has_role("head", "department_leader")
    return has_role(code)


def shares(home_id: int, versions: list[GuidelineVersion], on: date) -> dict[int, tuple[int, int]]:
    """Version id -> (confirmed, in the target group) over the home's staff on the day (services.staff_on's
    people), in one statement.

    An acknowledgement counts as in services.confirmed_user_ids: of any version of the guideline numbered from
    the version's `ack_from_number` up to its own number."""
    result = {v.id: (0, 0) for v in versions}
    if not versions:
        return result
    version, acked = GuidelineVersion, aliased(GuidelineVersion)
    # One condition per distinct target group (a home has a handful), not one per version.
    by_group: dict[tuple[str, ...], list[int]] = {}
    for v in versions:
        by_group.setdefault(tuple(sorted(v.target_group)), []).append(v.id)
    in_group = or_(*(and_(version.id.in_(ids), or_(false(), *(holds_clause(code) for code in group)))
                     for group, ids in by_group.items()))
    confirmed = exists().where(
        Acknowledgement.user_id == User.id, Acknowledgement.version_id == acked.id,
        acked.guideline_id == version.guideline_id, acked.number >= version.ack_from_number,
        acked.number <= version.number)
    query = (select(version.id, func.count(User.id), func.sum(case((confirmed, 1), else_=0)))
             .select_from(version).join(User, and_(*_staff_filter([home_id], on, None), in_group))
             .where(version.id.in_([v.id for v in versions])).group_by(version.id))
    for version_id, total, done in db.session.execute(query):
        result[version_id] = (int(done or 0), int(total))
    return result
