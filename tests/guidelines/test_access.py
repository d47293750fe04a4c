"""Every guideline route × the six demo roles, and another home's guidelines (404)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.guidelines.models import Guideline

ROLES = ["head", "leader", "employee", "temp", "minimed", "admin"]
SLUG = "kompetenceudvikling"

# (method, url, expected status per role: head, leader, employee, temp, minimed, admin)
MATRIX = [
    ("GET", "/guidelines/", dict(head=200, leader=200, employee=200, temp=200, minimed=200, admin=200)),
    ("GET", f"/guidelines/{SLUG}", dict(head=200, leader=200, employee=200, temp=200, minimed=200, admin=200)),
    ("GET", f"/guidelines/{SLUG}/history", dict(head=200, leader=200, employee=200, temp=200, minimed=200, admin=200)),
    ("GET", f"/guidelines/{SLUG}/versions/1", dict(head=200, leader=200, employee=200, temp=200, minimed=200,
                                                   admin=200)),
    ("GET", f"/guidelines/{SLUG}/diff?fra=1&til=2", dict(head=200, leader=200, employee=200, temp=200, minimed=200,
                                                         admin=200)),
    ("GET", f"/guidelines/{SLUG}/coverage", dict(head=200, leader=200, employee=403, temp=403, minimed=403,
                                                 admin=403)),
    ("GET", f"/guidelines/{SLUG}/edit", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("POST", f"/guidelines/{SLUG}/review", dict(head=302, leader=403, employee=403, temp=403, minimed=403,
                                                admin=403)),
    ("POST", f"/guidelines/{SLUG}/acknowledge", dict(head=302, leader=302, employee=302, temp=302, minimed=302,
                                                     admin=302)),
    # No draft exists in the demo: nothing to approve for anyone.
    ("POST", f"/guidelines/{SLUG}/approve", dict(head=404, leader=404, employee=404, temp=404, minimed=404,
                                                 admin=404)),
    ("GET", "/guidelines/findes-ikke", dict(head=404, leader=404, employee=404, temp=404, minimed=404, admin=404)),
]


@pytest.mark.parametrize("role", ROLES)
def test_guideline_access_matrix(app, demo, auth, client, role):
    auth.login(role)
    for method, url, expected in MATRIX:
        response = client.open(url, method=method)
        assert response.status_code == expected[role], (role, method, url, response.status_code)


@pytest.mark.parametrize("role", ["head", "leader", "employee"])
def test_draft_pages_follow_the_roles(app, demo, auth, client, make_client, role):
    head = make_client("head")
    page = head.get(f"/guidelines/{SLUG}/edit").get_data(as_text=True)
    assert "Gem udkast" in page
    with app.app_context():
        guideline = db.session.scalar(select(Guideline).where(Guideline.slug == SLUG, Guideline.home_id.is_not(None)))
        published = guideline.published
        data = {"title": published.title, "standard": published.standard, "scope": published.scope,
                "revision_responsible": "head", "body": published.body + "\nTilføjet.\n", "change_note": "Test"}
        number = published.number + 1
    assert head.post(f"/guidelines/{SLUG}/edit", data=data).status_code == 302
    auth.login(role)
    expected = 200 if role == "head" else 403
    assert client.get(f"/guidelines/{SLUG}/versions/{number}").status_code == expected
    assert client.post(f"/guidelines/{SLUG}/approve").status_code == (302 if role == "head" else 403)


def test_another_homes_guidelines_are_not_found(app, demo, auth, client, runner, tmp_path):
    from tests.factories import make_home
    from tests.guidelines.conftest import document, import_folder, write

    with app.app_context():
        make_home("Andet hjem")
        db.session.commit()
    write(tmp_path, "kun-andet-hjem", document())
    assert import_folder(runner, tmp_path, "--home", "Andet hjem").exit_code == 0
    auth.login("head")
    for method, url, _ in MATRIX:
        if SLUG in url:
            url = url.replace(SLUG, "kun-andet-hjem")
            assert client.open(url, method=method).status_code == 404, url
