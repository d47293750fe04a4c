"""Logged-in sessions for the benchmarks: over HTTP (urllib, against gunicorn) and over the Flask test client.

Both expose ``get(path, email=None) -> (status, text)``, which is what page modules' ``resolve`` use, and
``login(email)``. Logging in reads the CSRF token from the login page (the hidden ``csrf_token`` input, or
the ``<meta name="csrf-token">`` tag) and posts ``email``, ``password`` and ``csrf_token``.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

DEMO_PASSWORD = "demo1234"
LOGIN_PATH = "/auth/login"


class LoginFailed(Exception):
    pass


class _CsrfParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.token:
            return
        if tag == "input" and a.get("name") == "csrf_token" and a.get("value"):
            self.token = a["value"]
        elif tag == "meta" and a.get("name") == "csrf-token" and a.get("content"):
            self.token = a["content"]


def csrf_token(html: str) -> str:
    parser = _CsrfParser()
    parser.feed(html)
    if not parser.token:
        raise LoginFailed("no csrf_token input or csrf-token meta tag on the login page")
    return parser.token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpSessions:
    """One cookie jar per login e-mail, against a running server at base_url."""

    def __init__(self, base_url: str, password: str = DEMO_PASSWORD, timeout: float = 60):
        self.base_url = base_url.rstrip("/")
        self.password = password
        self.timeout = timeout
        self._jars: dict[str | None, http.cookiejar.CookieJar] = {}

    def _jar(self, email: str | None) -> http.cookiejar.CookieJar:
        if email not in self._jars:
            self._jars[email] = http.cookiejar.CookieJar()
        return self._jars[email]

    def _open(self, email, path, data=None, follow=True):
        handlers = [urllib.request.HTTPCookieProcessor(self._jar(email))]
        if not follow:
            handlers.append(_NoRedirect())
        opener = urllib.request.build_opener(*handlers)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return response.status, response.geturl(), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode("utf-8", "replace")

    def login(self, email: str) -> None:
        jar = self._jar(email)
        jar.clear()
        status, _, html = self._open(email, LOGIN_PATH)
        if status != 200:
            raise LoginFailed(f"GET {LOGIN_PATH} answered {status}")
        form = {"email": email, "password": self.password, "csrf_token": csrf_token(html)}
        status, url, _ = self._open(email, LOGIN_PATH, data=form)
        path = urllib.parse.urlsplit(url).path
        if status != 200 or path.startswith(LOGIN_PATH):
            raise LoginFailed(f"login as {email} failed ({status}, ended at {path})")
        self._jars[email] = jar

    def get(self, path: str, email: str | None = None) -> tuple[int, str]:
        if email is not None and not self.logged_in(email):
            self.login(email)
        status, _, text = self._open(email, path, follow=False)
        return status, text

    def logged_in(self, email: str) -> bool:
        return email in self._jars and len(self._jars[email]) > 0

    def cookie_header(self, email: str | None) -> str:
        """The Cookie header a logged-in browser would send (for the load generator)."""
        if email is None:
            return ""
        if not self.logged_in(email):
            self.login(email)
        return "; ".join(f"{c.name}={c.value}" for c in self._jars[email])


class ClientSessions:
    """The same, in-process, with one Flask test client per login e-mail."""

    def __init__(self, app, password: str = DEMO_PASSWORD):
        self.app = app
        self.password = password
        self._clients: dict[str | None, object] = {}

    def login(self, email: str) -> None:
        client = self.app.test_client()
        response = client.get(LOGIN_PATH)
        if response.status_code != 200:
            raise LoginFailed(f"GET {LOGIN_PATH} answered {response.status_code}")
        html = response.get_data().decode("utf-8", "replace")
        form = {"email": email, "password": self.password, "csrf_token": csrf_token(html)}
        response = client.post(LOGIN_PATH, data=form)
        location = response.headers.get("Location", "")
        if response.status_code not in (302, 303) or urllib.parse.urlsplit(location).path.startswith(LOGIN_PATH):
            raise LoginFailed(f"login as {email} failed ({response.status_code}, location {location!r})")
        self._clients[email] = client

    def client(self, email: str | None):
        if email not in self._clients:
            if email is None:
                self._clients[None] = self.app.test_client()
            else:
                self.login(email)
        return self._clients[email]

    def get(self, path: str, email: str | None = None) -> tuple[int, str]:
        response = self.client(email).get(path)
        return response.status_code, response.get_data().decode("utf-8", "replace")  # PDFs, ICS too
