"""The employee list pages by 50 in Danish order, links a name only where the viewer may open the person, and
costs the same statements however many people the home has."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.people.listing import PAGE_SIZE
from app.people.models import Home, User
from tests.conftest import counting
from tests.factories import make_user


def _names(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>(?:<a href=\"[^\"]*\">)?([^<]+)", html)


def _grow(app, n: int) -> None:
    with app.app_context():
        home = db.session.scalar(select(Home).order_by(Home.id))
        for i in range(n):
            make_user(home, home.departments[:1], name=f"Ældre Åse {i:03d}")
        db.session.commit()


def test_the_list_pages_through_everyone_once_in_danish_order(app, demo, auth, client):
    _grow(app, 5)
    auth.login("head")
    first = client.get("/people/?status=all").get_data(as_text=True)
    second = client.get("/people/?status=all&side=2").get_data(as_text=True)
    with app.app_context():
        home = db.session.scalar(select(Home).order_by(Home.id))
        people = db.session.scalars(select(User).where(User.home_id == home.id)
                                    .order_by(User.name_sort_key, User.id)).all()
        expected = [u.name for u in people]
    assert PAGE_SIZE < len(expected) <= 2 * PAGE_SIZE
    assert f"{len(expected)} personer · side 1 af 2" in first
    assert "Næste side" in first and "Forrige side" not in first
    assert "Forrige side" in second and "Næste side" not in second
    assert _names(first) + _names(second) == expected
    shown = _names(first) + _names(second)
    assert shown.index("Ældre Åse 004") > max(i for i, n in enumerate(shown) if n[0] <= "Z")  # Æ after Z
    assert client.get("/people/?status=all&side=9").status_code == 200  # past the end: empty, not an error


def test_a_department_leader_gets_links_only_to_people_of_his_departments(app, demo, auth, client):
    auth.login("leader")
    html = client.get("/people/?status=all").get_data(as_text=True)
    with app.app_context():
        leader = db.session.scalar(select(User).where(User.email == "afdelingsleder@demo.dk"))
        mine = leader.department_ids
        people = db.session.scalars(select(User).where(User.home_id == leader.home_id)).all()
        linked = {p.id for p in people if mine & p.department_ids or p.id == leader.id}
        others = [p for p in people if p.id not in linked]
    assert others, "the demo home has people outside the leader's departments"
    shown = set(re.findall(r'href="/people/(\d+)"', html))
    assert shown and shown <= {str(i) for i in linked}
    assert all(f'href="/people/{p.id}"' not in html for p in others)


def test_the_list_costs_the_same_statements_however_many_people(app, demo, auth, client):
    auth.login("head")
    client.get("/people/")
    with counting(app) as small:
        assert client.get("/people/?status=all&side=2").status_code == 200
    _grow(app, 3 * PAGE_SIZE)
    with counting(app) as large:
        assert client.get("/people/?status=all&side=2").status_code == 200
    assert large[0] == small[0]
