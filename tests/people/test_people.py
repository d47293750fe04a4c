"""Managing the organisation: employees, leaving, departments and methods, settings."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.audit.models import AuditEntry
from app.extensions import db
from app.people.models import Department, Home, Method, ResourceFunction, User
from tests.factories import make_department, make_home, make_user


def _department_id(app, name="Skovbrynet"):
    with app.app_context():
        return db.session.scalar(select(Department.id).where(Department.name == name))


def _employee_form(department_id, **overrides):
    data = {"name": "Else Ny", "email": "else.ny@demo.dk", "employment_type": "on_call", "profession": "paedagog",
            "hired_on": "2026-11-01", "left_on": "", "departments": [department_id], "roles": ["employee"],
            "resource_functions": "Forflytningsinstruktør\n"}
    data.update(overrides)
    return data


def test_head_creates_an_employee_with_a_start_code(app, demo, auth, client):
    auth.login("head")
    response = client.post("/people/new", data=_employee_form(_department_id(app)), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Startkode til første login" in html and "Else Ny" in html
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "else.ny@demo.dk"))
        assert person.must_set_password and person.is_temp
        assert [rf.topic for rf in person.resource_functions] == ["Forflytningsinstruktør"]
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "people.created")) == 1


@pytest.mark.parametrize(("overrides", "message"), [
    ({"email": "medarbejder@demo.dk"}, "Der findes allerede en person med den e-mail."),
    ({"email": "MEDARBEJDER@demo.dk"}, "Der findes allerede en person med den e-mail."),
    ({"departments": []}, "Vælg mindst én afdeling."),
    ({"hired_on": "2026-11-01", "left_on": "2026-10-01"}, "Fratrædelsesdatoen kan ikke ligge før ansættelsesdatoen."),
    ({"name": "x" * 161}, "Field cannot be longer than 160 characters."),
    ({"name": ""}, "Feltet skal udfyldes."),
    ({"hired_on": "2026-02-31"}, "Skriv en gyldig dato."),
    ({"email": "ikke-en-mail"}, "Skriv en gyldig e-mailadresse."),
])
def test_bad_employee_input_is_refused_and_nothing_saved(app, demo, auth, client, overrides, message):
    auth.login("head")
    with app.app_context():
        before = db.session.scalar(select(func.count(User.id)))
    response = client.post("/people/new", data=_employee_form(_department_id(app), **overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    if message.startswith("Field"):
        assert "160" in html
    else:
        assert message in html
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == before


def test_a_department_of_another_home_is_refused(app, demo, auth, client):
    with app.app_context():
        other = make_department(make_home())
        db.session.commit()
        other_id = other.id
    auth.login("head")
    response = client.post("/people/new", data=_employee_form(other_id))
    assert response.status_code == 400


def test_leaving_is_recorded_not_deleted(app, demo, auth, client):
    with app.app_context():
        person_id = db.session.scalar(select(User.id).where(User.email == "medarbejder@demo.dk"))
    auth.login("head")
    today = clock.today().isoformat()
    response = client.post(f"/people/{person_id}/leave", data={"left_on": today})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(User, person_id)
        assert person.left_on == clock.today() and person.has_left()
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "people.left")) == 1
    listed = client.get("/people/?status=left").get_data(as_text=True)
    assert "Maja Medarbejder" in listed
    assert "Maja Medarbejder" not in client.get("/people/").get_data(as_text=True)


def test_leaving_before_hiring_is_refused(app, demo, auth, client):
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        person_id, hired = person.id, person.hired_on
    auth.login("head")
    response = client.post(f"/people/{person_id}/leave", data={"left_on": (hired - timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, person_id).left_on is None


def test_editing_roles_and_departments(app, demo, auth, client):
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        person_id = person.id
    auth.login("head")
    # The person's page and their row in the list, seen (and so kept by the cache) before the edit.
    assert "Mini-MED-medlem" not in client.get(f"/people/{person_id}").get_data(as_text=True)
    assert "Mini-MED-medlem" not in client.get("/people/?q=medarbejder%40demo").get_data(as_text=True)
    data = _employee_form(_department_id(app, "Fyrtårnet"), name="Maja Medarbejder", email="medarbejder@demo.dk",
                          employment_type="permanent", hired_on="2022-01-01", roles=["employee", "mini_med"],
                          is_skilled="y")
    assert client.post(f"/people/{person_id}/edit", data=data).status_code == 302
    with app.app_context():
        person = db.session.get(User, person_id)
        assert person.roles == {"employee", "mini_med"}
        assert [d.name for d in person.departments] == ["Fyrtårnet"]
    # Both show the change at once.
    page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert "Medarbejder, Mini-MED-medlem" in page and "<dd>Fyrtårnet</dd>" in page
    assert "<td>Medarbejder, Mini-MED-medlem</td>" in client.get("/people/?q=medarbejder%40demo").get_data(as_text=True)


def test_department_methods_are_kept_as_history(app, demo, auth, client):
    department_id = _department_id(app)
    auth.login("head")
    response = client.post(f"/people/departments/{department_id}/edit",
                           data={"name": "Skovbrynet", "methods": "Neuropædagogik\nKRAP\n"})
    assert response.status_code == 302
    with app.app_context():
        methods = {m.name: m.is_active for m in db.session.scalars(
            select(Method).where(Method.department_id == department_id))}
    assert methods["KRAP"] is True and methods["Low arousal"] is False and methods["Neuropædagogik"] is True


def test_duplicate_department_name_is_refused(app, demo, auth, client):
    auth.login("head")
    response = client.post("/people/departments/new", data={"name": "Fyrtårnet", "methods": ""})
    assert response.status_code == 400
    assert "Der findes allerede en afdeling med det navn." in response.get_data(as_text=True)


def test_home_settings(app, demo, auth, client):
    auth.login("head")
    data = {"name": "Specialbørnehjemmene", "wish_deadline_day": 1, "wish_deadline_month": 10,
            "temp_meeting_first": 9, "temp_meeting_second": 3, "contact_team_min": 3, "plan_interval_months": 3,
            "physio_interval_months": 6, "quality_green": 95, "quality_yellow": 80}
    assert client.post("/people/settings", data=data).status_code == 302
    with app.app_context():
        home = db.session.scalar(select(Home))
        assert home.setting("temp_meeting_months") == [3, 9] and home.setting("contact_team_min") == 3
    bad = client.post("/people/settings", data={**data, "temp_meeting_second": 9})
    assert "Vælg to forskellige måneder." in bad.get_data(as_text=True)


def test_resource_register_search(app, demo, auth, client):
    with app.app_context():
        home = db.session.scalar(select(Home))
        person = make_user(home, home.departments[:1], name="Rie Ressource")
        person.resource_functions.append(ResourceFunction(topic="Marte Meo-terapeut"))
        db.session.commit()
    auth.login("employee")
    html = client.get("/people/resources?q=marte").get_data(as_text=True)
    assert "Rie Ressource" in html
    assert "Rie Ressource" not in client.get("/people/resources?q=fysio").get_data(as_text=True)


def test_demo_region_scale(app, runner):
    result = runner.invoke(args=["demo", "--scale", "region"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Home.id))) == 6
        assert 2800 <= db.session.scalar(select(func.count(User.id))) <= 3400


def test_demo_is_loaded_only_into_an_empty_database(app, demo, runner):
    result = runner.invoke(args=["demo"])
    assert "already has data" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Home.id))) == 1
        assert date.today  # the demo's own dates come from the clock module


def test_a_person_leaves_the_kept_list_on_their_leaving_date(app, demo, auth, client, set_today):
    """The list is kept per day as well as per data version: the day before leaving the person is listed as
    current, on the leaving day (with no write in between) they are not, and they show among those who left."""
    leaving = date(2026, 12, 1)
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        person.left_on = leaving
        db.session.commit()
    auth.login("head")
    set_today(leaving - timedelta(days=1))
    assert "Maja Medarbejder" in client.get("/people/?q=medarbejder%40demo").get_data(as_text=True)
    set_today(leaving)
    assert "Maja Medarbejder" not in client.get("/people/?q=medarbejder%40demo").get_data(as_text=True)
    assert "Maja Medarbejder" in client.get("/people/?q=medarbejder%40demo&status=left").get_data(as_text=True)


def test_the_employee_list_exports_as_xlsx_with_the_page_s_filters(app, demo, auth, client):
    from io import BytesIO

    from openpyxl import load_workbook

    auth.login("head")
    page = client.get("/people/").get_data(as_text=True)
    assert "/people/export.xlsx?status=current" in page.replace("&amp;", "&")
    response = client.get("/people/export.xlsx?status=current")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Navn", "Afdelinger", "Ansættelse")
    with app.app_context():
        home = db.session.scalar(select(Home).order_by(Home.id))
        today = clock.today()
        current = sorted((u for u in db.session.scalars(select(User).where(User.home_id == home.id))
                          if not u.has_left(today)), key=lambda u: (u.name_sort_key, u.id))
        names = [u.name for u in current]
        department = current[0].departments[0].id
        in_department = sum(department in u.department_ids for u in current)
    assert [r[0] for r in rows[1:-1]] == names  # every current person, in the Danish order
    assert rows[-1][:2] == ("I alt", f"{len(names)} personer")
    assert all(isinstance(r[6], type(rows[1][6])) for r in rows[1:-1])  # hiring dates stay dates
    filtered = client.get(f"/people/export.csv?status=current&afdeling={department}").data.decode("utf-8-sig")
    assert filtered.splitlines()[0].startswith("Navn;Afdelinger")
    assert len(filtered.splitlines()) - 2 == in_department


def test_the_employee_list_export_needs_the_list_right(app, demo, auth, client):
    auth.login("temp")
    assert client.get("/people/export.xlsx").status_code == 403
