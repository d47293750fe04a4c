"""Helpers for the reliability tests: running things at the same moment, a fingerprint of every table, the app
in a child process (flask commands and a server) on the test database, and a cookie-keeping HTTP user."""

from __future__ import annotations

import hashlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sqlalchemy import select

from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def race(*calls, timeout: float = 60) -> list:
    """Run each call in its own thread, all released by one barrier; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing call did not finish"
    if errors:
        raise errors[0]
    return results


def fingerprint(app) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows (sorted), so any change anywhere shows."""
    result = {}
    with app.app_context():
        db.session.remove()
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                rows = sorted(repr(tuple(row)) for row in connection.execute(select(table)))
                result[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        db.session.remove()
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])


def child_env(app, **extra: str) -> dict:
    """The environment for the app in a child process, on the same database as the test."""
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="kp-reliability-test",
               PYTHONPATH=str(ROOT))
    for name in ("KP_CRASH_AT", "KP_FAKE_TODAY", "SMTP_HOST", "TEST_DATABASE_URL"):
        env.pop(name, None)
    env.update(extra)
    return env


def flask_command(env: dict, *args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


def run_flask(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(flask_command(env, *args), cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`flask run` (werkzeug, threaded) on 127.0.0.1 in a child process."""

    def __init__(self, env: dict, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            flask_command(env, "run", "--host", "127.0.0.1", "--port", str(self.port), "--no-reload",
                          "--no-debugger"), cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/auth/login", timeout=5):  # noqa: S310 - our own server
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("the server did not start:\n" + log_path.read_text())

    def wait(self, timeout: float = 30) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpUser:
    """One person's browser against a real server: cookies, CSRF tokens from the pages, no redirects followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(self.base_url + path, data=body), timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        status, html = self.request(path)
        assert status == 200, (path, status)
        match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
            r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, email: str, password: str) -> None:
        token = self.csrf("/auth/login")
        status, _ = self.request("/auth/login", {"email": email, "password": password, "csrf_token": token})
        assert status == 302, f"login as {email} answered {status}"
