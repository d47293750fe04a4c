"""Access rules: every route needs a login, the people routes follow the role matrix, nobody grants a role above
their own or changes their own, and the administrator reads no content about people or children."""

import re

import pytest
from sqlalchemy import select

from app import clock
from app.appraisals.models import LU, MU, Talk
from app.children.models import Child
from app.competence.models import CourseWish
from app.extensions import db
from app.onboarding.models import Checklist
from app.people.models import Department, User
from tests import crawl
from tests.conftest import DEMO_EMAIL, AuthActions, copy_demo

#: Endpoints reachable without a login, each for a stated reason.
PUBLIC_ENDPOINTS = {
    "static",  # CSS and JS
    "auth.login",  # the way in
    "healthz",  # the load balancer's check: "ok" or "unavailable", nothing else (tests/core/test_health.py)
}
#: Endpoints that answer to a secret token in the URL instead of a login (404 without a valid one).
TOKEN_ENDPOINTS_PREFIXES = ("cycle.feed", "quality.api")


def _sample_url(rule) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)


def test_every_route_requires_login(app, client):
    """Anonymous requests to every route are sent to the login page (or refused), never served."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.startswith(TOKEN_ENDPOINTS_PREFIXES):
            continue
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code in (302, 400, 401), (rule.endpoint, method, response.status_code)
            if response.status_code == 302:
                assert "/auth/login" in response.headers["Location"], rule.endpoint
            checked += 1
    assert checked >= 10


def _ids(app):
    with app.app_context():
        person = db.session.scalar(select(User.id).where(User.email == "minimed@demo.dk"))
        own = db.session.scalar(select(User.id).where(User.email == "medarbejder@demo.dk"))
        department = db.session.scalar(select(Department.id).where(Department.name == "Skovbrynet"))
    return {"other": person, "self": own, "dep": department}


# (url template, expected status per role: head, leader, employee, temp, minimed, admin)
MATRIX = [
    ("/people/", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=200)),
    ("/people/new", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=200)),
    ("/people/{self}", dict(head=200, leader=200, employee=200, temp=403, minimed=403, admin=200)),
    ("/people/{other}", dict(head=200, leader=403, employee=403, temp=403, minimed=200, admin=200)),
    ("/people/{self}/edit", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=200)),
    ("/people/organisation", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=200)),
    ("/people/departments/{dep}/edit", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=200)),
    ("/people/settings", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=200)),
    ("/people/resources", dict(head=200, leader=200, employee=200, temp=200, minimed=200, admin=200)),
    ("/audit/", dict(head=403, leader=403, employee=403, temp=403, minimed=403, admin=200)),
    ("/", dict(head=200, leader=200, employee=200, temp=200, minimed=200, admin=200)),
]


@pytest.mark.parametrize("role", ["head", "leader", "employee", "temp", "minimed", "admin"])
def test_people_access_matrix(app, demo, auth, client, role):
    ids = _ids(app)
    auth.login(role)
    for template, expected in MATRIX:
        url = template.format(**ids)
        assert client.get(url).status_code == expected[role], (role, url)


@pytest.mark.parametrize(("role", "allowed"), [("head", True), ("admin", True), ("leader", False),
                                               ("employee", False)])
def test_only_head_and_admin_record_leaving(app, demo, auth, client, role, allowed):
    ids = _ids(app)
    auth.login(role)
    response = client.post(f"/people/{ids['other']}/leave", data={"left_on": "2026-11-30"})
    assert response.status_code == (302 if allowed else 403)


def test_objects_of_another_home_are_not_found(app, demo, auth, client):
    from tests.factories import make_department, make_home, make_user

    with app.app_context():
        home = make_home()
        stranger = make_user(home, [make_department(home)])
        db.session.commit()
        stranger_id, dep_id = stranger.id, stranger.departments[0].id
    auth.login("head")
    assert client.get(f"/people/{stranger_id}").status_code == 404
    assert client.get(f"/people/{stranger_id}/edit").status_code == 404
    assert client.post(f"/people/{stranger_id}/leave", data={"left_on": "2026-11-30"}).status_code == 404
    assert client.get(f"/people/departments/{dep_id}/edit").status_code == 404


def test_navigation_shows_only_what_the_role_may_use(app, demo, auth, client):
    auth.login("employee")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/people/"' not in html and 'href="/audit/"' not in html
    auth.logout()
    auth.login("admin")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/people/"' in html and 'href="/audit/"' in html


def test_audit_log_cannot_be_changed_through_the_app(app):
    """No route accepts a write on the audit log: it has only a read-only list."""
    audit_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert audit_rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in audit_rules)


ROLES = ["head", "leader", "employee", "temp", "minimed", "admin"]


def _content_ids(app):
    with app.app_context():
        def uid(email):
            return db.session.scalar(select(User.id).where(User.email == email))

        maja, admin, leader = uid("medarbejder@demo.dk"), uid("admin@demo.dk"), uid("afdelingsleder@demo.dk")
        skov = db.session.scalar(select(Department.id).where(Department.name == "Skovbrynet"))
        return {
            "maja": maja, "leader": leader, "admin": admin, "dep": skov,
            "child": db.session.scalar(select(Child.id).where(Child.department_id == skov).limit(1)),
            "mu": db.session.scalar(select(Talk.id).where(Talk.employee_id == maja, Talk.kind == MU).limit(1)),
            "lu": db.session.scalar(select(Talk.id).where(Talk.employee_id == leader, Talk.kind == LU).limit(1)),
            "wish": db.session.scalar(select(CourseWish.id).where(CourseWish.user_id == maja,
                                                                  CourseWish.year == clock.today().year + 1)),
            "checklist": db.session.scalar(select(Checklist.id).where(Checklist.user_id == uid("vikar@demo.dk"))),
        }


#: Every page with content about people or children. The administrator works in Skovbrynet like Maja, the
#: leader and the child, so none of these is refused for lack of a shared department: only for his role.
ADMIN_REFUSED = [
    "/appraisals/", "/appraisals/export.xlsx", "/appraisals/mus",
    "/appraisals/profile/{maja}", "/appraisals/profile/{leader}",
    "/appraisals/talks/{mu}/edit", "/appraisals/talks/{lu}/edit",
    "/appraisals/talks/new/mu/{maja}", "/appraisals/talks/new/lu/{leader}",
    "/children/", "/children/{child}", "/children/{child}/history", "/children/checks", "/children/log",
    "/competence/overview/{dep}", "/competence/overview/{dep}/export.xlsx", "/competence/wishes",
    "/competence/wishes/export.csv", "/competence/wishes/{wish}/edit", "/competence/wishes/new?for={maja}",
    "/competence/courses", "/competence/supervision", "/competence/distribution", "/competence/plan",
    "/onboarding/overview", "/onboarding/assign", "/onboarding/checklists/{checklist}",
    "/quality/", "/quality/report.pdf", "/quality/indicator/appraisals.mu", "/quality/tokens",
    "/quality/by-theme", "/quality/themes", "/quality/themes/appraisals.mu",
    "/guidelines/kompetenceudvikling/coverage", "/cycle/moeder",
]


@pytest.mark.parametrize("template", ADMIN_REFUSED)
def test_admin_reads_no_content_about_people_or_children(app, demo, auth, client, template):
    url = template.format(**_content_ids(app))
    auth.login("admin")
    assert client.get(url).status_code in (403, 404), url


def test_admin_keeps_account_management(app, demo, auth, client):
    ids = _content_ids(app)
    auth.login("admin")
    for url in ("/people/", "/people/new", f"/people/{ids['maja']}", f"/people/{ids['maja']}/edit",
                "/people/organisation", "/people/settings", "/audit/", f"/appraisals/profile/{ids['admin']}"):
        assert client.get(url).status_code == 200, url
    assert "Se kompetenceprofil" not in client.get(f"/people/{ids['maja']}").get_data(as_text=True)


@pytest.fixture(scope="module")
def walked(app, _demo_rows):
    """`walked(role)`: every page the demo role reaches from its front page, walked once per module."""
    walks = {}

    def walk_as(role: str) -> crawl.Walk:
        if role not in walks:
            copy_demo(app, _demo_rows)  # every test starts on empty tables
            client = app.test_client()
            AuthActions(client).login(role)
            walks[role] = crawl.walk(client)
            walks[role].ids = _content_ids(app)
        return walks[role]

    return walk_as


@pytest.mark.parametrize("role", ROLES)
def test_no_link_ends_in_no_access_and_every_page_is_danish(walked, role):
    """Every page each role reaches by following links from the front page answers, and in Danish."""
    walk = walked(role)
    assert len(walk.seen) > 40
    assert walk.failed == []
    assert walk.english == []


@pytest.mark.parametrize("role", ROLES)
def test_every_id_is_unique_and_every_field_labelled_on_every_page(walked, role):
    """WCAG 2.1 (1.3.1, 4.1.1): a label points at exactly one field, and no field goes unnamed."""
    walk = walked(role)
    assert walk.duplicate_ids == [], walk.duplicate_ids
    assert walk.unlabelled == [], walk.unlabelled


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_an_iso_or_slashed_date(walked, role):
    """Dates read "1. oktober 2026" in running text and "01.10.2026" in tables, never "2026-10-01" or "1/10 2026"
    (ISO stays in <time datetime> and the values of date fields, which nobody reads as text)."""
    assert walked(role).dates == []


@pytest.mark.parametrize("role", ROLES)
def test_every_status_shown_in_colour_is_said_in_words(walked, role):
    """WCAG 2.1 1.4.1: every badge and traffic light holds text (or an aria-label), and every row marked in colour by
    its status (overdue, soon, a talk's or an indicator's state) holds a badge or light that names the status."""
    assert walked(role).colour_only == []


def test_the_administrator_is_linked_to_no_content_about_people_or_children(walked):
    walk = walked("admin")
    own = {"/appraisals/profile", f"/appraisals/profile/{walk.ids['admin']}"}  # his own profile: no content
    assert not any(url.startswith(("/appraisals/profile", "/children/")) for url in walk.seen - own)


class _Site:
    """A stand-in for the test client: a few pages by path."""

    PAGES = {
        "/": (200, '<a href="/a">A</a> <a href="/b?x=1&amp;y=2">B</a> <a href="https://else.where/c">C</a>'
                   ' <a href="/gammel">D</a> <a href="/static/app.css">css</a>'),
        "/a": (200, '<p>Skriv til edit@demo.dk</p><script>var Save = 1;</script><input type="submit" value="Submit">'
                    '<input type="hidden" name="skjult"><input name="fri"><time datetime="2026-10-01">1. oktober</time>'
                    '<input type="date" name="d" value="2026-10-01" aria-label="Dato"> Fra 2026-08-09, 3/4 opgaver'),
        "/b?x=1&y=2": (403, "Ingen adgang"),
        "/gammel": (302, "/ny"),
        "/ny": (200, '<span title="Delete" id="x">Slet</span><p id="x"></p><label>Navn <input name="navn"></label>'
                     '<label for="by">By</label><input id="by" name="by"><input aria-label="Søg" name="q">'
                     '<td>01.10.2026</td><td>1/10 2026</td><td>1/10/2026</td>'
                     '<table><tr class="overdue"><td>Bo</td><td><span class="badge badge-overdue">Overskredet</span>'
                     '</td></tr><tr class="talk-due"><td>Ea<br></td></tr></table><span class="light light-red">'
                     '<span class="light-dot" aria-hidden="true"></span></span><span class="badge" aria-label="Rød">'
                     '</span><ul><li class="soon"><span class="badge"> </span></li></ul>'),
    }

    def get(self, url):
        from types import SimpleNamespace

        status, body = self.PAGES[url]
        headers = {"Location": body} if status == 302 else {}
        return SimpleNamespace(status_code=status, headers=headers, mimetype="text/html",
                               get_data=lambda as_text: body)


def test_the_walk_reports_refusals_and_english_but_not_addresses_or_scripts():
    walk = crawl.walk(_Site())
    assert walk.seen == {"/", "/a", "/b?x=1&y=2", "/gammel", "/ny"}
    assert walk.failed == [("/b?x=1&y=2", 403, "/")]
    assert walk.english == [("/a", ["Submit"]), ("/ny", ["Delete"])]
    assert walk.duplicate_ids == [("/ny", ["x"])]
    assert walk.unlabelled == [("/a", ["fri"])]
    assert walk.dates == [("/a", ["2026-08-09"]), ("/ny", ["1/10 2026", "1/10/2026"])]
    assert walk.colour_only == [("/ny", ["li.soon without a badge", "span.badge", "span.light.light-red",
                                         "tr.talk-due without a badge"])]


# Granting roles: (person edited, roles sent, expected status per role). "maja" is an employee; "self" is the
# logged-in person, sent with every role (so for each of them a raise of their own).
GRANTS = [
    ("maja", ["employee", "head"], dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=400)),
    ("maja", ["employee", "department_leader"], dict(head=302, leader=403, employee=403, temp=403, minimed=403,
                                                     admin=400)),
    ("maja", ["employee", "mini_med"], dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=400)),
    ("maja", ["employee", "admin"], dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=302)),
    ("self", ["employee", "department_leader", "head", "mini_med", "admin"],
     dict(head=400, leader=403, employee=403, temp=403, minimed=403, admin=400)),
]


def _person_form(person, roles):
    return {"name": person.name, "email": person.email, "employment_type": person.employment_type,
            "profession": person.profession, "hired_on": person.hired_on.isoformat(), "left_on": "",
            "departments": sorted(person.department_ids), "roles": roles, "resource_functions": ""}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("who", "roles", "expected"), GRANTS)
def test_role_grant_matrix(app, demo, auth, client, role, who, roles, expected):
    with app.app_context():
        me = db.session.scalar(select(User).where(User.email == DEMO_EMAIL[role]))
        person = me if who == "self" else db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        before = set(person.roles)
        data = _person_form(person, roles)
        person_id = person.id
    auth.login(role)
    assert client.post(f"/people/{person_id}/edit", data=data).status_code == expected[role]
    with app.app_context():
        after = db.session.get(User, person_id).roles
    assert after == (set(data["roles"]) if expected[role] == 302 else before)


def test_admin_reads_who_did_what_in_the_audit_log_but_not_the_content(app, demo, auth, client):
    from app.audit.services import record

    with app.app_context():
        maja = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk"))
        record("competence.wish_submitted", maja, summary="Kursus i hemmelig ting", actor=maja)
        record("appraisals.talk_recorded", maja, summary="MU-samtale: Maja Medarbejder", actor=maja)
        record("people.start_code", maja, summary="Startkode til Maja Medarbejder", actor=maja)
        db.session.commit()
    auth.login("admin")
    html = client.get("/audit/").get_data(as_text=True)
    assert "competence.wish_submitted" in html and "appraisals.talk_recorded" in html
    assert "Kursus i hemmelig ting" not in html and "MU-samtale: Maja" not in html
    assert "Startkode til Maja Medarbejder" in html


# A new start code lets its holder log in as the person: (person, expected status per role).
START_CODES = [
    ("medarbejder@demo.dk", dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=302)),
    ("tilbudsleder@demo.dk", dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("afdelingsleder@demo.dk", dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("email", "expected"), START_CODES)
def test_start_code_matrix(app, demo, auth, client, role, email, expected):
    with app.app_context():
        person_id = db.session.scalar(select(User.id).where(User.email == email))
    auth.login(role)
    assert client.post(f"/people/{person_id}/start-code").status_code == expected[role]
