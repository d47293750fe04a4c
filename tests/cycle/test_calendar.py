"""The personal iCalendar feed (RFC 5545) behind a secret token, and the one-off .ics download."""

import hashlib
import re
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import select

from app.cycle.calendar import escape_text, fold
from app.cycle.models import CalendarToken
from app.extensions import db
from app.people.models import User

FEED = re.compile(r'value="(https?://[^/"]+/cycle/feed/[^"]+\.ics)"')


def parse(raw: bytes) -> list[dict]:
    """Parse an iCalendar text back: CRLF lines, at most 75 octets, unfolded; VEVENTs as dicts."""
    assert raw.endswith(b"\r\n")
    physical = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    lines: list[str] = []
    for line in physical:
        text = line.decode("utf-8")
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert "X-WR-TIMEZONE:Europe/Copenhagen" in lines
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return events


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _subscribe(client) -> str:
    response = client.post("/cycle/kalender/link")
    assert response.status_code == 200
    return urlsplit(FEED.search(response.get_data(as_text=True)).group(1)).path


def test_feed_is_valid_icalendar_with_stable_all_day_events(app, people, import_guidelines, login):
    import_guidelines()
    client = login(people.leader_a)
    url = _subscribe(client)
    client.post("/auth/logout")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = parse(response.data)
    by_uid = {e["UID"]: e for e in events}
    uid = f"cycle-{people.home}-testaarshjul-oversigt-{people.dep_a}-2026-10-31@kompetenceportalen"
    event = by_uid[uid]
    assert event["DTSTART;VALUE=DATE"] == "20261031" and event["DTEND;VALUE=DATE"] == "20261101"
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    assert unescape(event["SUMMARY"]) == "Afdelingslederen sender oversigten over ønsker til tilbudslederen."
    assert "Afdeling: Skovbrynet" in unescape(event["DESCRIPTION"])
    assert event["URL"] == app.config["BASE_URL"].rstrip("/") + "/guidelines/testaarshjul"
    # This year and next; only the leader's own department; the same UIDs on the next fetch.
    assert f"cycle-{people.home}-testaarshjul-oversigt-{people.dep_a}-2027-10-31@kompetenceportalen" in by_uid
    assert not any(f"-oversigt-{people.dep_b}-" in u for u in by_uid)
    assert sorted(by_uid) == sorted(e["UID"] for e in parse(client.get(url).data))
    # Escaping of commas and semicolons survives the round trip.
    wishes = by_uid[f"cycle-{people.home}-testaarshjul-kursusoensker-0-2026-10-01@kompetenceportalen"]
    assert "\\," in wishes["SUMMARY"] and "\\;" in wishes["SUMMARY"]
    assert unescape(wishes["SUMMARY"]) == ("Hver medarbejder sender sine ønsker til næste år, med begrundelse; "
                                           "kort og konkret.")
    with app.app_context():
        assert db.session.scalar(select(CalendarToken.last_used_at)) is not None


def test_token_is_stored_only_as_a_hash_and_renewing_kills_the_old_url(app, people, login):
    client = login(people.employee_a)
    first = _subscribe(client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        stored = db.session.scalars(select(CalendarToken.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()] and token not in stored
    page = client.get("/cycle/kalender").get_data(as_text=True)
    assert token not in page and "aktivt kalenderlink" in page
    second = _subscribe(client)
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post("/cycle/kalender/slet")
    assert client.get(second).status_code == 404
    with app.app_context():
        assert len(db.session.scalars(select(CalendarToken)).all()) == 2  # history kept, both revoked


def test_invalid_revoked_or_departed_tokens_get_the_same_404(app, people, login, client):
    url = _subscribe(login(people.employee_a))
    client.post("/auth/logout")
    unknown = client.get("/cycle/feed/" + "x" * 43 + ".ics")
    assert unknown.status_code == 404
    assert client.get("/cycle/feed/" + "y" * 500 + ".ics").status_code == 404
    with app.app_context():
        db.session.get(User, people.ids["employee_a"]).left_on = date(2026, 9, 1)
        db.session.commit()
    departed = client.get(url)
    assert departed.status_code == 404

    def without_csrf(response) -> str:
        return re.sub(r'name="csrf-token" content="[^"]*"', "", response.get_data(as_text=True))

    unknown = client.get("/cycle/feed/" + "x" * 43 + ".ics")  # the first 404 page also carried the logout flash
    assert without_csrf(departed) == without_csrf(unknown)


def test_done_tasks_are_marked_and_the_download_needs_a_login(app, people, import_guidelines, login, client):
    import_guidelines()
    from app import signals

    with app.app_context():
        signals.wish_submitted.send(home_id=people.home, user_id=people.ids["employee_a"], year=2026,
                                    on=date(2026, 9, 25))
        db.session.commit()
    assert client.get("/cycle/kalender/aarshjul.ics?aar=2026").status_code == 302
    own = login(people.employee_a).get("/cycle/kalender/aarshjul.ics?aar=2026")
    assert own.status_code == 200 and 'filename="aarshjul-2026.ics"' in own.headers["Content-Disposition"]
    events = {e["UID"].split("@")[0]: e for e in parse(own.data)}
    wishes = f"cycle-{people.home}-testaarshjul-kursusoensker-0-2026-10-01"
    assert unescape(events[wishes]["SUMMARY"]).startswith("Udført: ")
    assert all(e["DTSTART;VALUE=DATE"].startswith("2026") for e in events.values())
    other = {e["UID"].split("@")[0]: e for e in parse(login(people.employee_b).get(
        "/cycle/kalender/aarshjul.ics?aar=2026").data)}
    assert not unescape(other[wishes]["SUMMARY"]).startswith("Udført")


def test_folding_never_splits_a_character_and_escaping():
    line = "SUMMARY:" + "æøå" * 40
    folded = fold(line)
    parts = folded.encode().split(b"\r\n")
    assert all(len(p) <= 75 for p in parts) and all(p.startswith(b" ") for p in parts[1:])
    assert "".join(p.decode()[1:] if i else p.decode() for i, p in enumerate(parts)) == line
    assert fold("SHORT:x") == "SHORT:x"
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_fetching_the_feed_notes_when_but_keeps_cached_pages(app, people, import_guidelines, login):
    """Outlook polls the feed often: it records when, without counting as a change to the data (app/cache.py)."""
    from app import cache

    import_guidelines()
    client = login(people.leader_a)
    url = _subscribe(client)
    with app.app_context():
        before = cache.current_version()
    assert client.get(url).status_code == 200
    with app.app_context():
        assert cache.current_version() == before
        assert db.session.scalar(select(CalendarToken.last_used_at)) is not None


def test_feed_links_use_the_configured_address_never_the_host_header(app, people, import_guidelines, login,
                                                                    monkeypatch):
    import_guidelines()
    monkeypatch.setitem(app.config, "BASE_URL", "https://kompetence.example.dk/")
    client = login(people.leader_a)
    page = client.post("/cycle/kalender/link").get_data(as_text=True)  # asked for at http://localhost
    feed_url = FEED.search(page).group(1)
    assert feed_url.startswith("https://kompetence.example.dk/cycle/feed/") and "http://localhost" not in page
    client.post("/auth/logout")
    for response in (client.get(urlsplit(feed_url).path, headers={"Host": "evil.example"}),
                     client.get(urlsplit(feed_url).path, base_url="http://evil.example")):
        assert response.status_code == 200
        urls = [e["URL"] for e in parse(response.data) if "URL" in e]
        assert urls and all(u.startswith("https://kompetence.example.dk/") for u in urls)
