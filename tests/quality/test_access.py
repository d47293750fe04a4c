"""Every quality route × the six demo roles; the API answers to its key only, never to a login."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.people.models import Department, Home, User
from app.quality import services

ROLES = ["head", "leader", "employee", "temp", "minimed", "admin"]

# The demo leader is also on Mini-MED, so sees every department; a leader who is not is tested in test_report.py.
# (method, url template, expected status per role: head, leader, employee, temp, minimed, admin)
MATRIX = [
    ("GET", "/quality/", dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
    ("GET", "/quality/?afdeling={dep}", dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
    ("GET", "/quality/?afdeling={other_dep}",
     dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
    ("GET", "/quality/indicator/test.a", dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
    ("GET", "/quality/indicator/test.a?afdeling={other_dep}",
     dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
    ("GET", "/quality/report.pdf", dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
    ("GET", "/quality/by-theme", dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
    ("GET", "/quality/by-theme?afdeling={other_dep}",
     dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
    ("GET", "/quality/themes", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("GET", "/quality/themes/test.a", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("POST", "/quality/themes/test.a", dict(head=400, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("GET", "/quality/tokens", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("POST", "/quality/tokens", dict(head=400, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("POST", "/quality/tokens/{token}/revoke",
     dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    # A login is not a key: the API refuses every role without one.
    ("GET", "/quality/api/current.json", dict(head=401, leader=401, employee=401, temp=401, minimed=401, admin=401)),
    ("GET", "/quality/api/history.csv", dict(head=401, leader=401, employee=401, temp=401, minimed=401, admin=401)),
]


@pytest.mark.parametrize("role", ROLES)
def test_quality_access_matrix(app, demo, auth, client, registry, role):
    registry.fixed("test.a", 1, 2, exceptions=[("Bo Bech", None)])
    with app.app_context():
        home = db.session.scalar(select(Home).where(Home.name == "Specialbørnehjemmene"))
        head = db.session.scalar(select(User).where(User.email == "tilbudsleder@demo.dk"))
        token, _raw = services.create_token(home, "Test", head)
        db.session.commit()
        ids = {
            "dep": db.session.scalar(select(Department.id).where(Department.name == "Skovbrynet")),
            "other_dep": db.session.scalar(select(Department.id).where(Department.name == "Fyrtårnet")),
            "token": token.id,
        }
    auth.login(role)
    for method, template, expected in MATRIX:
        url = template.format(**ids)
        response = client.open(url, method=method)
        assert response.status_code == expected[role], (role, method, url, response.status_code)


def test_navigation_item_only_for_those_who_see_a_report(app, demo, auth, client):
    for role, shown in [("head", True), ("leader", True), ("minimed", True), ("employee", False), ("temp", False),
                        ("admin", False)]:
        auth.login(role)
        html = client.get("/").get_data(as_text=True)
        assert ('href="/quality/"' in html) is shown, role
        assert "Kvalitetsovervågning" in html if shown else True
        auth.logout()


def test_anonymous_is_sent_to_login(app, client):
    for url in ("/quality/", "/quality/indicator/x", "/quality/report.pdf", "/quality/tokens", "/quality/by-theme",
                "/quality/themes", "/quality/themes/x"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url
