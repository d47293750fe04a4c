"""Rules for what the year's first and last Mini-MED meetings record, and for the departments' autumn
suggestions; and the records that fulfil those årshjul duties (hooks.fulfilment).

First meeting of a year: the written competence plan for that year is approved, the tilbudsplan for that year
is presented (the distribution's own decision lives in distribution.py). Last meeting: the year's tilbudsplan
is evaluated and the suggestions for next year are presented. "First" and "last" are the earliest and latest
`held_on` of the home's meetings in the calendar year, as the årshjul dates those duties (cycle.rules).

Functions flush and audit; they never commit. Refusals raise CompetenceError with a Danish message.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.audit.services import record
from app.competence.meeting_models import (
    CompetencePlanApproval,
    DepartmentSuggestion,
    TilbudsplanEvaluation,
    TilbudsplanPresentation,
)
from app.competence.models import CompetencePlan, TilbudsplanVersion
from app.competence.services import CompetenceError, StaleError
from app.cycle.models import MiniMedMeeting
from app.cycle.services import clean_text
from app.extensions import db
from app.hooks import Fulfilment, fulfilment
from app.people.models import Department
from app.web import dadate

#: Tilbudsplan revisions that may be presented: finished by the leader group and not yet presented (see
#: app/competence/tilbudsplan.py for the plan's own flow: draft -> finished -> presented -> published).
PRESENTABLE = ("finished",)


def _year_bound(home_id: int, year: int, last: bool):
    column = MiniMedMeeting.held_on
    return db.session.scalar(select(func.max(column) if last else func.min(column)).where(
        MiniMedMeeting.home_id == home_id, column.between(date(year, 1, 1), date(year, 12, 31))))


def is_first_of_year(meeting: MiniMedMeeting) -> bool:
    """The year's first meeting: no meeting of the home lies earlier in the same calendar year."""
    return _year_bound(meeting.home_id, meeting.held_on.year, last=False) == meeting.held_on


def is_last_of_year(meeting: MiniMedMeeting) -> bool:
    """The year's last meeting: no meeting of the home lies later in the same calendar year."""
    return _year_bound(meeting.home_id, meeting.held_on.year, last=True) == meeting.held_on


def _held(meeting: MiniMedMeeting | None, home_id: int) -> MiniMedMeeting:
    if meeting is None or meeting.home_id != home_id:
        raise CompetenceError("Vælg det Mini-MED-møde, hvor det blev behandlet.")
    if meeting.held_on > clock.today():
        raise CompetenceError("Det kan først registreres, når mødet er holdt.")
    return meeting


def _first(meeting: MiniMedMeeting, what: str) -> None:
    if not is_first_of_year(meeting):
        first = _year_bound(meeting.home_id, meeting.held_on.year, last=False)
        raise CompetenceError(f"{what} hører til årets første Mini-MED-møde ({dadate(first)}), ikke mødet den "
                              f"{dadate(meeting.held_on)}.")


def _flush_unique(message: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise CompetenceError(message) from error


def plan_approval(plan: CompetencePlan | None) -> CompetencePlanApproval | None:
    if plan is None or plan.id is None:
        return None
    return db.session.scalar(select(CompetencePlanApproval).where(CompetencePlanApproval.plan_id == plan.id))


def approve_plan(meeting: MiniMedMeeting | None, plan: CompetencePlan | None, note: str,
                 actor) -> CompetencePlanApproval:
    """Mini-MED approves the written competence plan for the meeting's year at the year's first meeting."""
    meeting = _held(meeting, actor.home_id)
    year = meeting.held_on.year
    if plan is None or plan.home_id != meeting.home_id:
        raise CompetenceError(f"Der er ingen skriftlig kompetenceudviklingsplan for {year} at godkende.")
    if plan.year != year:
        raise CompetenceError(f"Mødet den {dadate(meeting.held_on)} godkender planen for {year}, ikke planen for "
                              f"{plan.year}.")
    if plan.is_empty:
        raise CompetenceError("Planen er tom og kan ikke godkendes.")
    if not plan.is_finished:
        raise CompetenceError("Planen er ikke færdigskrevet. Ledergruppen markerer den som færdigskrevet, før "
                              "Mini-MED godkender den.")
    existing = plan_approval(plan)
    if existing is not None:
        raise CompetenceError(f"Kompetenceudviklingsplanen for {year} er allerede godkendt på mødet den "
                              f"{dadate(existing.meeting.held_on)}.")
    _first(meeting, "Godkendelsen af kompetenceudviklingsplanen")
    approval = CompetencePlanApproval(home_id=meeting.home_id, plan_id=plan.id, meeting_id=meeting.id,
                                      note=clean_text(note, 4000), decided_by_id=actor.id)
    db.session.add(approval)
    _flush_unique(f"Kompetenceudviklingsplanen for {year} er allerede godkendt på dette møde.")
    record("competence.plan_approved", plan, summary=f"{year}: godkendt af Mini-MED", actor=actor,
           meeting=meeting.held_on.isoformat())
    return approval


def presentation_of(meeting: MiniMedMeeting) -> TilbudsplanPresentation | None:
    return db.session.scalar(select(TilbudsplanPresentation).where(TilbudsplanPresentation.meeting_id == meeting.id))


def presentable_tilbudsplan(home_id: int, year: int) -> TilbudsplanVersion | None:
    """The newest revision of the year's tilbudsplan that is finished and waits for its presentation."""
    return db.session.scalar(select(TilbudsplanVersion).where(
        TilbudsplanVersion.home_id == home_id, TilbudsplanVersion.year == year,
        TilbudsplanVersion.status.in_(PRESENTABLE)).order_by(TilbudsplanVersion.number.desc()).limit(1))


def present_tilbudsplan(meeting: MiniMedMeeting | None, version: TilbudsplanVersion | None, note: str,
                        actor) -> TilbudsplanPresentation:
    """The year's tilbudsplan is presented at the year's first meeting; it is then made available everywhere."""
    meeting = _held(meeting, actor.home_id)
    year = meeting.held_on.year
    if presentation_of(meeting) is not None:
        raise CompetenceError("Tilbudsplanen er allerede registreret som fremlagt på dette møde.")
    if version is None or version.home_id != meeting.home_id:
        raise CompetenceError(f"Der er ingen tilbudsplan for {year} at fremlægge.")
    if version.year != year:
        raise CompetenceError(f"Mødet den {dadate(meeting.held_on)} fremlægger tilbudsplanen for {year}, ikke "
                              f"planen for {version.year}.")
    if version.status not in PRESENTABLE:
        raise CompetenceError("Kun en færdig tilbudsplan kan fremlægges; denne er en kladde eller erstattet.")
    _first(meeting, "Fremlæggelsen af tilbudsplanen")
    from app.competence.tilbudsplan import mark_presented

    return mark_presented(version, meeting, actor, note=clean_text(note, 4000))


def evaluation_of(home_id: int, year: int) -> TilbudsplanEvaluation | None:
    return db.session.scalar(select(TilbudsplanEvaluation).where(TilbudsplanEvaluation.home_id == home_id,
                                                                 TilbudsplanEvaluation.year == year))


def record_evaluation(meeting: MiniMedMeeting | None, evaluation: str, suggestions_note: str,
                      actor) -> TilbudsplanEvaluation:
    """At the year's last meeting: the evaluation of the year's tilbudsplan and next year's suggestions."""
    meeting = _held(meeting, actor.home_id)
    year = meeting.held_on.year
    text = clean_text(evaluation, 20000)
    if not text:
        raise CompetenceError("Skriv evalueringen af årets tilbudsplan.")
    existing = evaluation_of(meeting.home_id, year)
    if existing is not None:
        raise CompetenceError(f"Tilbudsplanen for {year} er allerede evalueret på mødet den "
                              f"{dadate(existing.meeting.held_on)}.")
    if not is_last_of_year(meeting):
        last = _year_bound(meeting.home_id, year, last=True)
        raise CompetenceError(f"Evalueringen af tilbudsplanen hører til årets sidste Mini-MED-møde "
                              f"({dadate(last)}), ikke mødet den {dadate(meeting.held_on)}.")
    row = TilbudsplanEvaluation(home_id=meeting.home_id, meeting_id=meeting.id, year=year, evaluation=text,
                                suggestions_note=clean_text(suggestions_note, 20000), recorded_by_id=actor.id)
    db.session.add(row)
    _flush_unique(f"Tilbudsplanen for {year} er allerede evalueret.")
    record("competence.tilbudsplan_evaluated", row, summary=f"{year}: evalueret af Mini-MED", actor=actor,
           meeting=meeting.held_on.isoformat())
    return row


def suggestions_of_year(home_id: int, year: int) -> dict[int, DepartmentSuggestion]:
    """The departments' suggestions from the year's autumn staff meetings, by department id."""
    rows = db.session.scalars(select(DepartmentSuggestion).where(DepartmentSuggestion.home_id == home_id,
                                                                 DepartmentSuggestion.year == year))
    return {row.department_id: row for row in rows}


def save_suggestion(department: Department, year: int, data: dict, actor,
                    version: int | None = None) -> DepartmentSuggestion:
    """Record (or correct) a department's suggestions from its staff meeting in the year.

    A meeting outside October/November is accepted and shown as such; a meeting in another year or ahead of
    today is refused."""
    meeting_on = data.get("meeting_on")
    if meeting_on is None:
        raise CompetenceError("Skriv datoen for personalemødet.")
    if meeting_on.year != year:
        raise CompetenceError(f"Personalemødet skal ligge i {year}; forslagene fra et møde i {meeting_on.year} "
                              f"registreres under {meeting_on.year}.")
    if meeting_on > clock.today():
        raise CompetenceError("Forslagene kan først registreres, når personalemødet er holdt.")
    suggestions = clean_text(data.get("suggestions"), 20000)
    methods = clean_text(data.get("methods_development"), 20000)
    if not suggestions and not methods:
        raise CompetenceError("Skriv personalemødets forslag til tilbudsplanen eller til udviklingen af tilgange "
                              "og metoder (skriv \u201eIngen forslag\u201c, hvis mødet ikke havde nogen).")
    row = suggestions_of_year(department.home_id, year).get(department.id)
    creating = row is None
    if creating:
        row = DepartmentSuggestion(home_id=department.home_id, department_id=department.id, year=year)
        db.session.add(row)
    elif version is not None and version != row.version:
        raise StaleError("Forslagene er gemt af en anden i mellemtiden. Din tekst er bevaret; se den nye, og gem "
                         "igen.")
    row.meeting_on, row.suggestions, row.methods_development = meeting_on, suggestions, methods
    row.recorded_by_id, row.recorded_at = actor.id, clock.now()
    _flush_unique(f"Afdelingens forslag for {year} er netop registreret af en anden. Indlæs siden, og prøv igen.")
    record("competence.suggestions_recorded" if creating else "competence.suggestions_updated", row,
           summary=f"{department.name} {year}: forslag til tilbudsplanen", actor=actor,
           meeting_on=meeting_on.isoformat())
    return row


@fulfilment("competence.plan_approved")
def plans_approved(home, first_year: int, last_year: int, entry=None):
    """Mini-MED's approval of the plan for year Y, at the first meeting of year Y."""
    rows = db.session.execute(select(CompetencePlan.year, MiniMedMeeting.held_on)
                              .join(CompetencePlanApproval, CompetencePlanApproval.plan_id == CompetencePlan.id)
                              .join(MiniMedMeeting, MiniMedMeeting.id == CompetencePlanApproval.meeting_id)
                              .where(CompetencePlanApproval.home_id == home.id,
                                     CompetencePlan.year.between(first_year, last_year)))
    return [Fulfilment(year, held_on) for year, held_on in rows]


@fulfilment("competence.tilbudsplan_presented")
def tilbudsplans_presented(home, first_year: int, last_year: int, entry=None):
    """The tilbudsplan for year Y presented at the first meeting of year Y."""
    rows = db.session.execute(select(TilbudsplanVersion.year, MiniMedMeeting.held_on)
                              .join(TilbudsplanPresentation,
                                    TilbudsplanPresentation.tilbudsplan_version_id == TilbudsplanVersion.id)
                              .join(MiniMedMeeting, MiniMedMeeting.id == TilbudsplanPresentation.meeting_id)
                              .where(TilbudsplanPresentation.home_id == home.id,
                                     TilbudsplanVersion.year.between(first_year, last_year)))
    return [Fulfilment(year, held_on) for year, held_on in rows]


@fulfilment("competence.tilbudsplan_evaluated")
def tilbudsplans_evaluated(home, first_year: int, last_year: int, entry=None):
    """The evaluation of year Y's tilbudsplan at the last meeting of year Y."""
    rows = db.session.execute(select(TilbudsplanEvaluation.year, MiniMedMeeting.held_on)
                              .join(MiniMedMeeting, MiniMedMeeting.id == TilbudsplanEvaluation.meeting_id)
                              .where(TilbudsplanEvaluation.home_id == home.id,
                                     TilbudsplanEvaluation.year.between(first_year, last_year)))
    return [Fulfilment(year, held_on) for year, held_on in rows]


@fulfilment("competence.suggestions_recorded")
def suggestions_recorded(home, first_year: int, last_year: int, entry=None):
    """A department's suggestions from its staff meeting in year Y answer that department's duty of year Y."""
    rows = db.session.execute(select(DepartmentSuggestion.year, DepartmentSuggestion.meeting_on,
                                     DepartmentSuggestion.department_id).where(
        DepartmentSuggestion.home_id == home.id, DepartmentSuggestion.year.between(first_year, last_year)))
    return [Fulfilment(year, on, department_id) for year, on, department_id in rows]
