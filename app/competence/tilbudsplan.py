"""The tilbudsplan's rules: the leader group writes next year's plan in December and finishes it, it is presented
at the year's first Mini-MED meeting (`mark_presented`, called by the meeting's decisions), the tilbudsleder
publishes it, and every employee confirms "Læst og forstået". Its method decisions change the departments'
method lists from 1 January of the plan's year (`apply_method_decisions`).

Status: draft -> finished (Færdiggjort) -> approved (presented at Mini-MED) -> published; an older revision of
the same year becomes superseded when a newer one is finished (if not yet published) or published. Functions
flush and audit but do not commit; the route (or the caller) commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import clock, signals
from app.audit.services import record
from app.competence.models import PLAN_SECTIONS, CompetencePlan, CourseWish, TilbudsplanVersion, wish_methods
from app.competence.services import CompetenceError
from app.competence.tilbudsplan_models import (
    INTRODUCE,
    METHOD_ACTION_LABELS,
    PHASE_OUT,
    TilbudsplanAck,
    TilbudsplanMethodDecision,
)
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.people.models import Department, Method

EVENT = "competence.tilbudsplan_written"
READABLE = ("published", "superseded")


class TilbudsplanError(CompetenceError):
    """A refused change to the tilbudsplan; the message is Danish and shown as is (a CompetenceError, so the
    meeting's recording catches it like its own refusals)."""


def versions(home_id: int, year: int) -> list[TilbudsplanVersion]:
    """Every revision of the year, newest first."""
    return list(db.session.scalars(select(TilbudsplanVersion).where(
        TilbudsplanVersion.home_id == home_id, TilbudsplanVersion.year == year)
        .options(selectinload(TilbudsplanVersion.created_by), selectinload(TilbudsplanVersion.finished_by))
        .order_by(TilbudsplanVersion.number.desc())))


def years(home_id: int) -> list[tuple[int, str]]:
    """(year, status of its newest revision), newest year first."""
    rows = db.session.execute(select(TilbudsplanVersion.year, TilbudsplanVersion.status, TilbudsplanVersion.number)
                              .where(TilbudsplanVersion.home_id == home_id))
    newest: dict[int, tuple[int, str]] = {}
    for year, status, number in rows:
        if year not in newest or number > newest[year][0]:
            newest[year] = (number, status)
    return [(year, newest[year][1]) for year in sorted(newest, reverse=True)]


def published(home_id: int, year: int) -> TilbudsplanVersion | None:
    return db.session.scalar(select(TilbudsplanVersion).where(
        TilbudsplanVersion.home_id == home_id, TilbudsplanVersion.year == year,
        TilbudsplanVersion.status == "published"))


def current_published(home_id: int, today: date) -> TilbudsplanVersion | None:
    """The plan in force: this year's published plan, else the newest published one before it."""
    return db.session.scalar(select(TilbudsplanVersion).where(
        TilbudsplanVersion.home_id == home_id, TilbudsplanVersion.status == "published",
        TilbudsplanVersion.year <= today.year).order_by(TilbudsplanVersion.year.desc()).limit(1))


def draft(home_id: int, year: int) -> TilbudsplanVersion | None:
    return db.session.scalar(select(TilbudsplanVersion).where(
        TilbudsplanVersion.home_id == home_id, TilbudsplanVersion.year == year,
        TilbudsplanVersion.status == "draft"))


def decisions(version: TilbudsplanVersion) -> list[TilbudsplanMethodDecision]:
    return list(db.session.scalars(select(TilbudsplanMethodDecision).where(
        TilbudsplanMethodDecision.version_id == version.id)
        .join(Department, Department.id == TilbudsplanMethodDecision.department_id)
        .options(selectinload(TilbudsplanMethodDecision.department))
        .order_by(Department.name_sort_key, TilbudsplanMethodDecision.id)))  # departments in Danish order


def save_draft(home_id: int, year: int, actor, body: str, change_note: str, *, version_id: int | None = None,
               lock_version: int | None = None) -> TilbudsplanVersion:
    """Write the year's draft; the first save after a finished revision starts the next numbered revision,
    carrying over the text's method decisions. A stale form (someone saved meanwhile) raises StaleDataError."""
    from sqlalchemy.orm.exc import StaleDataError

    row = draft(home_id, year)
    if row is None:
        if version_id:
            raise StaleDataError("the draft was finished meanwhile")
        row = start_revision(home_id, year, actor)
    elif (version_id and version_id != row.id) or (lock_version and lock_version != row.lock_version):
        raise StaleDataError("another save came first")
    row.body = body.strip()
    row.change_note = change_note.strip()
    db.session.flush()
    record("competence.tilbudsplan_saved", row, summary=f"Tilbudsplan {year}, revision {row.number}",
           home_id=home_id, actor=actor)
    return row


def start_revision(home_id: int, year: int, actor) -> TilbudsplanVersion:
    """The year's draft, or a new one numbered after the newest revision, copying its text and decisions."""
    row = draft(home_id, year)
    if row is not None:
        return row
    previous = db.session.scalar(select(TilbudsplanVersion).where(
        TilbudsplanVersion.home_id == home_id, TilbudsplanVersion.year == year)
        .order_by(TilbudsplanVersion.number.desc()).limit(1))
    row = TilbudsplanVersion(home_id=home_id, year=year, number=previous.number + 1 if previous else 1,
                             status="draft", body=previous.body if previous else "", change_note="",
                             created_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    if previous is not None:
        for old in decisions(previous):
            db.session.add(TilbudsplanMethodDecision(version_id=row.id, department_id=old.department_id,
                                                     method_id=old.method_id, name=old.name, action=old.action,
                                                     decided_on=old.decided_on))
        db.session.flush()
    return row


def _require_draft(version: TilbudsplanVersion) -> None:
    if version.is_locked:
        raise TilbudsplanError("Tilbudsplanen er færdiggjort og låst. Start en ny revision for at ændre den.")


def method_users(home_id: int, method: Method) -> list[str]:
    """What still names the method: open course wishes (sent, not yet decided) and unfinished competence plans."""
    wishes = db.session.scalars(select(CourseWish.title).join(wish_methods, wish_methods.c.wish_id == CourseWish.id)
                                .where(CourseWish.home_id == home_id, wish_methods.c.method_id == method.id,
                                       CourseWish.status == "submitted", CourseWish.outcome.is_(None))
                                .order_by(CourseWish.year, CourseWish.id)).all()
    used = [f"kursusønsket »{title}«" for title in wishes]
    needle = method.name.casefold()
    plans = db.session.scalars(select(CompetencePlan).where(CompetencePlan.home_id == home_id,
                                                            CompetencePlan.finished_at.is_(None))
                               .order_by(CompetencePlan.year))
    used += [f"kompetenceudviklingsplanen for {plan.year}" for plan in plans
             if any(needle in (getattr(plan, key) or "").casefold() for key in PLAN_SECTIONS)]
    return used


def _refuse_if_used(home_id: int, method: Method) -> None:
    used = method_users(home_id, method)
    if used:
        raise TilbudsplanError(f"{method.name} ({method.department.name}) kan ikke udfases: metoden nævnes stadig i "
                               f"{', '.join(used)}. Ret eller afslut dem først.")


def add_decision(version: TilbudsplanVersion, actor, *, department_id: int, action: str, decided_on: date,
                 method_id: int | None = None, name: str = "") -> TilbudsplanMethodDecision:
    """A dated decision on one department's method in the draft: keep, phase out or introduce (a new name)."""
    _require_draft(version)
    if action not in METHOD_ACTION_LABELS:
        raise TilbudsplanError("Vælg fastholdes, udfases eller indføres.")
    department = db.session.get(Department, department_id)
    if department is None or department.home_id != version.home_id:
        raise TilbudsplanError("Vælg en af tilbuddets afdelinger.")
    existing = decisions(version)
    if action == INTRODUCE:
        name = " ".join((name or "").split())
        if not name:
            raise TilbudsplanError("Skriv navnet på den metode, der skal indføres.")
        if len(name) > 120:
            raise TilbudsplanError("Metodens navn må højst have 120 tegn.")
        active = next((m for m in department.methods if m.name.casefold() == name.casefold() and m.is_active), None)
        if active is not None:
            raise TilbudsplanError(f"{department.name} arbejder allerede med {active.name}.")
        method = None
    else:
        method = db.session.get(Method, method_id) if method_id else None
        if method is None or method.department_id != department.id:
            raise TilbudsplanError(f"Vælg en af {department.name}s metoder.")
        if not method.is_active:
            raise TilbudsplanError(f"{method.name} er allerede udfaset i {department.name}.")
        name = method.name
    twin = next((d for d in existing if d.department_id == department.id and d.name.casefold() == name.casefold()),
                None)
    if twin is not None:
        raise TilbudsplanError(f"{twin.name} i {department.name} har allerede en beslutning i denne tilbudsplan "
                               f"({twin.action_label.lower()}). Slet den først, hvis den skal ændres.")
    if action == PHASE_OUT:
        _refuse_if_used(version.home_id, method)
    row = TilbudsplanMethodDecision(version_id=version.id, department_id=department.id,
                                    method_id=method.id if method else None, name=name, action=action,
                                    decided_on=decided_on)
    db.session.add(row)
    db.session.flush()
    record("competence.tilbudsplan_method_decision", version, home_id=version.home_id, actor=actor,
           summary=f"{METHOD_ACTION_LABELS[action]}: {name} ({department.name}), tilbudsplan {version.year}")
    return row


def remove_decision(version: TilbudsplanVersion, decision: TilbudsplanMethodDecision, actor) -> None:
    _require_draft(version)
    if decision.version_id != version.id:
        raise TilbudsplanError("Beslutningen hører ikke til denne tilbudsplan.")
    record("competence.tilbudsplan_method_decision_removed", version, home_id=version.home_id, actor=actor,
           summary=f"Slettet: {decision.action_label} {decision.name}, tilbudsplan {version.year}")
    db.session.delete(decision)
    db.session.flush()


def finish(version: TilbudsplanVersion, actor) -> None:
    """The leader group finishes the draft (in December, for next year): an empty text cannot be finished, and a
    phase-out still named by an open wish or plan is refused. Earlier unpublished revisions are superseded."""
    _require_draft(version)
    if version.is_empty:
        raise TilbudsplanError("Tilbudsplanen er tom. Skriv planens tekst, før den færdiggøres.")
    for decision in decisions(version):
        if decision.action == PHASE_OUT and decision.method is not None and decision.method.is_active:
            _refuse_if_used(version.home_id, decision.method)
    for older in db.session.scalars(select(TilbudsplanVersion).where(
            TilbudsplanVersion.home_id == version.home_id, TilbudsplanVersion.year == version.year,
            TilbudsplanVersion.id != version.id, TilbudsplanVersion.status.in_(("finished", "approved")))):
        older.status = "superseded"
    version.status = "finished"
    version.finished_at = clock.now()
    version.finished_by_id = actor.id
    db.session.flush()
    record(EVENT, version, home_id=version.home_id, actor=actor,
           summary=f"Tilbudsplan {version.year} færdiggjort (revision {version.number})")
    if version.duty_year <= clock.today().year:
        signals.tilbudsplan_written.send(home_id=version.home_id, year=version.duty_year, on=clock.today(), actor=actor)


def first_meeting(home_id: int, year: int) -> MiniMedMeeting | None:
    return db.session.scalar(select(MiniMedMeeting).where(
        MiniMedMeeting.home_id == home_id, MiniMedMeeting.held_on.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(MiniMedMeeting.held_on).limit(1))


def mark_presented(version: TilbudsplanVersion, meeting: MiniMedMeeting, actor, note: str = ""):
    """Record that the finished plan for year Y was presented at Y's first Mini-MED meeting (the seed: "fremlægges",
    not an approval). The meeting's record (`TilbudsplanPresentation`) is the one truth the årshjul reads; the
    version's status and `presented_meeting_id` follow it in the same transaction. Only then may the tilbudsleder
    publish the plan. Returns the presentation."""
    from app.competence.meeting_models import TilbudsplanPresentation

    if meeting.home_id != version.home_id:
        raise TilbudsplanError("Mødet hører ikke til dette tilbud.")
    if version.status != "finished":
        raise TilbudsplanError("Kun en færdiggjort tilbudsplan, der ikke allerede er fremlagt, kan fremlægges.")
    first = first_meeting(version.home_id, version.year)
    if meeting.held_on.year != version.year or first is None or first.id != meeting.id:
        raise TilbudsplanError(f"Tilbudsplanen for {version.year} fremlægges på årets første Mini-MED-møde i "
                               f"{version.year}.")
    if meeting.held_on > clock.today():
        raise TilbudsplanError("Mødet er ikke holdt endnu.")
    if db.session.scalar(select(TilbudsplanPresentation.id).where(TilbudsplanPresentation.meeting_id == meeting.id)):
        raise TilbudsplanError("Tilbudsplanen er allerede registreret som fremlagt på dette møde.")
    version.status = "approved"
    version.approved_at = clock.now()
    version.presented_meeting_id = meeting.id
    presentation = TilbudsplanPresentation(home_id=version.home_id, tilbudsplan_version_id=version.id,
                                           meeting_id=meeting.id, note=note, recorded_at=clock.now(),
                                           recorded_by_id=actor.id if actor else None)
    db.session.add(presentation)
    db.session.flush()
    record("competence.tilbudsplan_presented", version, home_id=version.home_id, actor=actor,
           summary=f"Tilbudsplan {version.year} fremlagt i Mini-MED", meeting_id=meeting.id)
    return presentation


def publish(version: TilbudsplanVersion, actor) -> None:
    """After its presentation the plan is published in every department; a published older revision of the same
    year is superseded, and decisions whose day has come change the method lists now."""
    if version.status != "approved":
        raise TilbudsplanError("Tilbudsplanen kan først offentliggøres, når den er fremlagt på årets første "
                               "Mini-MED-møde.")
    for older in db.session.scalars(select(TilbudsplanVersion).where(
            TilbudsplanVersion.home_id == version.home_id, TilbudsplanVersion.year == version.year,
            TilbudsplanVersion.status == "published")):
        older.status = "superseded"
    version.status = "published"
    version.published_at = clock.now()
    version.published_by_id = actor.id
    db.session.flush()
    record("competence.tilbudsplan_published", version, home_id=version.home_id, actor=actor,
           summary=f"Tilbudsplan {version.year} offentliggjort (revision {version.number})")
    apply_method_decisions(version.home_id, clock.today())


def apply_method_decisions(home_id: int, today: date) -> int:
    """Let the published plans' decisions change the method lists from 1 January of their year: a phased-out
    method becomes inactive, an introduced one is created (or active again). Idempotent; returns how many
    decisions it applied. Publishing calls it, and so does the daily `flask reminders send`."""
    rows = db.session.scalars(select(TilbudsplanMethodDecision).join(TilbudsplanVersion).where(
        TilbudsplanVersion.home_id == home_id, TilbudsplanVersion.status == "published",
        TilbudsplanVersion.year <= today.year, TilbudsplanMethodDecision.applied_on.is_(None))
        .order_by(TilbudsplanVersion.year, TilbudsplanMethodDecision.id)).all()
    for decision in rows:
        if decision.action == PHASE_OUT and decision.method is not None:
            decision.method.is_active = False
        elif decision.action == INTRODUCE:
            method = decision.method or next(
                (m for m in db.session.scalars(select(Method).where(Method.department_id == decision.department_id))
                 if m.name.casefold() == decision.name.casefold()), None)
            if method is None:
                method = Method(department_id=decision.department_id, name=decision.name)
                db.session.add(method)
                db.session.flush()
            method.is_active = True
            decision.method_id = method.id
        decision.applied_on = today
    if rows:
        db.session.flush()
        record("competence.tilbudsplan_methods_applied", None, home_id=home_id,
               summary=f"{len(rows)} metodebeslutninger fra tilbudsplanen er trådt i kraft")
    return len(rows)


def has_acknowledged(version: TilbudsplanVersion, user) -> bool:
    return db.session.scalar(select(TilbudsplanAck.id).where(TilbudsplanAck.version_id == version.id,
                                                             TilbudsplanAck.user_id == user.id)) is not None


def acknowledge(version: TilbudsplanVersion, user) -> TilbudsplanAck | None:
    """Record "Læst og forstået" for the published revision; None when the person already confirmed it."""
    if version.status != "published" or version.home_id != user.home_id:
        raise TilbudsplanError("Kun den offentliggjorte tilbudsplan kan bekræftes.")
    if has_acknowledged(version, user):
        return None
    ack = TilbudsplanAck(version_id=version.id, user_id=user.id, acknowledged_at=clock.now())
    db.session.add(ack)
    db.session.flush()
    record("competence.tilbudsplan_acknowledged", version, home_id=version.home_id, actor=user,
           summary=f"Læst og forstået: tilbudsplan {version.year} (revision {version.number})")
    return ack


def acknowledged_count(version: TilbudsplanVersion) -> int:
    return db.session.scalar(select(func.count()).select_from(TilbudsplanAck)
                             .where(TilbudsplanAck.version_id == version.id)) or 0


def apply_all_method_decisions(today: date | None = None) -> int:
    """`apply_method_decisions` for every home, committed (the daily `flask reminders send` runs it first)."""
    from app.people.models import Home

    today = today or clock.today()
    applied = sum(apply_method_decisions(home_id, today) for home_id in db.session.scalars(select(Home.id)).all())
    db.session.commit()
    return applied
