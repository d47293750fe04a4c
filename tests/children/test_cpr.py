"""No CPR numbers: every text field of every children form refuses a CPR-shaped value (one shared check)."""

import pytest
from sqlalchemy import func, select

from app.children.forms import ALL_FORMS
from app.children.models import Child
from app.children.validators import CPR_MESSAGE, contains_cpr
from app.extensions import db
from tests.children.helpers import build_world, login


@pytest.mark.parametrize("value", ["010203-1234", "0102031234", "010203 1234", "Barn 311299-4321", "310101-0001"])
def test_cpr_shaped_values_are_recognised(value):
    assert contains_cpr(value)


@pytest.mark.parametrize("value", ["B-2026-0014", "12345", "A.B.", "320101-1234", "011301-1234", "01020312345",
                                   "2026-06-15", "", None])
def test_other_values_are_not_taken_for_cpr(value):
    assert not contains_cpr(value)


def _text_field_names(form):
    """Every field a person can type into, by its form name (sub-form fields included)."""
    names = []
    for item in form:
        if item.type in ("CSRFTokenField", "SubmitField"):
            continue
        if item.type == "FieldList":
            for entry in item.entries:
                names += [sub.name for sub in entry.form if sub.type not in ("CSRFTokenField",)]
        else:
            names.append(item.name)
    return names


def _names(app, form_class):
    with app.test_request_context(method="POST", data={}):
        return _text_field_names(form_class(meta={"csrf": False}))


def test_every_children_form_and_field_is_covered(app):
    names = {form_class.__name__: _names(app, form_class) for form_class in ALL_FORMS}
    assert "display_name" in names["ChildForm"] and "reference" in names["ChildForm"]
    assert "goals-0-title" in names["PlanForm"] and "goals-4-title" in names["PlanForm"]
    import app.children.forms as forms_module
    from app.children.forms import ChildrenForm

    defined = {obj for obj in vars(forms_module).values()
               if isinstance(obj, type) and issubclass(obj, ChildrenForm) and obj is not ChildrenForm}
    assert defined == set(ALL_FORMS)


@pytest.mark.parametrize("separator", ["-", "", " "])
def test_every_text_field_of_every_form_refuses_a_cpr_number(app, separator):
    cpr = f"241290{separator}1234"
    cases = [(form_class, name) for form_class in ALL_FORMS for name in _names(app, form_class)]
    assert len(cases) > 20
    for form_class, name in cases:
        with app.test_request_context(method="POST", data={name: cpr}):
            form = form_class(meta={"csrf": False})
            assert not form.validate(), (form_class.__name__, name)
            field = form
            for part in name.split("-"):
                field = field[int(part)] if part.isdigit() else (field.form[part] if hasattr(field, "form")
                                                                  else field[part])
            assert CPR_MESSAGE in field.errors, (form_class.__name__, name, field.errors)


def test_a_cpr_number_in_the_admission_form_is_refused_and_nothing_saved(app, client):
    with app.app_context():
        w = build_world()
        db.session.commit()
    login(client, "leder@example.dk")
    response = client.post("/children/new", data={"display_name": "Alma", "reference": "010203-1234",
                                                  "department_id": w.dep_id, "placement_basis": "66",
                                                  "admitted_on": "2026-01-01"})
    assert response.status_code == 400
    assert "Skriv ikke CPR-numre i portalen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Child)) == 0
