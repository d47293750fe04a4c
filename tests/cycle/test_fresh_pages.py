"""The årshjul, the Mini-MED meetings and the .ics download show a change at once, and what is per person
(buttons, CSRF tokens, own tasks, DTSTAMP) stays so."""

import re
from datetime import datetime

from app import clock
from tests.cycle.helpers import duties
from tests.cycle.test_calendar import parse, unescape
from tests.factories import PASSWORD

BUTTON = re.compile(r'<form method="post" action="(/cycle/opgaver/\w+)".*?name="csrf_token" value="([^"]+)">\s*'
                    r'<input type="hidden" name="uid" value="([^"]+)">', re.S)


def _uid(people, key, dep=0, due="2026-10-31"):
    return f"cycle-{people.home}-testaarshjul-{key}-{dep}-{due}"


def _browser(make_client, email):
    browser = make_client()
    response = browser.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def _overview(html, department):
    """(status, inner html) of the department's staff-meeting duty (one marked by hand)."""
    return next(d for d in duties(html, "drøfter næste års tilbudsplan") if department in d[1])


def test_marking_done_shows_at_once_and_swaps_the_button(app, people, import_guidelines, login):
    import_guidelines()
    client = login(people.leader_a)
    status, body = _overview(client.get("/cycle/").get_data(as_text=True), "Skovbrynet")
    assert status != "done" and "Markér som udført" in body
    client.post("/cycle/opgaver/udfoert", data={"uid": _uid(people, "personalemoede", people.dep_a, "2026-11-30")})
    status, body = _overview(client.get("/cycle/").get_data(as_text=True), "Skovbrynet")
    assert status == "done" and "Markeret udført af Anders A" in body
    assert "Fortryd udført" in body and "Markér som udført" not in body
    client.post("/cycle/opgaver/fortryd", data={"uid": _uid(people, "personalemoede", people.dep_a, "2026-11-30")})
    status, body = _overview(client.get("/cycle/").get_data(as_text=True), "Skovbrynet")
    assert status != "done" and "Markér som udført" in body


def test_buttons_are_each_persons_own_with_their_own_csrf_token(app, people, import_guidelines, make_client):
    import_guidelines()
    head = _browser(make_client, people.head)
    head_html = head.get("/cycle/").get_data(as_text=True)
    assert "Markér som udført" in _overview(head_html, "Fyrtårnet")[1]
    leader = _browser(make_client, people.leader_a)
    leader_html = leader.get("/cycle/?x=1").get_data(as_text=True)
    assert "Markér som udført" not in _overview(leader_html, "Fyrtårnet")[1]
    employee_html = _browser(make_client, people.employee_a).get("/cycle/").get_data(as_text=True)
    assert "Markér som udført" not in employee_html
    assert 'name="next" value="/cycle/?x=1"' in leader_html
    mine = _uid(people, "personalemoede", people.dep_a, "2026-11-30")
    action, token, uid = next(b for b in BUTTON.findall(leader_html) if b[2] == mine)
    assert token not in head_html
    response = leader.post(action, data={"uid": uid, "next": "/cycle/", "csrf_token": token}, csrf=False)
    assert response.status_code == 302
    assert _overview(head.get("/cycle/").get_data(as_text=True), "Skovbrynet")[0] == "done"


def test_only_mine_is_each_persons_own(app, people, import_guidelines, login):
    import_guidelines()
    html = login(people.leader_a).get("/cycle/?mine=1").get_data(as_text=True)
    assert [d for d in duties(html, "sender oversigten") if "Skovbrynet" in d[1]]
    html = login(people.leader_b).get("/cycle/?mine=1").get_data(as_text=True)
    found = duties(html, "sender oversigten")
    assert len(found) == 1 and "Fyrtårnet" in found[0][1]


def test_scheduled_meetings_show_at_once_on_the_meetings_page_and_the_year(app, people, import_guidelines, login):
    import_guidelines()
    client = login(people.head)
    assert "Der er ikke planlagt Mini-MED-møder i 2026" in client.get("/cycle/moeder").get_data(as_text=True)
    assert "Årets Mini-MED-møder er ikke planlagt" in client.get("/cycle/").get_data(as_text=True)
    assert client.post("/cycle/moeder/ny", data={"held_on": "2026-02-12", "title": "Første"}).status_code == 302
    html = client.get("/cycle/moeder").get_data(as_text=True)
    assert "12.02.2026" in html and "Første" in html
    year = client.get("/cycle/").get_data(as_text=True)
    assert "Årets Mini-MED-møder er ikke planlagt" not in year
    assert "12. februar" in duties(year, "Mini-MED godkender fordelingen")[0][1]
    minimed = login(people.minimed).get("/cycle/moeder").get_data(as_text=True)
    assert "Første" in minimed and "Planlæg møde" not in minimed


def test_download_shows_a_completion_at_once_and_is_stamped_when_fetched(app, people, import_guidelines, login,
                                                                         set_today):
    import_guidelines()
    client = login(people.leader_a)
    url = "/cycle/kalender/aarshjul.ics?aar=2026"
    uid = _uid(people, "personalemoede", people.dep_a, "2026-11-30")
    set_today(datetime(2026, 9, 20, 10, 0, tzinfo=clock.TZ))
    first = client.get(url)
    events = {e["UID"].split("@")[0]: e for e in parse(first.data)}
    assert not unescape(events[uid]["SUMMARY"]).startswith("Udført")
    assert {e["DTSTAMP"] for e in events.values()} == {"20260920T080000Z"}
    set_today(datetime(2026, 9, 20, 11, 30, tzinfo=clock.TZ))
    again = {e["UID"].split("@")[0]: e for e in parse(client.get(url).data)}
    assert {e["DTSTAMP"] for e in again.values()} == {"20260920T093000Z"}
    client.post("/cycle/opgaver/udfoert", data={"uid": uid})
    events = {e["UID"].split("@")[0]: e for e in parse(client.get(url).data)}
    assert unescape(events[uid]["SUMMARY"]).startswith("Udført: ")
    other = {e["UID"].split("@")[0]: e for e in parse(login(people.leader_b).get(url).data)}
    assert uid not in other
