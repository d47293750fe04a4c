"""Rules across records for wishes, the October overviews and completed courses.

Each change flushes and writes the audit log and does not commit; the route commits. Refusals raise
CompetenceError with a Danish message. `completed_courses` and `has_completed_neuropedagogy` are the
feature's public answers for other features (the competence profile, the neuropedagogy rule).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from app import clock, signals
from app.audit.services import record
from app.competence.models import (
    WISH_KIND_LABELS,
    CompetenceNeed,
    CourseCompletion,
    CourseWish,
    DepartmentOverview,
    ImplementationAgreement,
    wish_deadline,
)
from app.extensions import db
from app.people.constants import EmploymentType
from app.people.models import Department, Membership, Method, ResourceFunction, User
from app.permissions import is_head, leads_department
from app.web import dadate


class CompetenceError(Exception):
    """A refused change; the message is Danish and shown as is."""


class StaleError(CompetenceError):
    """Someone else saved the same record first."""


def completed_courses(user) -> list[CourseCompletion]:
    """The person's completed courses, newest first; each has `.agreement` (ImplementationAgreement or None)."""
    return list(db.session.scalars(
        select(CourseCompletion).where(CourseCompletion.user_id == user.id)
        .options(selectinload(CourseCompletion.agreement))
        .order_by(CourseCompletion.completed_on.desc(), CourseCompletion.id.desc())
    ))


def has_completed_neuropedagogy(user, on: date | None = None) -> bool:
    """Whether the person has completed the further education in neuropedagogy on or before a day."""
    on = on or clock.today()
    return bool(db.session.scalar(select(exists().where(
        CourseCompletion.user_id == user.id, CourseCompletion.is_neuropedagogy.is_(True),
        CourseCompletion.completed_on <= on))))


def next_funds_year(today: date | None = None) -> int:
    """Wishes are gathered in the autumn for the following year's funds."""
    return (today or clock.today()).year + 1


def is_deadline_passed(home, funds_year: int, moment: datetime | None = None) -> bool:
    """Judged by when the request reached the server: a wish sent in time is never late for waiting in a queue."""
    return clock.is_after_deadline(moment or clock.received_at(), wish_deadline(home, funds_year))


def open_funds_year(home, moment: datetime | None = None) -> int:
    """The round an employee's new wish goes to: next year's funds until the end of their deadline day, then the
    year after's, so a wish can be started all year. Judged, like the deadline, by when the request arrived."""
    moment = moment or clock.received_at()
    year = clock.to_local(moment).year + 1
    return year + 1 if is_deadline_passed(home, year, moment) else year


def round_text(home, funds_year: int) -> str:
    """How a round is named to the person: "kompetencemidlerne for 2028 med frist 1. oktober 2027"."""
    return f"kompetencemidlerne for {funds_year} med frist {dadate(wish_deadline(home, funds_year))}"


MAX_KRONER = Decimal("100000000")
"""The largest amount any competence field takes (100 mio. kr.): a wish, a line or a home's whole budget."""


def parse_money(value, label: str = "Forventet pris") -> Decimal:
    """Kroner as Decimal, read the Danish way by Babel (da_DK, strict).

    Accepted: "12.500", "12500", "12.500,50", "12500,5", "450 kr.", a Decimal or an int. A dot is only ever the
    thousands separator and the comma the decimal one, so "12500.5" or "12.50" are refused with the reading Babel
    suggests rather than guessed at. Exponents ("1e9"), negative amounts, more than two decimals and anything
    above MAX_KRONER ("1.000.000.000") are refused with a Danish message; the route re-renders what was typed.
    """
    example = "f.eks. 4500, 4.500 eller 4.500,50"
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        text = str(value if value is not None else "").strip()
        text = re.sub(r"\s*kr\.?$", "", text, flags=re.IGNORECASE)
        text = re.sub(r"[\s\u00a0\u202f]", "", text)
        if not re.fullmatch(r"-?[0-9.,]*[0-9][0-9.,]*", text):
            raise CompetenceError(f"{label} skal være et beløb i kroner skrevet med tal, {example}.")
        try:
            amount = parse_decimal(text, locale="da_DK", strict=True)
        except NumberFormatError as error:
            hint = next((s for s in getattr(error, "suggestions", None) or () if "," in s), None)
            raise CompetenceError(f"{label} skal skrives med punktum mellem tusinder og komma før ører, {example}."
                                  + (f" Mente du {hint}?" if hint else "")) from None
    if not amount.is_finite():
        raise CompetenceError(f"{label} skal være et beløb i kroner, {example}.")
    if amount < 0:
        raise CompetenceError(f"{label} kan ikke være negativ.")
    if amount > MAX_KRONER:
        raise CompetenceError(f"{label} kan højst være {format_decimal(MAX_KRONER, '#,##0', locale='da_DK')} kr.")
    if amount != amount.quantize(Decimal("0.01")):
        raise CompetenceError(f"{label} kan højst have to decimaler (ører).")
    return amount.quantize(Decimal("0.01"))


def money_input(amount: Decimal | None) -> str:
    """An amount as a form shows it for editing, in the form parse_money reads back: "12.500,00"."""
    return "" if amount is None else format_decimal(amount, "#,##0.00", locale="da_DK")


def overview_for(department_id: int, year: int) -> DepartmentOverview | None:
    return db.session.scalar(select(DepartmentOverview).where(
        DepartmentOverview.department_id == department_id, DepartmentOverview.year == year))


def forwarded_departments(departments, year: int) -> list:
    """The departments among `departments` whose overview of wishes for `year` is forwarded (locked)."""
    ids = [d.id for d in departments]
    if not ids:
        return []
    locked = set(db.session.scalars(select(DepartmentOverview.department_id).where(
        DepartmentOverview.department_id.in_(ids), DepartmentOverview.year == year,
        DepartmentOverview.forwarded_at.is_not(None))))
    return [d for d in departments if d.id in locked]


def _check_overview_open(department_id: int, year: int) -> None:
    overview = overview_for(department_id, year)
    if overview is not None and overview.is_locked:
        raise CompetenceError("Afdelingens oversigt for året er sendt videre til tilbudslederen og er låst. "
                              "Kun tilbudslederen kan genåbne den.")


def _methods(department: Department, method_ids) -> list[Method]:
    ids = {int(i) for i in (method_ids or [])}
    if not ids:
        return []
    found = [m for m in department.methods if m.id in ids and m.is_active]
    if len(found) != len(ids):
        raise CompetenceError("Vælg kun aktive metoder fra afdelingen.")
    return found


def _apply(wish: CourseWish, data: dict, department: Department, today: date) -> None:
    year = int(data["year"])
    if year < today.year:
        raise CompetenceError("Ønsker kan ikke indsendes for et år, der er gået.")
    if year > today.year + 2:
        raise CompetenceError("Ønsker kan højst indsendes for de næste to år.")
    title = " ".join((data.get("title") or "").split())
    if not title:
        raise CompetenceError("Skriv, hvad ønsket drejer sig om.")
    kind = data.get("kind") or "course"
    if kind not in WISH_KIND_LABELS:
        raise CompetenceError("Vælg kursus, uddannelse eller metodetræning.")
    methods = _methods(department, data.get("methods"))
    areas = (data.get("responsibility_areas") or "").strip()
    if not methods and not areas:
        raise CompetenceError("Vælg mindst én af afdelingens metoder eller skriv et ansvarsområde, "
                              "som ønsket bygger på.")
    wish.year = year
    wish.kind = kind
    wish.title = title[:200]
    wish.provider = (data.get("provider") or "").strip()[:200]
    wish.cost = parse_money(data.get("cost"))
    wish.days = _optional_number(data.get("days"), "Antal dage")
    wish.hours = _optional_number(data.get("hours"), "Antal timer")
    wish.responsibility_areas = areas[:2000]
    wish.reason = (data.get("reason") or "").strip()[:4000]
    wish.methods = methods


def _optional_number(value, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise CompetenceError(f"{label} skal være et tal.") from None
    if not number.is_finite() or number < 0 or number > 10000:
        raise CompetenceError(f"{label} skal være et tal mellem 0 og 10000.")
    return number.quantize(Decimal("0.1"))


def may_act_for_department(actor: User, department_id: int) -> bool:
    return is_head(actor) or leads_department(actor, department_id)


def submit_wish(employee: User | None, department: Department, data: dict, actor: User) -> CourseWish:
    """An employee's own wish (refused after the deadline) or one a leader adds for them or the department.

    It is submitted when the request reached the server (`clock.received_at()`), not when it got its turn.
    """
    now = clock.received_at()
    year = int(data["year"])
    if year < clock.today().year:
        raise CompetenceError("Ønsker kan ikke indsendes for et år, der er gået.")
    if year > clock.today().year + 2:
        raise CompetenceError("Ønsker kan højst indsendes for de næste to år.")
    on_behalf = actor.id != (employee.id if employee else None)
    if department.home_id != actor.home_id or (employee is not None and employee.home_id != actor.home_id):
        raise CompetenceError("Afdelingen eller medarbejderen hører ikke til dit tilbud.")
    if on_behalf and not may_act_for_department(actor, department.id):
        raise CompetenceError("Kun afdelingens leder eller tilbudslederen kan tilføje ønsker for andre.")
    if employee is not None and department.id not in employee.department_ids:
        raise CompetenceError("Medarbejderen hører ikke til den valgte afdeling.")
    if not on_behalf and is_deadline_passed(actor.home, year, now):
        raise CompetenceError(
            f"Fristen for ønsker til {year} var {dadate(wish_deadline(actor.home, year))}. Send ønsket igen, så "
            f"gælder det {round_text(actor.home, open_funds_year(actor.home, now))}, eller kontakt din leder, "
            f"hvis det skal med i {year}.")
    _check_overview_open(department.id, year)
    wish = CourseWish(home_id=actor.home_id, home=actor.home, department_id=department.id,
                      user_id=employee.id if employee else None, submitted_at=now, submitted_by_id=actor.id,
                      status="submitted")
    _apply(wish, data, department, clock.today())
    db.session.add(wish)
    db.session.flush()
    record("competence.wish_submitted", wish, summary=wish.title, actor=actor, year=wish.year,
           late=wish.is_late or None)
    if employee is not None:
        signals.wish_submitted.send(home_id=wish.home_id, user_id=employee.id, year=wish.year - 1,
                                    on=clock.today(), actor=actor)
    return wish


def _check_may_change(wish: CourseWish, actor: User) -> None:
    if wish.outcome:
        raise CompetenceError("Ønsket er behandlet i fordelingen og kan ikke længere ændres.")
    _check_overview_open(wish.department_id, wish.year)
    if (actor.id == wish.user_id and not may_act_for_department(actor, wish.department_id)
            and is_deadline_passed(wish.home, wish.year)):
        raise CompetenceError("Fristen er overskredet; dit ønske kan ikke længere ændres eller trækkes "
                              "tilbage. Kontakt din leder.")


def update_wish(wish: CourseWish, data: dict, actor: User, version: int | None = None) -> CourseWish:
    if version is not None and version != wish.version:
        raise StaleError("Ønsket er ændret af en anden i mellemtiden. Dine indtastninger er bevaret; "
                         "gem igen for at overskrive.")
    if wish.is_withdrawn:
        raise CompetenceError("Ønsket er trukket tilbage.")
    _check_may_change(wish, actor)
    _apply(wish, data, wish.department, clock.today())
    # Checked again against the values the wish ends with: moving it to a closed or locked round is a change too.
    _check_may_change(wish, actor)
    db.session.flush()
    record("competence.wish_updated", wish, summary=wish.title, actor=actor)
    return wish


def withdraw_wish(wish: CourseWish, actor: User) -> None:
    if wish.is_withdrawn:
        raise CompetenceError("Ønsket er allerede trukket tilbage.")
    _check_may_change(wish, actor)
    wish.status = "withdrawn"
    db.session.flush()
    record("competence.wish_withdrawn", wish, summary=wish.title, actor=actor)


def department_wishes(department_id: int, year: int, *, include_withdrawn: bool = False) -> list[CourseWish]:
    query = (select(CourseWish).where(CourseWish.department_id == department_id, CourseWish.year == year)
             .options(selectinload(CourseWish.methods), selectinload(CourseWish.user),
                      selectinload(CourseWish.home)))
    if not include_withdrawn:
        query = query.where(CourseWish.status == "submitted")
    wishes = db.session.scalars(query.order_by(CourseWish.priority.is_(None), CourseWish.priority,
                                               CourseWish.id)).all()
    return list(wishes)


def permanent_staff(department_id: int, on: date) -> list[User]:
    """Current permanent staff of a department on a day (leaders included)."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == department_id, User.employment_type == EmploymentType.PERMANENT,
               User.is_disabled.is_(False), (User.left_on.is_(None)) | (User.left_on > on))
        .order_by(User.name_sort_key, User.id)))


def missing_submitters(department_id: int, year: int) -> list[User]:
    """Permanent staff of the department without a submitted wish for the year."""
    have = set(db.session.scalars(select(CourseWish.user_id).where(
        CourseWish.department_id == department_id, CourseWish.year == year, CourseWish.status == "submitted",
        CourseWish.user_id.is_not(None))))
    return [u for u in permanent_staff(department_id, clock.today()) if u.id not in have]


def ensure_overview(department: Department, year: int) -> DepartmentOverview:
    overview = overview_for(department.id, year)
    if overview is None:
        overview = DepartmentOverview(home_id=department.home_id, department_id=department.id, year=year)
        db.session.add(overview)
        db.session.flush()
    return overview


def save_overview(department: Department, year: int, priorities: dict[int, int | None], recommendation: str,
                  actor: User, version: int | None = None) -> DepartmentOverview:
    """The leader's priorities and recommendation; refused once the overview is forwarded."""
    overview = ensure_overview(department, year)
    if version is not None and overview.version != version:
        raise StaleError("Oversigten er ændret af en anden i mellemtiden. Dine indtastninger er bevaret; "
                         "gem igen for at overskrive.")
    if overview.is_locked:
        raise CompetenceError("Oversigten er sendt videre til tilbudslederen og kan ikke ændres. "
                              "Bed tilbudslederen om at genåbne den.")
    wishes = {w.id: w for w in department_wishes(department.id, year)}
    for wish_id, priority in priorities.items():
        if wish_id not in wishes:
            raise CompetenceError("Et af ønskerne hører ikke til afdelingens oversigt.")
        if priority is not None and not 1 <= priority <= 999:
            raise CompetenceError("Prioriteten skal være et tal fra 1 og opefter (1 er højest).")
        wishes[wish_id].priority = priority
    overview.recommendation = (recommendation or "").strip()[:8000]
    overview.updated_at = clock.now()
    flag_modified(overview, "updated_at")
    db.session.flush()
    record("competence.overview_saved", overview, summary=department.name, actor=actor, year=year)
    return overview


def forward_overview(department: Department, year: int, actor: User) -> DepartmentOverview:
    overview = ensure_overview(department, year)
    if overview.is_locked:
        raise CompetenceError("Oversigten er allerede sendt videre.")
    overview.forwarded_at = clock.now()
    overview.forwarded_by_id = actor.id
    db.session.flush()
    record("competence.overview_forwarded", overview, summary=department.name, actor=actor, year=year)
    if overview.duty_year <= clock.today().year:
        signals.overview_forwarded.send(home_id=department.home_id, department_id=department.id,
                                        year=overview.duty_year, on=clock.today(), actor=actor)
    return overview


def reopen_overview(overview: DepartmentOverview, actor: User) -> None:
    if not is_head(actor):
        raise CompetenceError("Kun tilbudslederen kan genåbne en videresendt oversigt.")
    if not overview.is_locked:
        raise CompetenceError("Oversigten er ikke sendt videre.")
    overview.forwarded_at = None
    overview.reopened_at = clock.now()
    overview.reopened_by_id = actor.id
    db.session.flush()
    record("competence.overview_reopened", overview, summary=overview.department.name, actor=actor)


def record_completion(employee: User, data: dict, actor: User) -> CourseCompletion:
    title = " ".join((data.get("title") or "").split())
    if not title:
        raise CompetenceError("Skriv kursets titel.")
    completed_on = data.get("completed_on")
    if not isinstance(completed_on, date):
        raise CompetenceError("Skriv en gyldig dato for, hvornår kurset blev afsluttet.")
    if completed_on > clock.today():
        raise CompetenceError("Et kursus kan ikke registreres som afsluttet i fremtiden.")
    wish_id = data.get("wish_id") or None
    if wish_id:
        wish = db.session.get(CourseWish, int(wish_id))
        if wish is None or wish.user_id != employee.id:
            raise CompetenceError("Det valgte ønske hører ikke til medarbejderen.")
    completion = CourseCompletion(home_id=employee.home_id, user_id=employee.id, title=title[:200],
                                  completed_on=completed_on, wish_id=wish_id,
                                  is_neuropedagogy=bool(data.get("is_neuropedagogy")), recorded_by_id=actor.id)
    db.session.add(completion)
    db.session.flush()
    record("competence.course_completed", completion, summary=f"{employee.name}: {title}", actor=actor)
    return completion


def agree_implementation(completion: CourseCompletion, description: str, topic: str, agreed_on: date,
                         actor: User) -> ImplementationAgreement:
    """Record the agreement; the employee becomes a resource person on the topic."""
    if completion.agreement is not None:
        raise CompetenceError("Der er allerede en implementeringsaftale for kurset.")
    description = (description or "").strip()
    topic = " ".join((topic or "").split())[:160]
    if not description:
        raise CompetenceError("Beskriv, hvordan den nye viden bruges og holdes levende i afdelingen.")
    if not topic:
        raise CompetenceError("Skriv emnet, som medarbejderen bliver ressourceperson på.")
    if not isinstance(agreed_on, date) or agreed_on > clock.today():
        raise CompetenceError("Aftaledatoen skal være i dag eller tidligere.")
    agreement = ImplementationAgreement(completion=completion, description=description[:8000],
                                        resource_topic=topic, agreed_on=agreed_on, leader_id=actor.id)
    db.session.add(agreement)
    person = completion.user
    if topic.casefold() not in {rf.topic.casefold() for rf in person.resource_functions}:
        db.session.add(ResourceFunction(user_id=person.id, topic=topic, since_on=agreed_on))
    db.session.flush()
    record("competence.implementation_agreed", completion, summary=f"{person.name}: {topic}", actor=actor)
    return agreement


def raise_need(department: Department, description: str, source: str, actor: User) -> CompetenceNeed:
    description = (description or "").strip()
    if not description:
        raise CompetenceError("Beskriv kompetencebehovet.")
    if source not in ("gap", "admission"):
        raise CompetenceError("Ukendt type behov.")
    need = CompetenceNeed(home_id=department.home_id, department_id=department.id, source=source,
                          description=description[:4000], raised_on=clock.today(), raised_by_id=actor.id)
    db.session.add(need)
    db.session.flush()
    record("competence.need_raised", need, summary=department.name, actor=actor)
    return need


def close_need(need: CompetenceNeed, note: str, actor: User) -> None:
    if not need.is_open:
        raise CompetenceError("Behovet er allerede lukket.")
    need.closed_on = clock.today()
    need.closed_note = (note or "").strip()[:2000]
    db.session.flush()
    record("competence.need_closed", need, summary=need.department.name, actor=actor)
