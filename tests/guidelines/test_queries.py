"""The list and a guideline page cost the same number of queries however many guidelines, versions and people."""

from __future__ import annotations

from app.extensions import db
from app.people.models import Home
from tests.conftest import counting
from tests.factories import make_user
from tests.guidelines.conftest import document, import_folder, write
from tests.guidelines.test_pages import login


def _grow(app, runner, tmp_path, n: int, home_id: int):
    for i in range(n):
        write(tmp_path, f"ekstra-{n}-{i}", document(title=f"Ekstra {n} {i}", related=["basis"]))
    with app.app_context():
        home = db.session.get(Home, home_id)
        for _ in range(n * 3):
            make_user(home, home.departments)
        db.session.commit()
    assert import_folder(runner, tmp_path).exit_code == 0
    write(tmp_path, "basis", document(title="Basis", body=f"Ændret {n}\n"))
    assert import_folder(runner, tmp_path).exit_code == 0


def test_query_count_is_constant_as_data_grows(app, runner, org, tmp_path, client):
    write(tmp_path, "basis", document(title="Basis"))
    _grow(app, runner, tmp_path, 2, org["home"])
    login(client, "head@t.dk")
    pages = ["/guidelines/", "/guidelines/basis", "/guidelines/basis/history", "/guidelines/basis/coverage", "/"]
    before = {}
    for page in pages:
        client.get(page)
        with counting(app) as count:
            assert client.get(page).status_code == 200
        before[page] = count[0]
    _grow(app, runner, tmp_path, 12, org["home"])
    for page in pages:
        with counting(app) as count:
            assert client.get(page).status_code == 200
        assert count[0] == before[page], page
