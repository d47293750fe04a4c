"""Demo tilbudsplans: this year's, finished by the leader group last December, presented at this year's first
Mini-MED meeting and published (its method decisions in force since 1 January), and next year's in draft.
Everything goes through the feature's own services, so the pages, the årshjul and the method lists agree."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select

from app import clock
from app.competence import tilbudsplan as plans
from app.competence.tilbudsplan_models import INTRODUCE, KEEP, PHASE_OUT, TilbudsplanAck
from app.extensions import db
from app.hooks import demo_loader
from app.people.constants import Role
from app.people.models import Department, User

THIS_YEAR = """## Kurser og udviklingstilbud

- Neuropædagogisk grundmodul for nyansatte fastansatte inden for tre års ansættelse.
- Konflikthåndtering for hele tilbuddet i foråret, opfølgning i efteråret.
- Ekstern supervision i alle afdelinger, ti gange om året.

## Faglige tilgange og metoder

Afdelingerne fastholder deres tilgange. Østerled udfaser sansemotorisk træning som selvstændig metode, og
Skovbrynet indfører alternativ og supplerende kommunikation (ASK) for de børn, der er indskrevet i år.
"""

NEXT_YEAR = """## Kurser og udviklingstilbud

- Neuropædagogisk grundmodul fortsætter for nyansatte.
- Temadag om ASK for alle afdelinger.

## Faglige tilgange og metoder

Ledergruppen drøfter ønskerne fra personalemøderne i oktober og november.
"""


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.TZ).astimezone(UTC)


def _method(department: Department, name: str):
    return next((m for m in department.methods if m.name == name and m.is_active), None)


@demo_loader(order=55)
def load(home, rng, scale):
    today = clock.today()
    year = today.year
    departments = {d.name: d for d in db.session.scalars(select(Department).where(Department.home_id == home.id))}
    people = db.session.scalars(select(User).where(User.home_id == home.id, User.left_on.is_(None))
                                .order_by(User.id)).all()
    head = next((u for u in people if u.has_role(Role.HEAD)), None)
    if head is None or not departments:
        return
    leaders = [u for u in people if u.has_role(Role.DEPARTMENT_LEADER)] or [head]
    december = date(year - 1, 12, 10)
    with clock.frozen(_at(december, 10)):
        this = plans.save_draft(home.id, year, leaders[0], THIS_YEAR, "Første udkast fra ledergruppen")
        this.created_at = _at(december - timedelta(days=3))
        _decide(this, leaders[0], departments, december, [
            ("Fyrtårnet", KEEP, "KRAP"), ("Østerled", PHASE_OUT, "Sansemotorik"),
            ("Skovbrynet", INTRODUCE, "ASK (alternativ og supplerende kommunikation)")])
    with clock.frozen(_at(december + timedelta(days=5), 14)):
        plans.finish(this, head)
    first = plans.first_meeting(home.id, year)
    if first is not None and first.held_on <= today:
        with clock.frozen(_at(first.held_on, 15)):
            plans.mark_presented(this, first, head)
        with clock.frozen(_at(min(first.held_on + timedelta(days=1), today), 9)):
            plans.publish(this, head)
        readers = [u for u in people if not u.has_role(Role.ADMIN) and rng.random() < 0.6]
        if readers:
            db.session.execute(insert(TilbudsplanAck), [
                {"version_id": this.id, "user_id": u.id,
                 "acknowledged_at": _at(first.held_on + timedelta(days=rng.randint(1, 40)))} for u in readers])
    draft_day = max(date(year, 12, 1), today - timedelta(days=2)) if today.month == 12 else today
    with clock.frozen(_at(draft_day, 9)):
        upcoming = plans.save_draft(home.id, year + 1, head, NEXT_YEAR, "Udkast til december")
        _decide(upcoming, head, departments, draft_day, [("Fyrtårnet", KEEP, "TEACCH")])
    db.session.flush()


def _decide(version, actor, departments, day, wanted) -> None:
    for name, action, method_name in wanted:
        department = departments.get(name)
        if department is None:
            continue
        method = _method(department, method_name)
        if action != INTRODUCE and method is None:
            continue
        try:
            plans.add_decision(version, actor, department_id=department.id, action=action, decided_on=day,
                               method_id=method.id if method else None, name=method_name)
        except plans.TilbudsplanError:
            continue  # a method the demo's other data still names is kept instead of phased out
