"""Names sort the Danish way (a-z, then æ, ø, å; case and accents only break ties) in Python and in the database.

The database sorts by a stored key written with the name, so both engines give the same order and no Python
runs inside a query.
"""

from datetime import date

from sqlalchemy import insert, select

from app.database import danish_key, danish_sort_key
from app.extensions import db
from app.people.models import Department, User
from tests.factories import make_department, make_home, make_user

# Each name sorts before the next: æ/ä, ø/ö, å after z; a name before the longer names it starts;
# a space before a letter; accents and case decide only between otherwise equal names (capital first).
# "Aa" is two a's, not å: names are written with å today, and the rule has always been this one.
DANISH_ORDER = ["Aase", "Ann", "Ann Berg", "Anna", "Anne", "anne", "Bo", "Emil", "Émil", "Ole", "ole", "Zenia",
                "Ærenlund", "Äxel", "Æxel", "Øjvind", "Östen", "Østen", "Åse"]


def _shuffled():
    return DANISH_ORDER[::2] + DANISH_ORDER[1::2][::-1]


def test_danish_order_in_python():
    assert sorted(_shuffled(), key=danish_key) == DANISH_ORDER
    assert sorted(_shuffled(), key=danish_sort_key) == DANISH_ORDER


def test_the_database_orders_names_written_through_the_orm(app):
    with app.app_context():
        home = make_home()
        department = make_department(home)
        for name in _shuffled():
            make_user(home, [department], name=name)
        db.session.commit()
        ordered = db.session.scalars(select(User.name).order_by(User.name_sort_key)).all()
    assert ordered == DANISH_ORDER


def test_a_renamed_record_moves_to_its_new_place(app):
    with app.app_context():
        home = make_home()
        for name in ["Birk", "Carl", "Dorte"]:
            make_department(home, name=name)
        db.session.commit()
        db.session.scalars(select(Department).where(Department.name == "Birk")).one().name = "Åbo"
        db.session.commit()
        ordered = db.session.scalars(select(Department.name).where(Department.home_id == home.id)
                                     .order_by(Department.name_sort_key)).all()
    assert ordered == ["Carl", "Dorte", "Åbo"]


def test_a_bulk_insert_outside_the_orm_gets_its_keys_too(app):
    with app.app_context():
        home = make_home()
        db.session.execute(insert(User), [
            {"home_id": home.id, "email": f"bulk{i}@example.dk", "name": name, "profession": "paedagog",
             "hired_on": date(2020, 1, 1)} for i, name in enumerate(_shuffled())])
        db.session.commit()
        ordered = db.session.scalars(select(User.name).order_by(User.name_sort_key)).all()
    assert ordered == DANISH_ORDER


def test_danish_order_on_the_employee_list(app, demo, auth, client):
    auth.login("head")
    html = client.get("/people/?status=all").get_data(as_text=True)
    names = [line.split(">")[1].split("<")[0] for line in html.split('<td><a href="/people/')[1:]]
    assert len(names) > 5
    assert names == sorted(names, key=danish_key)
