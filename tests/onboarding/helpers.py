"""A small home for onboarding tests: two departments, their leaders, a head, a temp with a checklist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app import clock
from app.extensions import db
from app.onboarding.constants import BY_LEADER, BY_SELF
from app.onboarding.models import Checklist
from app.onboarding.services import assign, save_template
from app.people.constants import EmploymentType, Role
from tests.factories import PASSWORD, make_department, make_home, make_user

TODAY = date(2026, 3, 10)
HIRED = TODAY - timedelta(days=60)

ITEMS = [
    dict(text="E-learning i Lov om voksenansvar", completed_by=BY_SELF, needs_date=True),
    dict(text="Undervisning i konflikthåndtering", completed_by=BY_LEADER, needs_date=True),
    dict(text="Læst retningslinjen for vikarer", completed_by=BY_SELF,
         guideline_slug="introduktion-nyansatte-og-vikarer"),
    dict(text="Bureauets bekræftelse", completed_by=BY_LEADER, needs_note=True),
    dict(text="Valgfri rundvisning", completed_by=BY_SELF, is_required=False),
]


@dataclass
class Org:
    home_id: int
    dep_a: int
    dep_b: int
    head: str
    leader_a: str
    leader_b: str
    temp: str
    temp_id: int
    template_id: int
    checklist_id: int
    item_ids: list[int]


def build_org(app, items=ITEMS) -> Org:
    """Call with the clock frozen (set_today(TODAY))."""
    with app.app_context():
        home = make_home()
        dep_a, dep_b = make_department(home, "Skovbrynet"), make_department(home, "Fyrtårnet")
        head = make_user(home, [dep_a], roles=(Role.HEAD,), email="head@example.dk", name="Hanne Leder")
        make_user(home, [dep_a], roles=(Role.DEPARTMENT_LEADER,), email="leder.a@example.dk", name="Anders A")
        make_user(home, [dep_b], roles=(Role.DEPARTMENT_LEADER,), email="leder.b@example.dk", name="Bente B")
        temp = make_user(home, [dep_a], employment=EmploymentType.ON_CALL, email="temp@example.dk",
                         name="Tina Vikar", hired_on=HIRED)
        template = save_template(home.id, None, name="Tjekliste for tilkaldevikarer", kind=EmploymentType.ON_CALL,
                                 department_id=None, items=[dict(i) for i in items], actor=head)
        checklist = assign(temp, template, head, clock.today())
        db.session.commit()
        return Org(home.id, dep_a.id, dep_b.id, "head@example.dk", "leder.a@example.dk", "leder.b@example.dk",
                   "temp@example.dk", temp.id, template.id, checklist.id, [i.id for i in checklist.items])


def login(make_client, email):
    client = make_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def item_url(org: Org, index: int) -> str:
    return f"/onboarding/checklists/{org.checklist_id}/items/{org.item_ids[index]}"


def checklist(app, org: Org) -> Checklist:
    return db.session.get(Checklist, org.checklist_id)
