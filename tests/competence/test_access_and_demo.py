"""Every competence route across the six demo roles, another home's ids, the demo data and the indicators."""

from datetime import date

import pytest
from sqlalchemy import select

from app import clock, signals
from app.competence.models import CompetencePlan, CourseCompletion, CourseWish, Distribution
from app.extensions import db
from app.hooks import indicators, profile_sections
from app.people.models import Department, Home, ResourceFunction, User

ROLES = ["head", "leader", "employee", "temp", "minimed", "admin"]


def _ids(app):
    with app.app_context():
        own = db.session.scalar(select(User.id).where(User.email == "medarbejder@demo.dk"))
        return {
            "dep": db.session.scalar(select(Department.id).where(Department.name == "Skovbrynet")),
            "otherdep": db.session.scalar(select(Department.id).where(Department.name == "Fyrtårnet")),
            "dist": db.session.scalar(select(Distribution.id)),
            "wish": db.session.scalar(select(CourseWish.id).where(CourseWish.user_id == own,
                                                                  CourseWish.year == clock.today().year + 1)),
            "completion": db.session.scalar(select(CourseCompletion.id).where(CourseCompletion.agreement == None)),  # noqa: E711
            "self": own,
        }


# (url, head, leader, employee, temp, minimed, admin)
MATRIX = [
    ("/competence/", 200, 200, 200, 403, 200, 200),
    # The demo's Mini-MED member works in a department whose overview for next year's funds is forwarded: until
    # that round's deadline he is told so and sent back (302); after it his wish goes to the round after (200).
    ("/competence/wishes/new", 200, 200, 200, 403, "locked until the deadline", 200),
    ("/competence/wishes/{wish}/edit", 200, 200, 200, 403, 403, 403),
    ("/competence/wishes/new?for={self}", 200, 200, 200, 403, 403, 403),
    ("/competence/wishes/new?afdeling={dep}", 200, 200, 403, 403, 403, 403),
    ("/competence/overview?aar=2030", 200, 302, 403, 403, 403, 403),
    ("/competence/overview/{dep}", 200, 200, 403, 403, 403, 403),
    ("/competence/overview/{otherdep}", 200, 403, 403, 403, 403, 403),
    ("/competence/overview/{dep}/export.xlsx", 200, 200, 403, 403, 403, 403),
    ("/competence/wishes", 200, 403, 403, 403, 403, 403),
    ("/competence/wishes/export.csv", 200, 403, 403, 403, 403, 403),
    # The demo leader sits on Mini-MED, so reads the distribution.
    ("/competence/distribution", 200, 200, 403, 403, 200, 403),
    ("/competence/distribution/{dist}/export.xlsx", 200, 200, 403, 403, 200, 403),
    ("/competence/supervision", 200, 200, 403, 403, 403, 403),
    ("/competence/courses", 200, 200, 403, 403, 403, 403),
    ("/competence/courses/{completion}/agreement", 200, None, 403, 403, 403, 403),
    ("/competence/plan", 200, 200, 403, 403, 200, 403),
    ("/competence/plan/print", 200, 200, 403, 403, 200, 403),
]


@pytest.mark.parametrize("role", ROLES)
def test_competence_access_matrix(app, demo, auth, client, role):
    ids = _ids(app)
    auth.login(role)
    index = ROLES.index(role) + 1
    for row in MATRIX:
        expected = row[index]
        url = row[0].format(**ids)
        status = client.get(url).status_code
        if expected == "locked until the deadline":
            expected = 200 if clock.is_after_deadline(clock.now(), date(clock.today().year, 10, 1)) else 302
        if expected is None:  # depends on whose course the demo picked: the leader's own department or not
            assert status in (200, 403), (role, url)
        else:
            assert status == expected, (role, url, status)


@pytest.mark.parametrize("role", ["leader", "employee", "minimed", "temp"])
def test_writes_are_refused_for_roles_without_the_right(app, demo, auth, client, role):
    ids = _ids(app)
    auth.login(role)
    assert client.post(f"/competence/distribution/{ids['dist']}/revise").status_code == 403
    assert client.post(f"/competence/overview/{ids['otherdep']}/forward").status_code == 403
    assert client.post(f"/competence/overview/{ids['dep']}/reopen").status_code == 403


def test_another_homes_ids_are_not_found(app, demo, auth, client):
    from tests.factories import make_department, make_home, make_user

    with app.app_context():
        home = make_home()
        department = make_department(home)
        stranger = make_user(home, [department])
        wish = CourseWish(home_id=home.id, department_id=department.id, user_id=stranger.id, year=2030, title="X",
                          responsibility_areas="x")
        dist = Distribution(home_id=home.id, year=2030, budget=0)
        completion = CourseCompletion(home_id=home.id, user_id=stranger.id, title="X", completed_on=date(2026, 1, 1))
        db.session.add_all([wish, dist, completion])
        db.session.commit()
        other = {"dep": department.id, "wish": wish.id, "dist": dist.id, "completion": completion.id,
                 "person": stranger.id}
    auth.login("head")
    for url in [f"/competence/overview/{other['dep']}", f"/competence/wishes/{other['wish']}/edit",
                f"/competence/overview/{other['dep']}/export.csv",
                f"/competence/distribution/{other['dist']}/export.xlsx",
                f"/competence/courses/{other['completion']}/agreement", f"/competence/wishes/new?for={other['person']}",
                f"/competence/wishes/new?afdeling={other['dep']}"]:
        assert client.get(url).status_code == 404, url
    for url in [f"/competence/wishes/{other['wish']}/withdraw", f"/competence/distribution/{other['dist']}/revise",
                f"/competence/overview/{other['dep']}/forward"]:
        assert client.post(url).status_code == 404, url


def test_demo_has_on_time_and_late_wishes_an_approved_distribution_and_courses(app, demo):
    with app.app_context():
        wishes = db.session.scalars(select(CourseWish)).all()
        assert any(w.is_late for w in wishes) and any(not w.is_late for w in wishes)
        dist = db.session.scalar(select(Distribution).where(Distribution.year == clock.today().year))
        assert dist.is_locked and dist.decisions and any(line.category == "supervision" for line in dist.lines)
        completions = db.session.scalars(select(CourseCompletion)).all()
        assert any(c.agreement for c in completions) and any(c.agreement is None for c in completions)


def test_leader_dashboard_flags_a_course_without_agreement_and_agreement_clears_it(app, demo, auth, client):
    with app.app_context():
        leader = db.session.scalar(select(User).where(User.email == "afdelingsleder@demo.dk"))
        person = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        completion = CourseCompletion(home_id=person.home_id, user_id=person.id, title="Sansemotorik for alle",
                                      completed_on=clock.today())
        db.session.add(completion)
        db.session.commit()
        completion_id, person_id, leader_id = completion.id, person.id, leader.id
    auth.login("leader")
    html = client.get("/").get_data(as_text=True)
    assert "Mangler implementeringsaftale" in html and "Sansemotorik for alle" in html
    response = client.post(f"/competence/courses/{completion_id}/agreement",
                           data={"description": "Oplæg på personalemødet", "resource_topic": "Sansemotorik",
                                 "agreed_on": clock.today().isoformat()})
    assert response.status_code == 302
    assert "Sansemotorik for alle" not in client.get("/").get_data(as_text=True)
    with app.test_request_context():
        assert db.session.scalar(select(ResourceFunction.id).where(ResourceFunction.user_id == person_id,
                                                                   ResourceFunction.topic == "Sansemotorik"))
        person = db.session.get(User, person_id)
        html = "".join(str(s) for s in profile_sections(person, db.session.get(User, leader_id)))
        assert "Sansemotorik for alle" in html and "Oplæg på personalemødet" in html
    assert "Sansemotorik" in client.get("/people/resources?q=sanse").get_data(as_text=True)


def test_plan_is_prefilled_saved_finished_and_printable(app, demo, auth, client, listen):
    events = []
    listen(lambda name, **kw: events.append(name), signals.plan_written)
    year = clock.today().year + 1  # the demo's plan for this year is finished and approved; next year's is open
    auth.login("leader")
    client.post("/competence/needs", data={"department_id": _ids(app)["dep"], "source": "admission",
                                           "description": "Barn med behov for ASK-kommunikation"})
    page = client.get(f"/competence/plan?aar={year}").get_data(as_text=True)
    assert "Neuropædagogik" in page and "Barn med behov for ASK-kommunikation" in page and "Supervision" in page
    response = client.post(f"/competence/plan?aar={year}", data={"future_tasks": "Flere børn med autisme.",
                                                                 "priority_conflict_handling": "Low arousal"})
    assert response.status_code == 302
    assert client.post(f"/competence/plan/finish?aar={year}").status_code == 302
    assert events == ["competence.plan_written"]
    response = client.post(f"/competence/plan?aar={year}", data={"future_tasks": "Ændret"})
    assert response.status_code == 400 and "færdigskrevet og låst" in response.get_data(as_text=True)
    printed = client.get(f"/competence/plan/print?aar={year}").get_data(as_text=True)
    assert "Flere børn med autisme." in printed and "data-print" in printed and "competence.css" in printed
    with app.app_context():
        assert db.session.scalar(select(CompetencePlan).where(CompetencePlan.year == year)).future_tasks == \
            "Flere børn med autisme."


def test_indicators_count_on_time_wishes_with_named_exceptions(app, set_today):
    from datetime import datetime
    from decimal import Decimal

    from app.people.constants import EmploymentType
    from tests.factories import make_department, make_home, make_user

    set_today(date(2026, 10, 15))
    with app.app_context():
        home = make_home()
        dep = make_department(home, "Skoven")
        on_time = make_user(home, [dep], name="Anna Rettid")
        late = make_user(home, [dep], name="Bo Forsent")
        make_user(home, [dep], name="Ole Ingen")
        make_user(home, [dep], name="Vera Vikar", employment=EmploymentType.ON_CALL)
        make_user(home, [dep], name="Ny Ansat", hired_on=date(2026, 10, 5))
        for person, at in ((on_time, "2026-10-01T21:59:59+00:00"), (late, "2026-10-01T22:00:00+00:00")):
            db.session.add(CourseWish(home_id=home.id, department_id=dep.id, user_id=person.id, year=2027, title="K",
                                      cost=Decimal(1), responsibility_areas="x",
                                      submitted_at=datetime.fromisoformat(at)))
        db.session.commit()
        measure = {i.key: i.measure for i in indicators()}["competence.wishes_on_time"]
        result = measure(db.session.get(Home, home.id), dep.id, date(2026, 10, 15))
        assert (result.met, result.total) == (1, 3)
        assert sorted(name for name, _ in result.exceptions) == ["Bo Forsent", "Ole Ingen"]
        # Up to and including 1 October the indicator still measures the previous funds year.
        earlier = measure(db.session.get(Home, home.id), None, date(2026, 10, 1))
        assert (earlier.met, earlier.total) == (0, 3) and "2026" in earlier.exceptions[0][1]
        assert measure(db.session.get(Home, home.id), None, date(2026, 10, 2)).met == 1
