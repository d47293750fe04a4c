"""Need-to-know, per role: a child's or a colleague's name appears only where the viewer may open that child or
person, showing a child's name is a logged read, and a task about someone the viewer may not open is not shown
(unless it is theirs to do, then without the name and the link). Walked for the årshjul, "Mine opgaver", the
quality report and its PDF, the calendar feed, the reminder e-mails, the talk export and the page titles.

Only the app's own interfaces are used, so these tests run (and fail) against the code before the rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.children.models import ChildAccessLog
from app.extensions import db
from app.people.constants import EmploymentType, Role
from app.people.models import Home, User
from tests.children.helpers import add_plan, add_team, make_child
from tests.factories import PASSWORD, make_department, make_home, make_user
from tests.quality.conftest import pdf_text

TODAY = date(2026, 6, 15)
ALMA, BENT, COLLEAGUE = "Alma Testbarn", "Bent Testbarn", "Mikkel Kollega"
GENERIC_PLAN = "Opfølgning på et barns individuelle plan"


@dataclass
class World:
    home_id: int
    dep_a: int
    dep_b: int
    alma: int
    bent: int
    colleague: int
    users: dict[str, int]


@pytest.fixture
def world(app, set_today):
    """Two departments. Alma and Bent live in Skoven; Alma's team is coordinated by `on_team`, Bent's (wrongly)
    by `other_employee` from Havet, who is responsible for Bent's follow-up without being allowed to open him.
    Mikkel in Skoven has never had an MU talk: a task for Skoven's leader."""
    set_today(TODAY)
    with app.app_context():
        home = make_home()
        a, b = make_department(home, "Skoven"), make_department(home, "Havet")
        old = date(2020, 1, 1)
        people = {
            "head": make_user(home, [a], roles=(Role.HEAD,), hired_on=old),
            "leader": make_user(home, [a], roles=(Role.DEPARTMENT_LEADER,), hired_on=old),
            "other_leader": make_user(home, [b], roles=(Role.DEPARTMENT_LEADER,), hired_on=old),
            "on_team": make_user(home, [a], name="Tina Team"),
            "not_on_team": make_user(home, [a], name="Niels Udenfor"),
            "other_employee": make_user(home, [b], name="Hans Havet"),
            "temp": make_user(home, [a], employment=EmploymentType.ON_CALL, name="Vera Vikar"),
            "other_temp": make_user(home, [b], employment=EmploymentType.ON_CALL, name="Vagn Vikar"),
            "minimed": make_user(home, [], roles=(Role.MINI_MED,), name="Mette Med"),
            "admin": make_user(home, [], roles=(Role.ADMIN,), name="Adam Admin"),
        }
        colleague = make_user(home, [a], name=COLLEAGUE, hired_on=old)
        alma = make_child(home.id, a.id, name=ALMA, admitted_on=date(2025, 1, 1))
        bent = make_child(home.id, a.id, name=BENT, admitted_on=date(2025, 1, 1))
        add_team(alma, [people["on_team"].id])
        add_team(bent, [people["other_employee"].id])
        add_plan(alma, date(2026, 4, 18))  # follow-up due 18 July
        add_plan(bent, date(2026, 5, 10))  # follow-up due 10 August
        db.session.commit()
        return World(home.id, a.id, b.id, alma.id, bent.id, colleague.id, {k: u.id for k, u in people.items()})


def _login(client, world: World, who: str) -> None:
    with client.application.app_context():
        email = db.session.get(User, world.users[who]).email
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def _reads(app, user_id: int, view: str) -> list[int]:
    with app.app_context():
        return sorted(db.session.scalars(select(ChildAccessLog.child_id).where(
            ChildAccessLog.user_id == user_id, ChildAccessLog.view == view)))


def _titles(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t).strip()
            for t in re.findall(r'<span class="duty-title">(.*?)</span>', html, re.S)]


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="(/(?:children/\d+|appraisals/profile/\d+))"', html))


# who: (sees the Skoven children's follow-ups by name, sees the generic follow-up it is responsible for,
#       sees Mikkel's MU talk by name)
ÅRSHJUL = {
    "head": (True, False, True),
    "leader": (True, False, True),
    "other_leader": (False, False, False),
    # The children policy lets the department's staff open its children, on the contact team or not.
    "on_team": (True, False, False),
    "not_on_team": (True, False, False),
    "other_employee": (False, True, False),
    "temp": (True, False, False),
    "other_temp": (False, False, False),
    "minimed": (False, False, False),
    "admin": (False, False, False),
}


@pytest.mark.parametrize("who", ÅRSHJUL)
def test_årshjul_names_children_and_colleagues_only_to_those_who_may_open_them(app, client, world, who):
    sees_children, sees_generic, sees_colleague = ÅRSHJUL[who]
    _login(client, world, who)
    html = client.get("/cycle/?aar=2026").get_data(as_text=True)
    titles = _titles(html)
    named = {f"Opfølgning på individuel plan: {ALMA}", f"Opfølgning på individuel plan: {BENT}"}
    assert named.issubset(titles) is sees_children
    assert (ALMA in html or BENT in html) is sees_children
    assert (GENERIC_PLAN in titles) is sees_generic
    assert (f"MU-samtale med {COLLEAGUE}" in titles) is sees_colleague
    assert (COLLEAGUE in html) is sees_colleague
    # Each showing of a child's name is a read in the child's access log; nothing else is.
    assert _reads(app, world.users[who], "aarshjul") == (sorted([world.alma, world.bent]) if sees_children else [])
    client.get("/cycle/?aar=2026")
    assert len(_reads(app, world.users[who], "aarshjul")) == (4 if sees_children else 0)
    # No link ends in "Ingen adgang".
    for link in _links(html):
        assert client.get(link).status_code == 200, link


def test_a_responsible_person_who_may_not_open_the_child_gets_the_task_without_name_or_link(app, client, world):
    _login(client, world, "other_employee")
    html = client.get("/cycle/?aar=2026").get_data(as_text=True)
    assert f'<span class="duty-title">{GENERIC_PLAN}</span>' in html
    assert f"/children/{world.bent}" not in html and BENT not in html


# who: (the follow-ups they are responsible for and may see by name, sees Mikkel's MU talk by name)
DASHBOARD = {
    "head": ((), False),  # the tilbudsleder is not responsible for Skoven's follow-ups or MU talks
    "leader": ((ALMA, BENT), True),
    "other_leader": ((), False),
    "on_team": ((ALMA,), False),
    "not_on_team": ((), False),
    "other_employee": ((), False),  # responsible for Bent, but may not open him: no name
    "temp": ((), False),
    "minimed": ((), False),
    "admin": ((), False),
}


@pytest.mark.parametrize("who", DASHBOARD)
def test_mine_opgaver_names_and_logs_only_what_the_viewer_may_open(app, client, world, who):
    children, sees_colleague = DASHBOARD[who]
    _login(client, world, who)
    html = client.get("/").get_data(as_text=True)
    for name in (ALMA, BENT):
        assert (f"Opfølgning på individuel plan: {name}" in html) is (name in children)
        assert (name in html) is (name in children)
    assert (COLLEAGUE in html) is sees_colleague
    assert (GENERIC_PLAN in html) is (who == "other_employee")
    ids = {ALMA: world.alma, BENT: world.bent}
    expected = sorted(ids[name] for name in children)
    assert _reads(app, world.users[who], "dashboard") == expected
    client.get("/")  # the page kept for the person is still a read each time it is shown
    assert _reads(app, world.users[who], "dashboard") == sorted(expected * 2)


# who: status of the whole home's report of the children's contact teams, whether names show
QUALITY = {"head": True, "minimed": False}


@pytest.mark.parametrize("who", QUALITY)
def test_quality_exceptions_name_children_only_to_those_who_may_open_them(app, client, world, who):
    _login(client, world, who)
    response = client.get("/quality/indicator/children.contact_team")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    sees = QUALITY[who]
    assert (ALMA in html and BENT in html) is sees
    assert (ALMA in html or BENT in html) is sees
    assert ("2 afvigelser om børn eller kolleger" in html) is not sees
    assert _reads(app, world.users[who], "quality") == (sorted([world.alma, world.bent]) if sees else [])
    colleagues = client.get("/quality/indicator/appraisals.mu").get_data(as_text=True)
    assert (COLLEAGUE in colleagues) is sees
    for link in _links(html):
        assert client.get(link).status_code == 200, link


def test_quality_department_reports_name_children_to_their_leader_only(app, client, world):
    _login(client, world, "leader")
    html = client.get(f"/quality/indicator/children.contact_team?afdeling={world.dep_a}").get_data(as_text=True)
    assert ALMA in html and BENT in html
    client.post("/auth/logout")
    _login(client, world, "other_leader")
    assert client.get(f"/quality/indicator/children.contact_team?afdeling={world.dep_a}").status_code == 403
    html = client.get(f"/quality/indicator/children.contact_team?afdeling={world.dep_b}").get_data(as_text=True)
    assert ALMA not in html and BENT not in html
    assert _reads(app, world.users["other_leader"], "quality") == []


@pytest.mark.parametrize("who", ["employee", "temp", "admin"])
def test_people_without_the_quality_report_get_none_of_it(client, world, who):
    _login(client, world, {"employee": "not_on_team"}.get(who, who))
    assert client.get("/quality/indicator/children.contact_team").status_code == 403
    assert client.get("/quality/report.pdf").status_code == 403


@pytest.mark.parametrize("who", QUALITY)
def test_quality_pdf_names_children_only_to_those_who_may_open_them(app, client, world, who):
    _login(client, world, who)
    response = client.get("/quality/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data())
    sees = QUALITY[who]
    assert (ALMA in text and BENT in text) is sees
    assert (ALMA in text or BENT in text) is sees
    assert (COLLEAGUE in text) is sees
    assert ("om børn eller kolleger, du ikke har adgang til" in text) is not sees
    assert _reads(app, world.users[who], "quality_pdf") == (sorted([world.alma, world.bent]) if sees else [])


def test_page_titles_carry_no_child_names(client, world):
    _login(client, world, "leader")
    for path in ("", "/history", "/team", "/plan", "/edit", "/move", "/leave"):
        response = client.get(f"/children/{world.alma}{path}")
        assert response.status_code == 200, path
        title = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1)
        assert ALMA not in title, path


def _feed(app, client, world: World, who: str) -> str:
    _login(client, world, who)
    html = client.post("/cycle/kalender/link").get_data(as_text=True)
    token = re.search(r"/cycle/feed/([A-Za-z0-9_-]+)\.ics", html).group(1)
    client.post("/auth/logout")
    response = client.get(f"/cycle/feed/{token}.ics")
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("\r\n ", "")


@pytest.mark.parametrize("who", ["leader", "on_team", "other_employee"])
def test_calendar_feed_never_names_a_child_and_names_colleagues_only_to_who_may_open_them(app, client, world, who):
    text = _feed(app, client, world, who)
    assert ALMA not in text and BENT not in text
    assert ("SUMMARY:Opfølgning på et barns individuelle plan" in text) is True
    assert (f"SUMMARY:MU-samtale med {COLLEAGUE}" in text) is (who == "leader")
    # The leader's feed links to Bent; the responsible Havet employee, who may not open him, gets no link.
    assert (f"/children/{world.bent}" in text) is (who == "leader")
    with app.app_context():
        assert db.session.scalar(select(ChildAccessLog.id).where(
            ChildAccessLog.user_id == world.users[who])) is None


def test_reminder_emails_never_name_a_child_and_name_colleagues_only_to_who_may_open_them(app, world, set_today):
    from app.cycle.reminders import compose, due_reminders

    set_today(date(2026, 7, 17))  # the day before Alma's follow-up; a weekly reminder of Mikkel's overdue MU
    with app.app_context():
        home = db.session.get(Home, world.home_id)
        by_user: dict[int, list] = {}
        for reminder in due_reminders(home, date(2026, 7, 17)):
            by_user.setdefault(reminder.user_id, []).append(reminder)
        texts = {}
        for user_id, reminders in by_user.items():
            message = compose(reminders, date(2026, 7, 17))
            texts[user_id] = str(message["Subject"]) + message.get_body(preferencelist=("plain",)).get_content()
    leader, on_team = world.users["leader"], world.users["on_team"]
    assert GENERIC_PLAN in texts[leader] and GENERIC_PLAN in texts[on_team]
    assert all(ALMA not in text and BENT not in text for text in texts.values())
    assert f"MU-samtale med {COLLEAGUE}" in texts[leader]
    assert all(COLLEAGUE not in text for user_id, text in texts.items() if user_id != leader)


@pytest.mark.parametrize("who, sees", [("leader", True), ("head", True), ("other_leader", False)])
def test_talk_export_lists_only_colleagues_the_viewer_may_open(client, world, who, sees):
    _login(client, world, who)
    response = client.get("/appraisals/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.get_data())).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (COLLEAGUE in names) is sees


@pytest.mark.parametrize("who, sees", [("leader", True), ("head", True), ("other_leader", False)])
def test_talk_overview_names_only_colleagues_the_viewer_may_open(client, world, who, sees):
    """The overview page and its export show the same rows: one filter for both."""
    _login(client, world, who)
    response = client.get("/appraisals/")
    assert response.status_code == 200
    assert (COLLEAGUE in response.get_data(as_text=True)) is sees


def test_the_admin_gets_no_talk_export(client, world):
    """The administrator manages accounts, not content about people: no export of talks at all."""
    _login(client, world, "admin")
    assert client.get("/appraisals/export.xlsx").status_code == 403


@pytest.mark.parametrize("who, listed", [("leader", True), ("not_on_team", True), ("temp", True),
                                         ("other_employee", False), ("other_temp", False)])
def test_the_children_list_is_a_logged_read_of_every_child_it_names(app, client, world, who, listed):
    _login(client, world, who)
    html = client.get("/children/").get_data(as_text=True)
    assert (ALMA in html and BENT in html) is listed
    assert _reads(app, world.users[who], "list") == (sorted([world.alma, world.bent]) if listed else [])
    client.get("/children/")  # kept per data version, still logged on every showing
    assert len(_reads(app, world.users[who], "list")) == (4 if listed else 0)


def test_the_checks_page_is_a_logged_read_of_the_children_it_names(app, client, world):
    _login(client, world, "leader")
    html = client.get(f"/children/checks?afdeling={world.dep_a}").get_data(as_text=True)
    assert ALMA in html and BENT in html
    assert _reads(app, world.users["leader"], "checks") == sorted([world.alma, world.bent])


def test_a_leaders_lu_talk_is_named_to_the_head_and_not_to_a_fellow_leader(app, client, set_today):
    set_today(TODAY)
    with app.app_context():
        home = make_home()
        department = make_department(home)
        old = date(2020, 1, 1)
        head = make_user(home, [department], roles=(Role.HEAD,), hired_on=old)
        first = make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,), name="Lone Leder", hired_on=old)
        make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,), name="Lars Leder", hired_on=old)
        db.session.commit()
        head_email, first_email = head.email, first.email
    client.post("/auth/login", data={"email": first_email, "password": PASSWORD})
    titles = _titles(client.get("/cycle/?aar=2026").get_data(as_text=True))
    assert "LU-samtale med Lars Leder" not in titles and "Lars Leder" not in " ".join(titles)
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": head_email, "password": PASSWORD})
    titles = _titles(client.get("/cycle/?aar=2026").get_data(as_text=True))
    assert {"LU-samtale med Lars Leder", "LU-samtale med Lone Leder"} <= set(titles)
