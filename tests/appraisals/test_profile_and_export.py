"""The competence profile, neuropedagogy records, the Excel export and the dashboard panel."""

from datetime import date, datetime, timedelta
from io import BytesIO

from markupsafe import Markup
from openpyxl import load_workbook
from sqlalchemy import select

from app import clock, hooks
from app.appraisals.models import NeuroRecord
from app.appraisals.status import NEURO_DONE, neuro_status
from app.extensions import db
from app.people.models import User


def _id(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_profile_shows_what_the_employee_knows_and_has(app, demo, auth, client, monkeypatch):
    from app.competence.models import CourseCompletion, ImplementationAgreement

    maja = _id(app, "medarbejder@demo.dk")
    with app.app_context():
        person = db.session.get(User, maja)
        completion = CourseCompletion(home_id=person.home_id, user_id=maja, title="Marte Meo grundkursus",
                                      completed_on=date(2025, 5, 1))
        completion.agreement = ImplementationAgreement(description="Viser videoer på personalemødet",
                                                       resource_topic="Marte Meo", agreed_on=date(2025, 5, 20))
        db.session.add(completion)
        db.session.add(CourseCompletion(home_id=person.home_id, user_id=maja, title="Forflytning",
                                        completed_on=date(2025, 6, 1)))
        db.session.commit()
    def section(person, viewer):
        return Markup(f"<section id='hooked'>Ekstra for {person.id} set af {viewer.id}</section>")

    monkeypatch.setattr(hooks, "_profile_sections", [(50, section)])
    auth.login("employee")
    html = client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    for text in ("Maja Medarbejder", "Pædagog", "Faglært", "Skovbrynet", "Low arousal, Neuropædagogik",
                 "Marte Meo grundkursus", "Viser videoer på personalemødet", "Mangler implementeringsaftale",
                 "MU-samtale", "Neuropædagogisk efteruddannelse", "Ressourcepersonfunktioner"):
        assert text in html, text
    assert f"Ekstra for {maja} set af {maja}" in html
    # The hooked sections come last.
    assert html.index("id='hooked'") > html.index("Ressourcepersonfunktioner")
    # The employee cannot record anything on their own profile.
    assert "Registrér MU-samtale" not in html and f"/appraisals/profile/{maja}/neuro" not in html


def test_leader_records_neuropedagogy_steps(app, demo, auth, client):
    from app.competence.models import CourseCompletion

    maja = _id(app, "medarbejder@demo.dk")
    today = clock.today()
    with app.app_context():  # in the demo she completed it under Kurser; here it is recorded on the profile
        db.session.execute(db.delete(CourseCompletion).where(CourseCompletion.user_id == maja))
        db.session.commit()
    auth.login("leader")
    assert client.post(f"/appraisals/profile/{maja}/neuro", data={
        "status": "completed", "happened_on": today.isoformat(), "note": "Hold 2"}).status_code == 302
    with app.app_context():
        assert neuro_status(db.session.get(User, maja)) == NEURO_DONE
    html = client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    assert "Gennemført" in html and "Hold 2" in html


def test_neuropedagogy_in_the_future_is_refused(app, demo, auth, client):
    maja = _id(app, "medarbejder@demo.dk")
    with app.app_context():
        before = db.session.scalar(select(db.func.count(NeuroRecord.id)))
    auth.login("leader")
    response = client.post(f"/appraisals/profile/{maja}/neuro", data={
        "status": "completed", "happened_on": (clock.today() + timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert "Datoen kan ikke ligge i fremtiden." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(NeuroRecord.id))) == before


def test_my_profile_goes_to_ones_own(app, demo, auth, client):
    auth.login("temp")
    response = client.get("/appraisals/profile")
    assert response.headers["Location"].endswith(f"/appraisals/profile/{_id(app, 'vikar@demo.dk')}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ikke omfattet af de årlige MU- og LU-samtaler" in html


def test_export_opens_in_excel_with_danish_headers_and_dates(app, demo, auth, client):
    auth.login("head")
    response = client.get("/appraisals/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(BytesIO(response.data))
    assert workbook.sheetnames == ["MU-samtaler", "LU-samtaler"]
    mu = workbook["MU-samtaler"]
    headers = [c.value for c in mu[1]]
    assert headers[:5] == ["Navn", "Afdeling(er)", "Ansat fra", "Seneste samtale", "Næste forventede"]
    rows = {r[0].value: r for r in mu.iter_rows(min_row=2)}
    maja = rows["Maja Medarbejder"]
    assert isinstance(maja[2].value, datetime) and isinstance(maja[4].value, datetime)
    assert maja[1].value == "Skovbrynet"
    assert rows["Mona Mini-MED (TR)"][6].value == "Overskredet"
    assert "Anders Afdelingsleder" in [r[0].value for r in workbook["LU-samtaler"].iter_rows(min_row=2)]
    assert "Viktor Vikar" not in rows  # temps are not in the MU population


def test_leaders_export_only_their_departments(app, demo, auth, client):
    auth.login("leader")
    workbook = load_workbook(BytesIO(client.get("/appraisals/export.xlsx").data))
    assert workbook.sheetnames == ["MU-samtaler"]
    names = [r[0].value for r in workbook["MU-samtaler"].iter_rows(min_row=2)]
    assert "Maja Medarbejder" in names and "Mona Mini-MED (TR)" not in names


def test_overview_filters_by_department_and_status(app, demo, auth, client):
    auth.login("head")
    html = client.get("/appraisals/").get_data(as_text=True)
    assert "Maja Medarbejder" in html and "Mona Mini-MED (TR)" in html and "LU-samtaler med" in html
    with app.app_context():
        from app.people.models import Department

        fyr = db.session.scalar(select(Department.id).where(Department.name == "Fyrtårnet"))
    html = client.get(f"/appraisals/?afdeling={fyr}&status=overdue").get_data(as_text=True)
    assert "Mona Mini-MED (TR)" in html and "Maja Medarbejder" not in html
    auth.logout()
    auth.login("leader")
    html = client.get(f"/appraisals/?afdeling={fyr}").get_data(as_text=True)
    # A leader cannot widen the view to a department they do not lead.
    assert "Mona Mini-MED (TR)" not in html and "Maja Medarbejder" in html and "LU-samtaler med" not in html


def test_dashboard_panels(app, demo, auth, client):
    auth.login("leader")
    html = client.get("/").get_data(as_text=True)
    assert "MU-samtaler:" in html and "Se samtaleoversigten" in html
    auth.logout()
    auth.login("employee")
    html = client.get("/").get_data(as_text=True)
    with app.app_context():
        from app.appraisals.models import MU
        from app.appraisals.status import status_of

        expected = status_of(db.session.get(User, _id(app, "medarbejder@demo.dk")), MU).expected_on
    assert "Din næste MU-samtale forventes senest" in html
    assert f"{expected.day}. " in html and str(expected.year) in html
    assert "Se samtaleoversigten" not in html


def test_overview_dates_read_like_the_dadate_filter(app, demo, auth, client):
    from app.appraisals.routes import _date_formatter
    from app.web import dadate

    d = _date_formatter()
    with app.test_request_context():
        for day in (date(2026, 1, 1), date(2026, 5, 31), date(2027, 10, 9), date(2028, 2, 29)):
            assert d(day) == dadate(day)


def test_a_neuropedagogy_course_from_competence_counts_once_and_shows_in_the_history(app, demo, auth, client):
    from app.competence.models import CourseCompletion

    maja = _id(app, "medarbejder@demo.dk")
    with app.app_context():
        db.session.add(CourseCompletion(home_id=db.session.get(User, maja).home_id, user_id=maja,
                                        title="Neuropædagogisk efteruddannelse", completed_on=date(2025, 3, 1),
                                        is_neuropedagogy=True))
        db.session.commit()
        before = db.session.scalar(select(db.func.count(NeuroRecord.id)))
        assert neuro_status(db.session.get(User, maja)) == NEURO_DONE
    auth.login("leader")
    html = client.get(f"/appraisals/profile/{maja}").get_data(as_text=True)
    assert "Registrér det også her" not in html
    assert "1. marts 2025: Gennemført – Neuropædagogisk efteruddannelse (registreret under kurser)" in html
    response = client.post(f"/appraisals/profile/{maja}/neuro", data={"status": "completed",
                                                                        "happened_on": "2025-03-01"})
    assert response.status_code == 400
    assert "skal kun registreres én gang" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(NeuroRecord.id))) == before
