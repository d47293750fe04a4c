"""Access rules: every route needs a login, and the people routes follow the role matrix."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.people.models import Department, User

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
