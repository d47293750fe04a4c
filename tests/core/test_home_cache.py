"""Derived data is kept per home (app/cache.py): a write in one home leaves another home's cached data alone,
a write in the home itself, or one that belongs to no single home, or a restore, makes it compute again."""

from __future__ import annotations

from datetime import date

import pytest

from app import cache, clock
from app.children.models import Child, ChildMove
from app.competence.models import CourseWish
from app.extensions import db
from app.guidelines.models import Guideline
from app.people.constants import Role
from app.people.models import Home, Region
from tests.factories import PASSWORD, make_department, make_home, make_user


@pytest.fixture
def two_homes(app):
    with app.app_context():
        region = Region(name="Region Test")
        homes = [make_home(f"Hjem {n}", region=region) for n in (1, 2)]
        ids = {}
        for n, home in enumerate(homes, start=1):
            department = make_department(home, f"Afdeling {n}")
            make_user(home, [department], email=f"ansat{n}@x.dk")
            make_user(home, [department], roles=(Role.HEAD,), email=f"chef{n}@x.dk")
            ids[n] = {"home": home.id, "dep": department.id, "method": department.methods[0].id}
        ids["region"] = region.id
        db.session.commit()
        return ids


class Counter:
    """A cached computation of home 1 that counts how often it really ran."""

    def __init__(self, app, home_id: int):
        self.app, self.home_id, self.runs = app, home_id, 0

    def read(self) -> int:
        def compute():
            self.runs += 1
            return self.runs
        with self.app.app_context():
            return cache.cached("test.counter", self.home_id, compute, home=self.home_id)


def _post_wish(client, ids, n: int):
    assert client.post("/auth/login", data={"email": f"ansat{n}@x.dk", "password": PASSWORD}).status_code == 302
    response = client.post("/competence/wishes/new", data={
        "department_id": ids[n]["dep"], "year": 2027, "kind": "course", "title": "Low arousal i praksis",
        "provider": "Studio3", "cost": "4.500", "days": "2", "hours": "", "methods": [ids[n]["method"]],
        "responsibility_areas": "", "reason": "Flere børn med udadreagerende adfærd."})
    assert response.status_code == 302
    client.post("/auth/logout")


def _stamp(app, home_id):
    with app.app_context():
        return cache.home_stamp(home_id)


@pytest.mark.parametrize(("wish_home", "recomputed"), [(2, False), (1, True)], ids=["another-home", "same-home"])
def test_a_wish_recomputes_only_its_own_home_s_data(app, client, set_today, two_homes, wish_home, recomputed):
    """A wish in home 2 leaves home 1's derived data alone; a wish in home 1 computes it again."""
    set_today(date(2026, 9, 1))
    counter = Counter(app, two_homes[1]["home"])
    assert counter.read() == 1
    before = _stamp(app, two_homes[1]["home"])
    _post_wish(client, two_homes, wish_home)
    assert (_stamp(app, two_homes[1]["home"]) != before) is recomputed
    assert counter.read() == (2 if recomputed else 1)
    if recomputed:
        with app.app_context():
            assert dict(cache.home_versions(two_homes[1]["home"])).get("competence", 0) >= 1


def test_a_row_without_a_home_id_belongs_to_the_home_of_the_row_it_points_to(app, two_homes):
    counter = Counter(app, two_homes[1]["home"])
    with app.app_context():
        child = Child(home_id=two_homes[2]["home"], display_name="Barn To", department_id=two_homes[2]["dep"],
                      placement_basis="66", admitted_on=date(2025, 1, 1))
        db.session.add(child)
        db.session.commit()
        child_id = child.id
    assert counter.read() == 1
    with app.app_context():
        db.session.add(ChildMove(child_id=child_id, from_department_id=two_homes[2]["dep"],
                                 to_department_id=two_homes[2]["dep"], moved_on=clock.today()))
        db.session.commit()
    assert counter.read() == 1, "a move of home 2's child belongs to home 2"
    with app.app_context():
        db.session.get(Child, child_id).home_id = two_homes[1]["home"]  # moved between homes: both count
        db.session.commit()
    assert counter.read() == 2


def test_a_write_that_belongs_to_no_single_home_counts_for_every_home(app, two_homes):
    counter = Counter(app, two_homes[1]["home"])
    assert counter.read() == 1
    with app.app_context():  # a regional guideline applies to every home of the region
        db.session.add(Guideline(slug="faelles", home_id=None, region_id=two_homes["region"], level="regional",
                                 scope_key=f"region:{two_homes['region']}"))
        db.session.commit()
    assert counter.read() == 2
    with app.app_context():  # a statement outside the ORM's rows
        db.session.execute(CourseWish.__table__.update().values(title="x"))
        db.session.commit()
    assert counter.read() == 3


def test_a_new_epoch_changes_every_home(app, two_homes):
    counters = [Counter(app, two_homes[n]["home"]) for n in (1, 2)]
    assert [c.read() for c in counters] == [1, 1]
    with app.app_context(), db.engine.begin() as connection:
        cache.new_epoch(connection)
    assert [c.read() for c in counters] == [2, 2]


def test_reads_and_a_rolled_back_write_change_no_home(app, client, two_homes):
    before = _stamp(app, two_homes[1]["home"])
    assert client.post("/auth/login", data={"email": "chef1@x.dk", "password": PASSWORD}).status_code == 302
    for path in ("/", "/people/", "/quality/", "/cycle/"):
        assert client.get(path).status_code == 200
    with app.app_context():
        db.session.add(CourseWish(home_id=two_homes[1]["home"], department_id=two_homes[1]["dep"], year=2027,
                                  title="Rulles tilbage"))
        db.session.flush()
        db.session.rollback()
    assert _stamp(app, two_homes[1]["home"]) == before


def test_a_kept_value_is_replaced_when_its_home_changes_and_the_store_is_bounded_by_bytes(app, two_homes):
    with app.app_context():
        cache.cached("test.big", 1, lambda: "x" * 1000, home=two_homes[1]["home"])
        weight = cache._store.weight
        assert weight >= 1000
        make_user(db.session.get(Home, two_homes[1]["home"]))
        db.session.commit()
    with app.app_context():
        cache.cached("test.big", 1, lambda: "y" * 1000, home=two_homes[1]["home"])
        assert cache._store.weight == weight, "the newer value replaces the old one rather than adding to it"
    assert cache.estimate_size(("a" * 5000, [1, 2, 3])) > 5000
