"""Need-to-know for colleagues' names (app/need_to_know.py): the employee list and its export name exactly the
people the viewer may open, each name a link; the one documented exception, a child's contact team, is shown to
everyone who may open the child (a temp's handover page included) and to nobody else."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app import clock
from app.children.models import Child, ContactTeamMember
from app.extensions import db
from app.people.models import User
from app.permissions import can
from tests.conftest import DEMO_EMAIL

ROLES = ["head", "leader", "employee", "temp", "minimed", "admin"]
ROW = re.compile(r'<tr>\s*<td>(?:<a href="/people/(\d+)">)?([^<]+?)(</a>)?(?: <span|</td>)')


def _viewer(email):
    return db.session.scalar(select(User).where(User.email == email))


def _openable(app, role) -> set[str]:
    """The people of the viewer's home whose page (people.view) the viewer may open."""
    with app.test_request_context():
        viewer = _viewer(DEMO_EMAIL[role])
        people = db.session.scalars(select(User).where(User.home_id == viewer.home_id)).all()
        return {p.name for p in people if can(viewer, "people.view", p)}


def _listed(client) -> tuple[set[str], set[str]]:
    """(every name on the employee list's pages, the names among them that are links)."""
    named, linked, page = set(), set(), 1
    while True:
        html = client.get(f"/people/?status=all&side={page}").get_data(as_text=True)
        for person_id, name, closed in ROW.findall(html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]):
            named.add(name)
            if person_id and closed:
                linked.add(name)
        if "Næste side" not in html:
            return named, linked
        page += 1


@pytest.mark.parametrize("role", ROLES)
def test_the_employee_list_and_its_export_name_exactly_whom_the_viewer_may_open(app, demo, auth, client, role):
    auth.login(role)
    if role not in ("head", "leader", "admin"):
        assert client.get("/people/").status_code == 403
        assert client.get("/people/export.csv").status_code == 403
        return
    openable = _openable(app, role)
    named, linked = _listed(client)
    assert named == linked == openable
    if role == "leader":  # the rule at work: not the whole home
        with app.app_context():
            assert len(openable) < db.session.query(User).count() - 1
    sheet = client.get("/people/export.csv?status=all").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(sheet), delimiter=";"))
    assert {line[0] for line in lines[1:-1]} == openable
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", lines[1][6])  # the table date, not ISO
    sheet = load_workbook(io.BytesIO(client.get("/people/export.xlsx?status=all").data)).active
    assert {r[0].value for r in sheet.iter_rows(min_row=2)} - {"I alt"} == openable
    assert sheet.cell(row=2, column=7).number_format == "DD.MM.YYYY"  # a date cell, shown as 01.10.2026


def _child_and_team(app):
    """A current child of the demo's Skovbrynet with a contact team, and the names of that team today."""
    with app.app_context():
        temp = _viewer(DEMO_EMAIL["temp"])
        for child in db.session.scalars(select(Child).order_by(Child.id)):
            members = db.session.scalars(select(ContactTeamMember).where(ContactTeamMember.child_id == child.id))
            team = [m.user.name for m in members if m.is_current(clock.today())]
            if team and child.department_id in temp.department_ids and not child.has_left():
                return child.id, set(team)
    raise AssertionError("the demo has no child with a contact team in the temp's department")


@pytest.mark.parametrize("role", ROLES)
def test_a_child_s_contact_team_is_named_to_whoever_may_open_the_child(app, demo, auth, client, role):
    child_id, team = _child_and_team(app)
    with app.test_request_context():
        may_open = can(_viewer(DEMO_EMAIL[role]), "children.view", db.session.get(Child, child_id))
    auth.login(role)
    response = client.get(f"/children/{child_id}")
    if not may_open:
        assert response.status_code in (403, 404)
        return
    html = response.get_data(as_text=True)
    section = html.split('<h2 id="team">', 1)[1].split("</section>", 1)[0]
    shown = {re.split(r" <span|</li>", item, maxsplit=1)[0] for item in re.findall(r"<li>(.*?)</li>", section)}
    assert shown == team  # the documented exception (need_to_know.may_see_contact_team) ...
    assert "<a " not in section.split("</ul>", 1)[0]  # ... which links to none of them
    if role == "temp":
        assert team - _openable(app, role) == team  # the temp may open none of their records
