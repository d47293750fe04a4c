"""Rules across guideline records: which guidelines apply to a home, drafts, approval, reviews, acknowledgements.

Functions here flush and write the audit log; they never commit (the route or command does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from flask import has_request_context, url_for
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app import clock, signals
from app.audit.services import record
from app.extensions import db
from app.guidelines.models import (
    DRAFT,
    PUBLISHED,
    SUPERSEDED,
    Acknowledgement,
    Guideline,
    GuidelineReview,
    GuidelineVersion,
    ReviewSchedule,
    next_review_after,
)
from app.people.constants import TEMP_EMPLOYMENT_TYPES
from app.people.models import Home, Membership, User, UserRole


class GuidelineError(Exception):
    """A guideline action the rules refuse; the message is Danish and shown to the person."""


class StaleDraftError(GuidelineError):
    """Someone else saved the draft since this person opened it."""


def applies_to_home(home):
    """SQL condition: the home's own guidelines and its region's common ones."""
    return or_(Guideline.home_id == home.id,
               and_(Guideline.home_id.is_(None), Guideline.region_id == home.region_id))


class PublishedVersion(NamedTuple):
    """The columns of a published version that the list, the dashboard panel and the review tasks show or count
    with (confirmed_user_ids, pages.shares, in_target_group take it as they take a GuidelineVersion)."""

    id: int
    guideline_id: int
    number: int
    ack_from_number: int
    title: str
    standard: str
    revision_responsible: str
    effective_from: date
    review: dict
    target_group: list


@dataclass(frozen=True)
class GuidelineSummary(ReviewSchedule):
    """One guideline as the lists show it: its own columns, its published version's, and whether it has a draft."""

    id: int
    slug: str
    home_id: int | None
    level: str
    last_reviewed_on: date | None
    published: PublishedVersion | None
    has_draft: bool


def guidelines_for_home(home) -> list[GuidelineSummary]:
    """Every guideline of the home (local and regional), with its published version's shown columns and whether
    it has a draft, in slug order; one query, no ORM objects."""
    version, draft = GuidelineVersion, aliased(GuidelineVersion)
    has_draft = exists().where(draft.guideline_id == Guideline.id, draft.status == DRAFT)
    rows = db.session.execute(
        select(Guideline.id, Guideline.slug, Guideline.home_id, Guideline.level, Guideline.last_reviewed_on,
               version.id.label("version_id"), version.number, version.ack_from_number, version.title,
               version.standard, version.revision_responsible, version.effective_from, version.review,
               version.target_group, has_draft.label("has_draft"))
        .outerjoin(version, and_(version.guideline_id == Guideline.id, version.status == PUBLISHED))
        .where(applies_to_home(home)).order_by(Guideline.slug, Guideline.id))
    return [GuidelineSummary(
        row.id, row.slug, row.home_id, row.level, row.last_reviewed_on,
        None if row.version_id is None else PublishedVersion(
            row.version_id, row.id, row.number, row.ack_from_number, row.title, row.standard,
            row.revision_responsible, row.effective_from, dict(row.review or {}), list(row.target_group or ())),
        bool(row.has_draft)) for row in rows]


def guideline_records_for_home(home) -> list[Guideline]:
    """Every guideline of the home (local and regional) as records, with its published version loaded (export)."""
    return list(db.session.scalars(
        select(Guideline).where(applies_to_home(home)).options(selectinload(Guideline.published))
        .order_by(Guideline.slug, Guideline.id)))


def guideline_by_slug(home, slug: str) -> Guideline | None:
    """The guideline with this slug that applies to the home; a local one wins over a regional namesake."""
    found = db.session.scalars(
        select(Guideline).where(applies_to_home(home), Guideline.slug == slug)
        .options(selectinload(Guideline.published), selectinload(Guideline.draft))
    ).all()
    found.sort(key=lambda g: g.home_id is None)
    return found[0] if found else None


def guideline_path(slug: str) -> str:
    """The guideline page's URL; outside a request (CLI, reminders) the plain path."""
    if has_request_context():
        return url_for("guidelines.show", slug=slug)
    return f"/guidelines/{slug}"


def published_cycle_entries(home) -> list[dict]:
    """Every cycle entry of every published guideline that applies to the home (local and regional).

    Each dict: slug, title, key, what, responsible, when, per_department, fulfilled_by. One query.
    """
    entries = []
    for slug, title, cycle in db.session.execute(
            select(Guideline.slug, GuidelineVersion.title, GuidelineVersion.cycle)
            .join(GuidelineVersion, GuidelineVersion.guideline_id == Guideline.id)
            .where(applies_to_home(home), GuidelineVersion.status == PUBLISHED)
            .order_by(Guideline.slug, Guideline.id)):
        entries.extend(cycle_entry(slug, title, entry) for entry in cycle or [])
    return entries


def cycle_entry(slug: str, title: str, entry: dict, **extra) -> dict:
    """One cycle entry of a published version as the cycle reads it (the contract above), plus `extra`."""
    return {
        "slug": slug,
        "title": title,
        "key": entry["key"],
        "what": entry["what"],
        "responsible": entry["responsible"],
        "when": dict(entry["when"]),
        "per_department": bool(entry.get("per_department", False)),
        "fulfilled_by": entry.get("fulfilled_by"),
        **extra,
    }


# Role codes (guidelines/README.md) and the people who hold them.


def holds(user, code: str) -> bool:
    """Whether a person holds a role code: employee = permanent staff, temp = on-call/agency, leader_group = leaders."""
    match code:
        case "employee":
            return not user.is_temp
        case "temp":
            return user.is_temp
        case "leader_group":
            return user.has_role("head", "department_leader")
    return user.has_role(code)


def in_target_group(user, version: GuidelineVersion) -> bool:
    return any(holds(user, code) for code in version.target_group)


def _staff_filter(home_ids, on: date, department_id: int | None) -> list:
    where = [User.home_id.in_(list(home_ids)), User.hired_on <= on,
             or_(User.left_on.is_(None), User.left_on > on), User.is_disabled.is_(False)]
    if department_id is not None:
        where.append(User.id.in_(select(Membership.user_id).where(Membership.department_id == department_id)))
    return where


def staff_on(home_ids, on: date, department_id: int | None = None) -> list[User]:
    """People employed on a day (hired, not left, not disabled), roles and departments loaded."""
    query = select(User).where(*_staff_filter(home_ids, on, department_id)).options(
        selectinload(User.role_rows), selectinload(User.departments))
    return list(db.session.scalars(query.order_by(User.name_sort_key, User.id)))


class StaffMember(NamedTuple):
    """The columns a count over the target groups needs of one person, without loading the person."""

    id: int
    name: str
    employment_type: str
    roles: frozenset[str]

    @property
    def is_temp(self) -> bool:
        """The same rule as User.is_temp."""
        return self.employment_type in TEMP_EMPLOYMENT_TYPES

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


def staff_members_on(home_ids, on: date, department_id: int | None = None) -> list[StaffMember]:
    """The people `staff_on` finds, in the same order, as plain rows (two queries, no ORM objects)."""
    where = _staff_filter(home_ids, on, department_id)
    roles: dict[int, set[str]] = {}
    for user_id, role in db.session.execute(
            select(UserRole.user_id, UserRole.role).join(User, User.id == UserRole.user_id).where(*where)):
        roles.setdefault(user_id, set()).add(role)
    rows = db.session.execute(select(User.id, User.name, User.employment_type).where(*where)
                              .order_by(User.name_sort_key, User.id))
    return [StaffMember(i, name, kind, frozenset(roles.get(i, ()))) for i, name, kind in rows]


def _scope_home_ids(guideline: Guideline) -> list[int]:
    if guideline.home_id is not None:
        return [guideline.home_id]
    return list(db.session.scalars(select(Home.id).where(Home.region_id == guideline.region_id)))


def role_holders(guideline: Guideline, code: str) -> list[User]:
    """Current people in the guideline's scope (its home, or the whole region) who hold a role code."""
    return [u for u in staff_on(_scope_home_ids(guideline), clock.today()) if holds(u, code)]


# Read-acknowledgement.


def confirmed_user_ids(versions: list[GuidelineVersion], at: datetime | None = None,
                       user_id: int | None = None) -> dict[int, set[int]]:
    """For each given (published) version: the people whose acknowledgement counts for it, in one query.

    An acknowledgement of any version of the same guideline numbered from `ack_from_number` on counts:
    a minor change carries the confirmations over, a significant one starts again.
    """
    result: dict[int, set[int]] = {v.id: set() for v in versions}
    if not versions:
        return result
    by_guideline = {v.guideline_id: v for v in versions}
    query = (select(GuidelineVersion.guideline_id, GuidelineVersion.number, Acknowledgement.user_id)
             .join(Acknowledgement, Acknowledgement.version_id == GuidelineVersion.id)
             .where(GuidelineVersion.guideline_id.in_(list(by_guideline))))
    if at is not None:
        query = query.where(Acknowledgement.acknowledged_at <= at)
    if user_id is not None:
        query = query.where(Acknowledgement.user_id == user_id)
    for guideline_id, number, user_id in db.session.execute(query):
        version = by_guideline[guideline_id]
        if version.ack_from_number <= number <= version.number:
            result[version.id].add(user_id)
    return result


def has_confirmed(user, guideline: Guideline) -> bool:
    version = guideline.published
    return version is not None and user.id in confirmed_user_ids([version], user_id=user.id)[version.id]


def acknowledge(guideline: Guideline, user, *, at: datetime | None = None) -> Acknowledgement | None:
    """Record "Læst og forstået" for the published version; None when it already counts."""
    version = guideline.published
    if version is None:
        raise GuidelineError("Retningslinjen har ingen gældende version at bekræfte.")
    if not in_target_group(user, version):
        raise GuidelineError("Du er ikke i retningslinjens målgruppe.")
    if has_confirmed(user, guideline):
        return None
    ack = Acknowledgement(version=version, user_id=user.id, acknowledged_at=at or clock.now())
    db.session.add(ack)
    db.session.flush()
    record("guidelines.acknowledged", version, summary=f"Læst og forstået: {version.title} (version {version.number})",
           home_id=user.home_id, actor=user, slug=guideline.slug, version=version.number)
    return ack


def coverage(guideline: Guideline, home, on: date | None = None, department_id: int | None = None):
    """(target-group people, confirmed ids) for the home's people on a day."""
    version = guideline.published
    if version is None:
        return [], set()
    on = on or clock.today()
    people = [p for p in staff_on([home.id], on, department_id) if in_target_group(p, version)]
    return people, confirmed_user_ids([version])[version.id]


# Drafts, approval and reviews.


def _next_number(guideline: Guideline) -> int:
    return (db.session.scalar(select(func.max(GuidelineVersion.number))
                              .where(GuidelineVersion.guideline_id == guideline.id)) or 0) + 1


SAVED_BY_ANOTHER = ("En anden har gemt udkastet, mens du redigerede. Din tekst er bevaret nedenfor; "
                    "sammenlign med det gemte udkast, og gem igen.")


def _draft_count(guideline: Guideline) -> int:
    return db.session.scalar(select(func.count()).select_from(GuidelineVersion).where(
        GuidelineVersion.guideline_id == guideline.id, GuidelineVersion.status == DRAFT))


def _clean(text: str | None) -> str:
    """Form text without NUL and other control characters PostgreSQL or a reader cannot use (tabs, newlines stay)."""
    return "".join(ch for ch in (text or "") if ch >= " " or ch in "\t\n\r")


def save_draft(guideline: Guideline, author, data: dict, *, draft_id: int | None, lock_version: int | None):
    """Create or update the guideline's one draft from the edit form.

    `draft_id`/`lock_version` are what the form was opened with; a draft created or saved by someone else
    since then raises StaleDraftError instead of overwriting their text.
    """
    if not _clean(data.get("title")).strip() or not _clean(data.get("body")).strip():
        raise GuidelineError("Titel og tekst skal udfyldes.")
    published = guideline.published
    draft = guideline.draft
    if draft is not None and (draft_id != draft.id or lock_version != draft.lock_version):
        raise StaleDraftError(SAVED_BY_ANOTHER)
    if draft is None and draft_id is not None:
        raise StaleDraftError("Udkastet er blevet godkendt eller ændret, mens du redigerede. Din tekst er bevaret "
                              "nedenfor; gem igen for at lave et nyt udkast.")
    new = draft is None
    if new:
        # Two first drafts at once: on PostgreSQL the second waits for the first here, then finds its draft.
        db.session.execute(select(Guideline.id).where(Guideline.id == guideline.id).with_for_update())
        if _draft_count(guideline):
            raise StaleDraftError(SAVED_BY_ANOTHER)
        base = published
        draft = GuidelineVersion(
            guideline=guideline, number=_next_number(guideline), status=DRAFT,
            document_type=base.document_type, target_group=list(base.target_group), approver_role=base.approver_role,
            effective_from=base.effective_from, review=dict(base.review), related=list(base.related or []),
            cycle=[dict(e) for e in base.cycle or []], author_id=author.id,
        )
        db.session.add(draft)
    draft.title = _clean(data["title"]).strip()
    draft.body = _clean(data["body"]).replace("\r\n", "\n")
    draft.standard = _clean(data.get("standard")).strip() or published.standard
    draft.scope = _clean(data.get("scope")).strip() or published.scope
    draft.revision_responsible = data.get("revision_responsible") or published.revision_responsible
    draft.change_note = _clean(data.get("change_note")).strip()
    draft.is_significant = bool(data.get("is_significant"))
    draft.author_id = author.id
    db.session.flush()
    if new and _draft_count(guideline) > 1:  # SQLite has no row lock; the writer that comes second sees both
        raise StaleDraftError(SAVED_BY_ANOTHER)
    record("guidelines.draft_saved", draft, summary=f"Udkast gemt: {draft.title}", home_id=author.home_id,
           actor=author, slug=guideline.slug, version=draft.number)
    return draft


def approval_refusal(guideline: Guideline, user) -> str | None:
    """Why this person may not approve the draft, or None.

    Rule: only a holder of the approver role approves. Approving one's own draft is refused unless the
    author is the only current holder of that role in the guideline's scope (then nobody else could).
    """
    draft = guideline.draft
    if draft is None:
        return "Der er intet udkast at godkende."
    if not holds(user, draft.approver_role):
        return "Kun godkenderen af retningslinjen kan godkende udkastet."
    if draft.author_id == user.id:
        others = [u for u in role_holders(guideline, draft.approver_role) if u.id != user.id]
        if others:
            return "Du kan ikke godkende dit eget udkast. En anden godkender skal godkende det."
    return None


def self_approval_rule(guideline: Guideline, user) -> str:
    """The self-approval rule in words, said before the button is pressed (approval_refusal decides)."""
    from app.guidelines.rendering import role_label

    draft = guideline.draft
    role = role_label(draft.approver_role).lower()
    if draft.author_id == user.id and not approval_refusal(guideline, user):
        return (f"Du har selv skrevet udkastet. Normalt godkender en anden {role} det, men du er den eneste, "
                f"så du kan godkende det selv; det står i historikken, at du både skrev og godkendte det.")
    return (f"Et udkast godkendes af en anden {role} end den, der har skrevet det. Kun hvis forfatteren er den "
            f"eneste {role}, godkender vedkommende selv.")


def _reviewed(guideline: Guideline, on: date) -> None:
    guideline.last_reviewed_on = on
    home_ids = _scope_home_ids(guideline)
    for home_id in home_ids:
        signals.guideline_reviewed.send(home_id=home_id, on=on, slug=guideline.slug, year=on.year)


def publish(guideline: Guideline, version: GuidelineVersion, *, at: datetime) -> None:
    """Make `version` the published one; the previous one is superseded (kept in the history)."""
    previous = guideline.published
    if previous is not None and previous is not version:
        previous.status = SUPERSEDED
        db.session.flush()
    version.status = PUBLISHED
    version.published_at = at
    if version.is_significant or previous is None:
        version.ack_from_number = version.number
    else:
        version.ack_from_number = previous.ack_from_number
    db.session.flush()
    db.session.expire(guideline, ["published", "draft"])


def approve(guideline: Guideline, user) -> GuidelineVersion:
    """The approver approves the draft: it is published, stamped, and the next review date is set."""
    reason = approval_refusal(guideline, user)
    if reason:
        raise GuidelineError(reason)
    draft = guideline.draft
    now, today = clock.now(), clock.today()
    draft.approved_by_id = user.id
    draft.approved_at = now
    draft.effective_from = today
    publish(guideline, draft, at=now)
    record("guidelines.approved", draft, summary=f"Godkendt: {draft.title} (version {draft.number})",
           home_id=user.home_id, actor=user, slug=guideline.slug, version=draft.number)
    record("guidelines.published", draft, summary=f"Offentliggjort: {draft.title} (version {draft.number})",
           home_id=user.home_id, actor=user, slug=guideline.slug, version=draft.number,
           significant=draft.is_significant)
    _reviewed(guideline, today)
    return draft


def review_without_changes(guideline: Guideline, user, note: str) -> GuidelineReview:
    """"Revideret uden ændringer": the approver confirms the text still holds; the review date moves."""
    version = guideline.published
    if version is None:
        raise GuidelineError("Retningslinjen har ingen gældende version.")
    if not holds(user, version.approver_role):
        raise GuidelineError("Kun godkenderen af retningslinjen kan registrere en revision.")
    today = clock.today()
    review = GuidelineReview(guideline=guideline, version_id=version.id, reviewed_by_id=user.id, reviewed_on=today,
                             note=_clean(note).strip())
    db.session.add(review)
    db.session.flush()
    record("guidelines.reviewed", review, summary=f"Revideret uden ændringer: {version.title}", home_id=user.home_id,
           actor=user, slug=guideline.slug, version=version.number)
    _reviewed(guideline, today)
    return review


def history(guideline: Guideline) -> list[GuidelineVersion]:
    return list(db.session.scalars(
        select(GuidelineVersion).where(GuidelineVersion.guideline_id == guideline.id)
        .options(selectinload(GuidelineVersion.author), selectinload(GuidelineVersion.approved_by_user))
        .order_by(GuidelineVersion.number.desc())
    ))


def version_as_of(versions: list[GuidelineVersion], on: date) -> GuidelineVersion | None:
    """The version that was published on a day (drafts never count)."""
    published = [v for v in versions if v.status in (PUBLISHED, SUPERSEDED) and v.published_at is not None
                 and clock.to_local(v.published_at).date() <= on]
    return max(published, key=lambda v: v.number) if published else None


def review_state_on(guideline: Guideline, on: date) -> tuple[GuidelineVersion, date] | None:
    """(version in force, its next review date) as things stood on a day; None before the first publication.

    Needs guideline.versions and guideline.reviews (load them eagerly for many guidelines).
    """
    version = version_as_of(guideline.versions, on)
    if version is None:
        return None
    base = version.effective_from
    for review in guideline.reviews:
        if base < review.reviewed_on <= on:
            base = review.reviewed_on
    return version, next_review_after(base, version.review)
