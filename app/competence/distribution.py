"""The distribution of competence funds: drafting, revisions, the Mini-MED decision and supervision.

An approved revision is locked. Changing it means starting a new revision (a copy) that needs its own
decision; every revision is kept as history. Approval is one all-or-nothing unit: the wish outcomes,
the lock and the decision are flushed together and the route commits once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from app import clock, signals
from app.audit.services import record
from app.competence.models import (
    DECISION_LABELS,
    LINE_CATEGORIES,
    OUTCOME_LABELS,
    CourseWish,
    Decision,
    Distribution,
    DistributionLine,
    SupervisionSession,
)
from app.competence.services import CompetenceError, StaleError, _optional_number, parse_money
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.faults import checkpoint
from app.people.models import Department
from app.web import kroner


def revisions(home_id: int, year: int) -> list[Distribution]:
    return list(db.session.scalars(
        select(Distribution).where(Distribution.home_id == home_id, Distribution.year == year)
        .options(selectinload(Distribution.decisions).selectinload(Decision.meeting))
        .order_by(Distribution.revision.desc())))


def current(home_id: int, year: int) -> Distribution | None:
    """The newest revision for a year."""
    return db.session.scalar(
        select(Distribution).where(Distribution.home_id == home_id, Distribution.year == year)
        .options(selectinload(Distribution.lines).selectinload(DistributionLine.department))
        .order_by(Distribution.revision.desc()).limit(1))


def approved(home_id: int, year: int) -> Distribution | None:
    """The newest approved revision for a year."""
    return db.session.scalar(
        select(Distribution).where(Distribution.home_id == home_id, Distribution.year == year,
                                   Distribution.status == "approved")
        .order_by(Distribution.revision.desc()).limit(1))


def start(home, year: int, budget, actor) -> Distribution:
    if current(home.id, year) is not None:
        raise CompetenceError(f"Der findes allerede en fordeling for {year}.")
    if year < clock.today().year:
        raise CompetenceError("Der kan ikke laves en fordeling for et år, der er gået.")
    dist = Distribution(home_id=home.id, year=year, revision=1, budget=parse_money(budget, "Rammen"),
                        created_by_id=actor.id)
    db.session.add(dist)
    db.session.flush()
    record("competence.distribution_started", dist, summary=f"{year}", actor=actor)
    return dist


def _check_editable(dist: Distribution, version: int | None) -> None:
    if version is not None and version != dist.version:
        raise StaleError("Fordelingen er ændret af en anden, mens du arbejdede. Dine indtastninger er bevaret; "
                         "se de nye tal, og gem igen.")
    if dist.is_locked:
        raise CompetenceError("Fordelingen er godkendt af Mini-MED og er låst. Start en ny revision for at "
                              "ændre den; den skal godkendes igen.")
    if current(dist.home_id, dist.year).id != dist.id:
        raise CompetenceError("Det er ikke den nyeste revision; den kan ikke ændres.")


def _touch(dist: Distribution) -> None:
    """Write the row (and so bump its version) on every change, even within one frozen clock tick."""
    dist.updated_at = clock.now()
    flag_modified(dist, "updated_at")


def save_budget(dist: Distribution, budget, note: str, actor, version: int | None = None) -> None:
    _check_editable(dist, version)
    dist.budget = parse_money(budget, "Rammen")
    dist.note = (note or "").strip()[:4000]
    _touch(dist)
    db.session.flush()
    record("competence.distribution_budget", dist, summary=f"{dist.year}: {dist.budget}", actor=actor)


def add_line(dist: Distribution, data: dict, actor, version: int | None = None) -> DistributionLine:
    _check_editable(dist, version)
    category = data.get("category")
    if category not in LINE_CATEGORIES:
        raise CompetenceError("Vælg en gyldig kategori.")
    department = None
    if data.get("department_id"):
        department = db.session.get(Department, int(data["department_id"]))
        if department is None or department.home_id != dist.home_id:
            raise CompetenceError("Vælg en afdeling i dit eget tilbud.")
    if category in ("department", "supervision") and department is None:
        raise CompetenceError("Vælg afdelingen for linjen.")
    line = DistributionLine(category=category, department_id=department.id if department else None)
    wish = None
    if category == "wish":
        wish = db.session.get(CourseWish, int(data.get("wish_id") or 0))
        if wish is None or wish.home_id != dist.home_id or wish.year != dist.year or wish.is_withdrawn:
            raise CompetenceError("Vælg et indsendt ønske for året.")
        if any(other.wish_id == wish.id for other in dist.lines):
            raise CompetenceError("Ønsket er allerede med i fordelingen.")
        outcome = data.get("wish_outcome") or "approved"
        if outcome not in OUTCOME_LABELS:
            raise CompetenceError("Vælg et gyldigt udfald for ønsket.")
        line.wish_id, line.wish_outcome = wish.id, outcome
        line.department_id = wish.department_id
        line.title = wish.title
    else:
        line.title = " ".join((data.get("title") or "").split())[:200]
        if not line.title:
            raise CompetenceError("Skriv, hvad linjen dækker.")
    amount = parse_money(data.get("amount"), "Beløbet")
    if category == "wish" and line.wish_outcome in ("rejected", "postponed"):
        amount = Decimal("0")
    if category == "wish" and line.wish_outcome == "approved_in_part" and amount >= wish.cost and wish.cost > 0:
        raise CompetenceError("Et delvist godkendt ønske skal have et beløb under ønskets pris.")
    line.amount = amount
    line.supervisor = (data.get("supervisor") or "").strip()[:200]
    sessions = data.get("sessions")
    if sessions not in (None, ""):
        try:
            line.sessions = int(sessions)
        except (TypeError, ValueError):
            raise CompetenceError("Antal sessioner skal være et helt tal.") from None
        if line.sessions < 0 or line.sessions > 1000:
            raise CompetenceError("Antal sessioner skal være mellem 0 og 1000.")
    line.hours = _optional_number(data.get("hours"), "Antal timer")
    line.note = (data.get("note") or "").strip()[:2000]
    if category == "supervision" and not (line.sessions or line.hours):
        raise CompetenceError("Skriv antal sessioner eller timer for supervisionen.")
    dist.lines.append(line)
    _touch(dist)
    db.session.flush()
    record("competence.distribution_line_added", dist, summary=line.title, actor=actor)
    return line


def remove_line(dist: Distribution, line: DistributionLine, actor, version: int | None = None) -> None:
    _check_editable(dist, version)
    if line.distribution_id != dist.id:
        raise CompetenceError("Linjen hører ikke til fordelingen.")
    dist.lines.remove(line)
    _touch(dist)
    db.session.flush()
    record("competence.distribution_line_removed", dist, summary=line.title, actor=actor)


def new_revision(dist: Distribution, actor) -> Distribution:
    """Copy the newest revision into a new draft; the approved one stays as history."""
    latest = current(dist.home_id, dist.year)
    if latest.id != dist.id:
        raise CompetenceError("Der findes allerede en nyere revision.")
    if not dist.is_locked and not dist.decisions:
        raise CompetenceError("Udkastet kan ændres direkte; en ny revision er ikke nødvendig.")
    copy = Distribution(home_id=dist.home_id, year=dist.year, revision=dist.revision + 1, budget=dist.budget,
                        note=dist.note, created_by_id=actor.id)
    for line in dist.lines:
        copy.lines.append(DistributionLine(
            category=line.category, department_id=line.department_id, wish_id=line.wish_id, title=line.title,
            supervisor=line.supervisor, sessions=line.sessions, hours=line.hours, amount=line.amount,
            wish_outcome=line.wish_outcome, note=line.note))
    db.session.add(copy)
    db.session.flush()
    record("competence.distribution_revised", copy, summary=f"{dist.year} revision {copy.revision}", actor=actor)
    return copy


def record_decision(dist: Distribution, meeting: MiniMedMeeting | None, outcome: str, note: str, actor,
                    version: int | None = None) -> Decision:
    """Mini-MED's decision. Approval sets each wish's outcome, locks the revision and records the decision."""
    if version is not None and version != dist.version:
        raise StaleError("Fordelingen er ændret, mens du arbejdede. Se den nye version, før Mini-MED beslutter.")
    if meeting is None or meeting.home_id != dist.home_id:
        raise CompetenceError("Vælg det Mini-MED-møde, hvor beslutningen blev truffet. Opret mødet først, "
                              "hvis det mangler.")
    if meeting.held_on > clock.today():
        raise CompetenceError("Beslutningen kan først registreres, når mødet er holdt.")
    if outcome not in DECISION_LABELS:
        raise CompetenceError("Vælg godkendt, godkendt med ændringer eller udsat.")
    if dist.is_locked:
        raise CompetenceError("Revisionen er allerede godkendt og låst.")
    if current(dist.home_id, dist.year).id != dist.id:
        raise CompetenceError("Kun den nyeste revision kan behandles.")
    approving = outcome in ("approved", "approved_with_changes")
    if approving and dist.is_over_budget:
        raise CompetenceError(f"Fordelingen overskrider rammen med {kroner(dist.total - dist.budget)} og kan "
                              "ikke godkendes. Tilpas linjerne eller rammen først.")
    if approving and not dist.lines:
        raise CompetenceError("En tom fordeling kan ikke godkendes.")
    decision = Decision(home_id=dist.home_id, distribution=dist, meeting_id=meeting.id, outcome=outcome,
                        note=(note or "").strip()[:4000], decided_by_id=actor.id)
    db.session.add(decision)
    if approving:
        _set_outcomes(dist, meeting.held_on)
        dist.status = "approved"
        dist.approved_at = clock.now()
    _touch(dist)
    db.session.flush()
    record("competence.distribution_decided", dist, summary=f"{dist.year}: {decision.outcome_label}",
           actor=actor, meeting=meeting.held_on.isoformat())
    if approving:
        signals.distribution_approved.send(home_id=dist.home_id, year=meeting.held_on.year,
                                           on=meeting.held_on, actor=actor)
    checkpoint("competence.distribution_approval")  # crash-safety tests: all flushed, nothing committed
    return decision


def _set_outcomes(dist: Distribution, decided_on) -> None:
    by_wish = {line.wish_id: line for line in dist.lines if line.wish_id}
    wishes = db.session.scalars(select(CourseWish).where(
        CourseWish.home_id == dist.home_id, CourseWish.year == dist.year, CourseWish.status == "submitted"))
    for wish in wishes:
        line = by_wish.get(wish.id)
        if line is None:
            wish.outcome, wish.outcome_reason = "rejected", "Ikke prioriteret i fordelingen af midler."
        else:
            wish.outcome = line.wish_outcome or "approved"
            wish.outcome_reason = line.note
        wish.outcome_on = decided_on


def planned_supervision(home_id: int, year: int) -> dict[int, dict]:
    """Per department: sessions and hours planned in the newest approved (else newest) revision."""
    dist = approved(home_id, year) or current(home_id, year)
    plan: dict[int, dict] = {}
    if dist is None:
        return plan
    for line in dist.lines:
        if line.category == "supervision" and line.department_id:
            entry = plan.setdefault(line.department_id, {"sessions": 0, "hours": Decimal("0"), "amount": Decimal("0"),
                                                         "supervisors": []})
            entry["sessions"] += line.sessions or 0
            entry["hours"] += line.hours or 0
            entry["amount"] += line.amount
            if line.supervisor and line.supervisor not in entry["supervisors"]:
                entry["supervisors"].append(line.supervisor)
    return plan


def used_supervision(home_id: int, year: int) -> dict[int, dict]:
    rows = db.session.execute(
        select(SupervisionSession.department_id, func.coalesce(func.sum(SupervisionSession.sessions), 0),
               func.coalesce(func.sum(SupervisionSession.hours), 0))
        .where(SupervisionSession.home_id == home_id,
               SupervisionSession.held_on.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(SupervisionSession.department_id)).all()
    return {dep: {"sessions": int(s), "hours": Decimal(str(h))} for dep, s, h in rows}


def record_supervision(department: Department, data: dict, actor) -> SupervisionSession:
    held_on = data.get("held_on")
    if held_on is None:
        raise CompetenceError("Skriv en gyldig dato for supervisionen.")
    if held_on > clock.today():
        raise CompetenceError("Supervision kan først registreres som brugt, når den er holdt.")
    try:
        sessions = int(data.get("sessions") or 0)
    except (TypeError, ValueError):
        raise CompetenceError("Antal sessioner skal være et helt tal.") from None
    hours = _optional_number(data.get("hours"), "Antal timer")
    if sessions <= 0 and not hours:
        raise CompetenceError("Skriv antal sessioner eller timer.")
    if sessions < 0 or sessions > 100:
        raise CompetenceError("Antal sessioner skal være mellem 1 og 100.")
    entry = SupervisionSession(home_id=department.home_id, department_id=department.id, held_on=held_on,
                               sessions=sessions, hours=hours, note=(data.get("note") or "").strip()[:2000],
                               recorded_by_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    record("competence.supervision_used", entry, summary=department.name, actor=actor)
    return entry
