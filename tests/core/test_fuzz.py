"""Hostile input on every form, as every role: never a 500, never unescaped markup, never a forbidden change.

The forms are found the way a person finds them: by crawling the app from the dashboard as each demo role
and reading every <form> on every page. New features' forms are covered without changing this file.
"""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from tests.conftest import DEMO_EMAIL

ROLES = list(DEMO_EMAIL)
MARKER = "<script>fz(1)</script>"
HOSTILE = [
    MARKER, '"><img src=x onerror=fz(2)>', "javascript:fz(3)", "'; DROP TABLE users; --", "1 OR 1=1",
    "\x00\x01\x1b[31m", "A" * 5000, "-1", "0", "99999999999999999999", "1e309", "NaN", "2026-02-31",
    "0001-01-01", "9999-12-31", "31-12-2026", "", " ", "ÆØÅ æøå", "010190-1234", "../../etc/passwd",
]
#: Pages not to follow while crawling: logging out would end the crawl; exports are not forms.
SKIP_PATHS = ("/auth/logout",)
MAX_PAGES_PER_ROLE = 60
#: Forms of other roles each role tries in the cross-role check (a deterministic sample).
CROSS_ROLE_SAMPLE = 12


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": {}}
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", tag)
            if kind in ("submit", "button", "file"):
                return
            self._form["fields"].setdefault(a["name"], {"type": kind, "options": [], "value": a.get("value", "")})
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._form is not None and self._select:
            self._form["fields"][self._select]["options"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def _endpoint(app, path):
    try:
        return app.url_map.bind("localhost").match(path)[0]
    except Exception:  # noqa: BLE001 - unknown paths are simply not crawled
        return None


def _crawl(app, client) -> tuple[list[dict], set[str]]:
    """Visit up to MAX_PAGES_PER_ROLE pages (one or two per endpoint); return the POST forms and pages seen."""
    seen_per_endpoint: dict[str, int] = {}
    queue, visited, forms = ["/"], set(), []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in visited or path.startswith(SKIP_PATHS):
            continue
        endpoint = _endpoint(app, path)
        if endpoint is None or seen_per_endpoint.get(endpoint, 0) >= 2:
            continue
        seen_per_endpoint[endpoint] = seen_per_endpoint.get(endpoint, 0) + 1
        visited.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _FormParser()
        parser.feed(response.get_data(as_text=True))
        for href in parser.links:
            target = urljoin(url, href)
            if urlsplit(target).netloc in ("", "localhost") and urlsplit(target).path.startswith("/"):
                queue.append(urlsplit(target).path + (f"?{urlsplit(target).query}" if urlsplit(target).query else ""))
        for form in parser.forms:
            if form["method"] == "post":
                form["action"] = urlsplit(urljoin(url, form["action"] or url)).path
                form["page"] = url
                if not form["action"].startswith(SKIP_PATHS):
                    forms.append(form)
    return forms, visited


def _fingerprint(app) -> str:
    digest = hashlib.sha256()
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if table.name in ("audit_entries", "login_attempts", "login_sessions") or "access_log" in table.name:
                continue
            digest.update(repr(connection.execute(select(table).order_by(*table.primary_key.columns)).all()).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def _forms_by_role(app, _demo_rows):
    """Crawl once per module: the demo's ids are the same in every test, so the forms stay valid."""
    from tests.conftest import AuthActions, _empty_tables, copy_demo

    copy_demo(app, _demo_rows)
    forms = {}
    for role in ROLES:
        client = app.test_client()
        AuthActions(client).login(role)
        forms[role], _ = _crawl(app, client)
    _empty_tables(app)
    return forms


@pytest.fixture
def crawled(app, demo, make_client, _forms_by_role):
    return {role: make_client(role) for role in ROLES}, _forms_by_role


def _value(data, field):
    options = [o for o in field["options"] if o]
    if field["type"] == "hidden" and field["value"]:
        return data.draw(st.sampled_from([field["value"], *HOSTILE[:4]]))
    choices = st.sampled_from(HOSTILE) | st.text(max_size=40)
    if options:
        choices = st.sampled_from(options) | choices
    return data.draw(choices)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(data=st.data())
def test_hostile_input_on_every_form_as_every_role(app, crawled, data):
    clients, forms = crawled
    role = data.draw(st.sampled_from([r for r in ROLES if forms[r]]))
    form = data.draw(st.sampled_from(forms[role]))
    payload = {name: _value(data, field) for name, field in form["fields"].items() if name != "csrf_token"}
    response = clients[role].post(form["action"], data=payload)
    assert response.status_code < 500, (role, form["action"], payload)
    html = response.get_data(as_text=True)
    assert MARKER not in html and "<img src=x onerror" not in html, (role, form["action"])
    if response.status_code == 302:
        target = clients[role].get(response.headers["Location"])
        assert target.status_code < 500
        assert MARKER not in target.get_data(as_text=True)


def test_forms_a_role_cannot_see_cannot_be_posted_by_it(app, crawled):
    """Every form found by some role is posted, with plausible values, by each role that never saw it.
    A refusal (403/404/405) must leave the database exactly as it was: nothing half-done before the check."""
    clients, forms = crawled
    all_forms = {(f["action"]): f for role in ROLES for f in forms[role]}
    checked = 0
    for role in ROLES:
        own = {f["action"] for f in forms[role]}
        unseen = sorted(action for action in all_forms if action not in own)
        step = max(len(unseen) // CROSS_ROLE_SAMPLE, 1)
        for action in unseen[::step][:CROSS_ROLE_SAMPLE]:
            form = all_forms[action]
            payload = {name: (field["options"][-1] if field["options"] else field["value"] or "2026-01-01")
                       for name, field in form["fields"].items() if name != "csrf_token"}
            before = _fingerprint(app)
            response = clients[role].post(action, data=payload)
            assert response.status_code < 500, (role, action)
            if response.status_code in (403, 404, 405):
                assert _fingerprint(app) == before, (role, action)
            checked += 1
    assert checked > 0
