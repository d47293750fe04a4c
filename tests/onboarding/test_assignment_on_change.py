"""A temp taken on permanently gets the new-hire checklist when their employment type changes."""

from sqlalchemy import select

from app.extensions import db
from app.onboarding.models import Checklist
from app.people.models import User


def _kinds(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return sorted(db.session.scalars(select(Checklist.kind).where(Checklist.user_id == user.id))), user.id


def test_temp_made_permanent_gets_the_new_hire_checklist_once(app, demo, auth, client):
    kinds, user_id = _kinds(app, "vikar@demo.dk")
    assert kinds == ["on_call"]
    with app.app_context():
        user = db.session.get(User, user_id)
        data = {"name": user.name, "email": user.email, "employment_type": "permanent", "profession": user.profession,
                "hired_on": user.hired_on.isoformat(), "left_on": "", "departments": [d.id for d in user.departments],
                "roles": ["employee"], "resource_functions": ""}
    auth.login("head")
    assert client.post(f"/people/{user_id}/edit", data=data).status_code == 302
    assert _kinds(app, "vikar@demo.dk")[0] == ["on_call", "permanent"]
    assert client.post(f"/people/{user_id}/edit", data=data).status_code == 302
    assert _kinds(app, "vikar@demo.dk")[0] == ["on_call", "permanent"]


def test_a_former_temp_whose_employment_type_is_corrected_gets_no_checklist(app, demo, auth, client):
    """Correcting a former colleague's record (the fuzz walk found a 500 here) starts no introduction."""
    kinds, user_id = _kinds(app, "vikar@demo.dk")
    with app.app_context():
        user = db.session.get(User, user_id)
        data = {"name": user.name, "email": user.email, "employment_type": "permanent", "profession": user.profession,
                "hired_on": user.hired_on.isoformat(), "left_on": "2026-11-30",
                "departments": [d.id for d in user.departments], "roles": ["employee"], "resource_functions": ""}
    auth.login("head")
    assert client.post(f"/people/{user_id}/edit", data=data).status_code == 302
    assert _kinds(app, "vikar@demo.dk")[0] == kinds
