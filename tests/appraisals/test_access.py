"""Every appraisals route × the six demo roles, plus another department's and another home's people."""

import pytest
from sqlalchemy import delete, func, select

from app import clock
from app.appraisals.models import LU, MU, MusConceptEvent, Talk
from app.extensions import db
from app.people.models import User
from tests.factories import make_department, make_home, make_user

ROLES = ["head", "leader", "employee", "temp", "minimed", "admin"]


def _ids(app):
    with app.app_context():
        def uid(email):
            return db.session.scalar(select(User.id).where(User.email == email))

        own, other, leader = uid("medarbejder@demo.dk"), uid("minimed@demo.dk"), uid("afdelingsleder@demo.dk")
        own_talk = db.session.scalar(select(Talk.id).where(Talk.employee_id == own, Talk.kind == MU).limit(1))
        other_talk = db.session.scalar(select(Talk.id).where(Talk.employee_id == other, Talk.kind == MU).limit(1))
        lu_talk = db.session.scalar(select(Talk.id).where(Talk.employee_id == leader, Talk.kind == LU).limit(1))
        temp = uid("vikar@demo.dk")
    return {"self": own, "other": other, "leader": leader, "own_talk": own_talk, "other_talk": other_talk,
            "lu_talk": lu_talk, "temp": temp}


# (url, expected per role: head, leader, employee, temp, minimed, admin). "self" is Maja Medarbejder in the
# leader's department Skovbrynet; "other" is Mona in Fyrtårnet, which the demo leader does not lead. The
# administrator (in Skovbrynet too) reads no talks or agreements, not even of his own department.
MATRIX = [
    ("/appraisals/", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/export.xlsx", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/profile", dict(head=302, leader=302, employee=302, temp=302, minimed=302, admin=302)),
    ("/appraisals/profile/{self}", dict(head=200, leader=200, employee=200, temp=403, minimed=403, admin=403)),
    ("/appraisals/profile/{other}", dict(head=200, leader=403, employee=403, temp=403, minimed=200, admin=403)),
    ("/appraisals/profile/{leader}", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/profile/{temp}", dict(head=200, leader=200, employee=403, temp=200, minimed=403, admin=403)),
    ("/appraisals/talks/new/mu/{self}", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/talks/new/mu/{other}", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/talks/new/lu/{leader}", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/talks/{own_talk}/edit", dict(head=200, leader=200, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/talks/{other_talk}/edit", dict(head=200, leader=403, employee=403, temp=403, minimed=403,
                                                 admin=403)),
    ("/appraisals/talks/{lu_talk}/edit", dict(head=200, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/mus", dict(head=200, leader=200, employee=403, temp=403, minimed=200, admin=403)),
]

# POSTs: (url, data, expected per role); a refused POST must not change anything.
POSTS = [
    ("/appraisals/profile/{self}/neuro", {"status": "offered", "happened_on": "{today}"},
     dict(head=302, leader=302, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/profile/{other}/neuro", {"status": "offered", "happened_on": "{today}"},
     dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/mus/document", {"guideline_slug": "mus-og-lus"},
     dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/mus/events", {"kind": "evaluation", "held_on": "{today}"},
     dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/talks/new/mu/{self}", {"held_on": "{today}"},
     dict(head=302, leader=302, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/talks/new/mu/{other}", {"held_on": "{today}"},
     dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/talks/new/lu/{leader}", {"planned_on": "{today}"},
     dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
    ("/appraisals/talks/{other_talk}/edit", {"held_on": "{today}", "version": "1"},
     dict(head=302, leader=403, employee=403, temp=403, minimed=403, admin=403)),
]


@pytest.mark.parametrize("role", ROLES)
def test_appraisals_access_matrix(app, demo, auth, client, role):
    ids = _ids(app)
    auth.login(role)
    for template, expected in MATRIX:
        url = template.format(**ids)
        assert client.get(url).status_code == expected[role], (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_appraisals_post_matrix(app, demo, auth, client, role):
    ids = _ids(app)
    auth.login(role)
    with app.app_context():
        # The demo has recorded this year's MUS items; the matrix is about who may, not about once a year.
        db.session.execute(delete(MusConceptEvent))
        db.session.commit()
        before = db.session.scalar(select(func.count(Talk.id)))
    allowed = 0
    for template, data, expected in POSTS:
        url = template.format(**ids)
        data = {k: v.format(today=clock.today().isoformat()) for k, v in data.items()}
        assert client.post(url, data=data).status_code == expected[role], (role, url)
        allowed += expected[role] == 302 and "/talks/new/" in template
    with app.app_context():
        assert db.session.scalar(select(func.count(Talk.id))) == before + allowed


def test_forbidden_profile_names_the_reason(app, demo, auth, client):
    ids = _ids(app)
    auth.login("employee")
    response = client.get(f"/appraisals/profile/{ids['other']}")
    assert response.status_code == 403
    assert "Du kan kun se din egen kompetenceprofil" in response.get_data(as_text=True)


def test_another_homes_people_and_talks_are_not_found(app, demo, auth, client):
    with app.app_context():
        home = make_home()
        department = make_department(home)
        stranger = make_user(home, [department])
        leader = make_user(home, [department], roles=("department_leader",))
        talk = Talk(home_id=home.id, kind=MU, employee_id=stranger.id, held_on=stranger.hired_on)
        db.session.add(talk)
        db.session.commit()
        stranger_id, leader_id, talk_id = stranger.id, leader.id, talk.id
    auth.login("head")
    assert client.get(f"/appraisals/profile/{stranger_id}").status_code == 404
    assert client.get(f"/appraisals/talks/new/mu/{stranger_id}").status_code == 404
    assert client.get(f"/appraisals/talks/new/lu/{leader_id}").status_code == 404
    assert client.get(f"/appraisals/talks/{talk_id}/edit").status_code == 404
    assert client.post(f"/appraisals/talks/{talk_id}/edit", data={"held_on": "2020-01-01"}).status_code == 404
    assert client.post(f"/appraisals/profile/{stranger_id}/neuro",
                       data={"status": "offered", "happened_on": "2020-01-01"}).status_code == 404
    html = client.get("/appraisals/").get_data(as_text=True)
    assert f"/appraisals/profile/{stranger_id}" not in html


def test_navigation(app, demo, auth, client):
    auth.login("employee")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/appraisals/profile"' in html and 'href="/appraisals/"' not in html
    auth.logout()
    auth.login("leader")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/appraisals/profile"' in html and 'href="/appraisals/"' in html
