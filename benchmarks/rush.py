"""The deadline rush: 200 employees send a course wish in the last minute before the wish deadline closes.

For SQLite (WAL) and PostgreSQL in turn:
1. a fresh database made with `flask db upgrade` and `flask demo --scale region`, built as on 1 October (the demo home's
   wish deadline; the real deadline is read from the first home's settings);
2. gunicorn with the production settings (gunicorn.conf.py: gthread workers with threads) and 4 workers,
   --preload so every worker shares one clock, which starts when the server is ready (its when_ready hook),
   window/2 + 8 s before the deadline (23:59:59.999999 Europe/Copenhagen): the clock is set relative to
   when the rush really starts, so a slow start-up cannot move the deadline out of the window;
3. 200 permanent employees (not leaders) of the first home that has so many (the demo home itself has ~45,
   each region home ~600) log in and open the wish form (CSRF token from the page) earlier that evening,
   on a server whose clock starts at 23:30; the rush server then starts, and its when_ready hook reports the
   clock's offset (checked afterwards against 8 more people's login_sessions.created_at and the client's
   send/receive times);
4. each posts one wish through the real form, at moments spread over ~60 seconds around the deadline
   (half of them evenly, half bunched within 2 seconds of it);
5. the database is checked: every accepted wish stored once, none lost or duplicated, none stored for a
   refused post, every stored submitted_at at or before the deadline, every refusal the Danish deadline
   message, and the client's timings agree with the server's side of the deadline; no post sent before the
   deadline was refused (for queueing past it).

PostgreSQL: a scratch database on the server of BENCH_PG_URL or TEST_DATABASE_URL (created and dropped),
else a throwaway cluster from scripts/pg-throwaway.sh. Run alone: `.venv/bin/python benchmarks/rush.py`
(`--engines sqlite` for one engine, `--json FILE` for the figures, `--no-request-start` to leave out the proxy's
X-Request-Start header, which the deployment in the README sets). Exit status 1 when an invariant fails.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "demo1234"
WORKERS = 4
EMPLOYEES = 200
PROBES = 8
#: Seconds from the server being ready (its clock starting) to the first post of the window.
LEAD_S = 8.0
WINDOW_S = 60.0
TITLE_PREFIX = "Rush-ønske"
REFUSAL = "Fristen for ønsker til"

#: The server trusts one proxy hop, and each bench client sends its own X-Forwarded-For address (client_address),
#: as people behind the production proxy would arrive: the login throttle (app/auth/throttle.py) judges tries per
#: address. Every request carries X-Request-Start as the README's proxy sets it (unless --no-request-start:
#: then the deadline is judged by when a worker thread took the request, and time queued before that is lost).
PROXIED = {"KP_TRUSTED_PROXIES": "1"}


#: Every request carries the proxy's X-Request-Start header (the time it was sent); off with --no-request-start.
REQUEST_START = [True]


def client_address(number: int) -> str:
    """A distinct private address per bench client (10.20.x.y)."""
    return f"10.20.{number // 250 % 250}.{number % 250 + 1}"

GUNICORN_CONF = '''
# The production settings (gunicorn.conf.py: gthread workers, its start-up check and log filters), then the
# rush's own (on the command line): the worker count, --preload (one clock for every worker), and here the
# moment the clock starts from.
import os as _os

with open(_os.path.join(_os.environ["KP_RUSH_ROOT"], "gunicorn.conf.py")) as _production:
    exec(compile(_production.read(), "gunicorn.conf.py", "exec"))  # noqa: S102 - the project's own file


def when_ready(server):
    """Start the clock when the server can take requests (in the master, before the workers fork, so every
    worker shares it): the rush's clock runs from the moment it really starts, however slow the start-up was."""
    start = _os.environ.get("KP_RUSH_CLOCK_FROM")
    if start:
        from datetime import datetime

        import json
        import time

        from app import clock

        clock.run_from(datetime.fromisoformat(start))
        with open(_os.environ["KP_RUSH_READY_FILE"], "w") as ready:
            json.dump({"offset_s": clock.now().timestamp() - time.time()}, ready)


def post_fork(server, worker):
    """The app was built once in the master (--preload, one shared clock); no connection crosses the fork."""
    import wsgi
    from app.extensions import db

    with wsgi.app.app_context():
        db.engine.dispose(close=False)
'''


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    completed = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"flask {' '.join(args)} failed with exit status {completed.returncode}")
    return completed.stdout


def script(env: dict, code: str, *args: str) -> str:
    """Run a Python snippet against the database in DATABASE_URL; return its last line of output."""
    completed = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True,
                               text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit("a helper script failed")
    return completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ""


# Read from the built database, in a child process (the app reads DATABASE_URL from its environment).
FACTS = r'''
import json, sys
from sqlalchemy import select
from app import create_app
from app.extensions import db
from app.people.models import Home, User
from app.people.constants import EmploymentType
from app.competence.models import DepartmentOverview, wish_deadline

app = create_app()
with app.app_context():
    year, wanted = int(sys.argv[1]), int(sys.argv[2])
    for home in db.session.scalars(select(Home).order_by(Home.id)):
        deadline = wish_deadline(home, year + 1)
        locked = set(db.session.scalars(select(DepartmentOverview.department_id).where(
            DepartmentOverview.home_id == home.id, DepartmentOverview.year == year + 1,
            DepartmentOverview.forwarded_at.is_not(None))))
        people = db.session.scalars(select(User).where(
            User.home_id == home.id, User.employment_type == EmploymentType.PERMANENT,
            User.is_disabled.is_(False), User.left_on.is_(None)).order_by(User.id)).all()
        chosen = [{"id": p.id, "email": p.email} for p in people
                  if p.department_ids and not p.is_leader and not p.must_set_password
                  and not (set(p.department_ids) & locked)]
        if len(chosen) >= wanted:
            break
    print(json.dumps({"home": home.name, "deadline": deadline.isoformat(), "people": chosen}))
'''

RESULTS = r'''
import json, sys
from sqlalchemy import select
from app import create_app
from app.extensions import db
from app.auth.models import LoginSession
from app.competence.models import CourseWish

app = create_app()
with app.app_context():
    ids = json.loads(sys.argv[1])
    wishes = db.session.execute(select(CourseWish.user_id, CourseWish.submitted_at, CourseWish.title).where(
        CourseWish.user_id.in_(ids), CourseWish.title.like(sys.argv[2] + "%"))).all()
    sessions = db.session.execute(select(LoginSession.user_id, LoginSession.created_at).where(
        LoginSession.user_id.in_(ids))).all()
    def iso(moment):
        return moment.isoformat() if moment.tzinfo else moment.isoformat() + "+00:00"
    print(json.dumps({"wishes": [[u, iso(s), t] for u, s, t in wishes],
                      "sessions": [[u, iso(c)] for u, c in sessions]}))
'''


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Person:
    id: int
    email: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    login_sent: float = 0.0
    login_received: float = 0.0
    form: dict = field(default_factory=dict)
    at: float = 0.0  # planned real send time (time.time())
    sent: float = 0.0
    received: float = 0.0
    status: int = 0
    outcome: str = ""  # accepted | refused | error
    detail: str = ""

    def open(self, base: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"User-Agent": "kp-rush", "X-Forwarded-For": client_address(self.id)}
        if REQUEST_START[0]:  # as nginx's `proxy_set_header X-Request-Start "t=${msec}"` would
            headers["X-Request-Start"] = f"t={time.time():.3f}"
        request = urllib.request.Request(base + path, data=body, headers=headers)
        try:
            with opener.open(request, timeout=120) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode("utf-8", "replace")


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def department_choice(html: str) -> str:
    select_html = re.search(r'<select[^>]*name="department_id".*?</select>', html, re.S)
    if not select_html:
        raise RuntimeError("no department field on the wish form")
    return re.search(r'value="(\d+)"', select_html.group(0)).group(1)


def parallel(items, func, threads: int = 16) -> list:
    """func(item) for every item on a few threads; results in order; the first error is raised."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(func, items))


class Server:
    def __init__(self, env: dict, log_path: Path):
        self.port = free_port()
        conf = log_path.parent / "gunicorn_conf.py"
        conf.write_text(GUNICORN_CONF)
        self.log_path = log_path
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--preload", "--config", str(conf),
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=dict(env, KP_RUSH_ROOT=str(ROOT), **PROXIED), stdout=self._log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.base + "/auth/login", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.stderr.write(self.log_path.read_text())
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def rush(engine: str, url: str, tmp: Path, base_env: dict, employees: int, window: float) -> dict:
    """One rush against one database; returns the figures and the list of violated invariants."""
    from app import clock

    env = dict(base_env, DATABASE_URL=url)
    env.pop("KP_FAKE_TODAY", None)
    env.pop("KP_CRASH_AT", None)
    year = clock.today().year
    log(f"== {engine}: building the region demo as on 1 October {year}")
    build_env = dict(env, KP_FAKE_TODAY=f"{year}-10-01")
    flask(build_env, "db", "upgrade")
    started = time.perf_counter()
    flask(build_env, "demo", "--scale", "region")
    log(f"flask demo --scale region: {time.perf_counter() - started:.1f} s")
    facts = json.loads(script(build_env, FACTS, str(year), str(employees)))
    deadline_day = date.fromisoformat(facts["deadline"])
    deadline = clock.end_of_day(deadline_day)
    if len(facts["people"]) < employees + PROBES:
        raise SystemExit(f"no home has {employees + PROBES} permanent employees (the last has {len(facts['people'])})")
    log(f"{employees} permanent employees of {facts['home']}, the first home with that many")
    people = [Person(p["id"], p["email"]) for p in facts["people"][:employees]]
    probes = [Person(p["id"], p["email"]) for p in facts["people"][employees:employees + PROBES]]
    requests = 0

    def login(person: Person, form: bool = True) -> None:
        status, _, html = person.open(server.base, "/auth/login")
        person.login_sent = time.time()
        status, location, _ = person.open(server.base, "/auth/login", {
            "email": person.email, "password": PASSWORD, "csrf_token": csrf(html)})
        person.login_received = time.time()
        if status != 302 or "/auth/login" in location:
            raise RuntimeError(f"login as {person.email} failed ({status})")
        if not form:
            return
        status, _, html = person.open(server.base, "/competence/wishes/new")
        if status != 200:
            raise RuntimeError(f"wish form for {person.email} answered {status}")
        person.form = {
            "csrf_token": csrf(html), "department_id": department_choice(html), "year": str(year + 1),
            "kind": "course", "title": f"{TITLE_PREFIX} {person.id}", "provider": "UC Syd",
            "cost": "4.500,00", "days": "2", "hours": "", "version": "",
            "responsibility_areas": "Kommunikation og dokumentation", "reason": "Fristen er i aften."}

    # Logging 200 people in takes longer than the last minute, so they log in and open the form earlier
    # that evening; sessions live in the database and the form's CSRF token has no time limit, so both
    # outlast the restart into the last minute. Half an hour before: well inside the sessions' idle limit
    # (KP_SESSION_IDLE_MINUTES, 120 by default; from 20:00 every post was sent back to the login page).
    evening = f"{deadline_day.isoformat()}T23:30:00"
    server = Server(dict(env, KP_FAKE_TODAY=evening), tmp / engine / "evening.log")
    try:
        server.wait_ready()
        started = time.perf_counter()
        parallel(people, login)
        requests += 3 * len(people)
        log(f"{len(people)} logins and wish forms (KP_FAKE_TODAY={evening}): {time.perf_counter() - started:.1f} s")
    finally:
        server.stop()

    # The clock starts when the server is ready (when_ready in GUNICORN_CONF), window/2 + LEAD_S before the
    # deadline, and the hook writes the offset it set (server clock - real clock) to a file: the window opens
    # LEAD_S after the server can take requests, however slow its start-up (preload, imports, a busy machine).
    lead = timedelta(seconds=window / 2 + LEAD_S)
    fake_start = (deadline + timedelta(microseconds=1) - lead).astimezone(clock.TZ).replace(tzinfo=None).isoformat()
    ready_file = tmp / engine / "clock.json"
    server = Server(dict(env, KP_FAKE_TODAY=fake_start, KP_RUSH_CLOCK_FROM=fake_start,
                         KP_RUSH_READY_FILE=str(ready_file)), tmp / engine / "rush.log")
    log(f"gunicorn {WORKERS} gthread workers, clock from {fake_start} once ready; deadline {deadline.isoformat()} UTC")
    try:
        server.wait_ready()
        offset = json.loads(ready_file.read_text())["offset_s"]
        low = high = offset
        deadline_real = deadline.timestamp() - offset
        log(f"deadline in {deadline_real - time.time():.1f} s")

        lead_left = deadline_real - window / 2 - time.time()
        first = max(time.time() + 1.0, deadline_real - window / 2)
        last = deadline_real + window / 2
        even, bunched = people[: len(people) // 2], people[len(people) // 2:]
        for index, person in enumerate(even):
            person.at = first + (last - first) * index / max(1, len(even) - 1)
        for index, person in enumerate(bunched):
            person.at = deadline_real - 2.0 + 4.0 * index / max(1, len(bunched) - 1)

        def post(person: Person) -> None:
            time.sleep(max(0.0, person.at - time.time()))
            person.sent = time.time()
            try:
                status, location, html = person.open(server.base, "/competence/wishes/new", person.form)
            except OSError as error:
                person.status, person.outcome, person.detail = 0, "error", str(error)
                return
            finally:
                person.received = time.time()
            person.status = status
            if status == 302 and urllib.parse.urlsplit(location).path.rstrip("/") == "/competence":
                person.outcome = "accepted"
            elif status == 400 and REFUSAL in html:
                person.outcome = "refused"
            else:
                person.outcome, person.detail = "error", f"{status} {location} {html[:200]!r}"

        threads = [threading.Thread(target=post, args=(p,)) for p in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        requests += len(people)
        # Cross-check the offset the hook reported: each probe's login_sessions.created_at (server clock) lies
        # between the client's send and receive times, so the offset lies in [probe_low, probe_high].
        for probe in probes:
            login(probe, form=False)
        requests += 2 * len(probes)
    finally:
        server.stop()
    stamps = json.loads(script(env, RESULTS, json.dumps([p.id for p in probes]), TITLE_PREFIX))
    created = {user_id: parse_utc(moment).timestamp() for user_id, moment in stamps["sessions"]}
    probe_low = max(created[p.id] - p.login_received for p in probes)
    probe_high = min(created[p.id] - p.login_sent for p in probes)

    rows = json.loads(script(env, RESULTS, json.dumps([p.id for p in people]), TITLE_PREFIX))["wishes"]
    stored: dict[int, list[datetime]] = {}
    for user_id, moment, _title in rows:
        stored.setdefault(user_id, []).append(parse_utc(moment))

    accepted = [p for p in people if p.outcome == "accepted"]
    refused = [p for p in people if p.outcome == "refused"]
    failed = [p for p in people if p.outcome == "error"]
    lost = [p for p in accepted if p.id not in stored]
    duplicated = [uid for uid, moments in stored.items() if len(moments) > 1]
    phantom = [p for p in refused + failed if p.id in stored]
    late_rows = [uid for uid, moments in stored.items() if any(m > deadline for m in moments)]
    # The server decided between send and receive: an accepted post was sent by the deadline, a refused
    # one was answered after it (on the server's clock, within the offset's uncertainty).
    accepted_sent_late = [p for p in accepted if p.sent + low > deadline.timestamp()]
    refused_answered_early = [p for p in refused if p.received + high <= deadline.timestamp()]
    # Posts surely sent before the deadline but refused: they waited past it in a queue (issue 19: none may).
    refused_sent_early = [p for p in refused if p.sent + high < deadline.timestamp()]
    server_errors = sum(path.read_text().count("Traceback") for path in (tmp / engine).glob("*.log"))
    latencies = [(p.received - p.sent) * 1000 for p in people if p.sent]
    last_accepted = max((m for ms in stored.values() for m in ms), default=None)
    figures = {
        "engine": engine, "employees": len(people), "workers": WORKERS, "requests": requests,
        "posts": len(people), "errors": len(failed), "server_tracebacks": server_errors,
        "accepted": len(accepted), "refused": len(refused), "lost": len(lost), "duplicated": len(duplicated),
        "stored_for_refused": len(phantom), "stored_after_deadline": len(late_rows),
        "accepted_sent_after_deadline": len(accepted_sent_late),
        "refused_answered_before_deadline": len(refused_answered_early),
        "refused_sent_before_deadline": len(refused_sent_early),
        "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies, default=float("nan")),
        "window_s": round(max(p.sent for p in people) - min(p.sent for p in people), 1),
        "clock_uncertainty_ms": round((probe_high - probe_low) * 1000, 1),
        "lead_left_s": round(lead_left, 1),
        "last_accepted_at": last_accepted.isoformat() if last_accepted else None,
        "deadline": deadline.isoformat(),
    }
    violations = []
    for key in ("errors", "server_tracebacks", "lost", "duplicated", "stored_for_refused", "stored_after_deadline",
                "accepted_sent_after_deadline", "refused_answered_before_deadline", "refused_sent_before_deadline"):
        if figures[key]:
            violations.append(f"{engine}: {key} = {figures[key]}")
    if not probe_low - 0.005 <= offset <= probe_high + 0.005:
        violations.append(f"{engine}: the server's clock is not the offset its hook reported ({offset:.3f} s "
                          f"outside the probes' [{probe_low:.3f}, {probe_high:.3f}])")
    if lead_left < 1.0:
        violations.append(f"{engine}: the rush started {-lead_left + 1:.1f} s late (window cut short)")
    if not accepted or not refused:
        violations.append(f"{engine}: the deadline did not fall inside the window "
                          f"({len(accepted)} accepted, {len(refused)} refused)")
    for person in failed[:5]:
        log(f"  error for {person.email}: {person.detail}")
    figures["violations"] = violations
    return figures


class Postgres:
    """A scratch database on a given server, or a throwaway cluster."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.server_url = os.environ.get("BENCH_PG_URL") or os.environ.get("TEST_DATABASE_URL") or ""
        self.cluster: Path | None = None
        self.name = "kp_rush_" + os.urandom(4).hex()

    def start(self) -> str:
        if not self.server_url:
            self.cluster = self.tmp / "pg"
            self.tmp.chmod(0o755)
            out = subprocess.run(["scripts/pg-throwaway.sh", "start", str(self.cluster)], cwd=ROOT,
                                 capture_output=True, text=True, check=False, env=dict(os.environ,
                                                                                     KP_PG_DATABASE=self.name))
            if out.returncode != 0:
                sys.stderr.write(out.stderr)
                raise SystemExit("could not start a throwaway PostgreSQL")
            return out.stdout.strip().splitlines()[-1]
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self._url(self.name)

    def _url(self, database: str) -> str:
        parts = urllib.parse.urlsplit(self.server_url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + database))

    def _admin(self, statement: str) -> None:
        import psycopg

        url = self._url("postgres").replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(statement)

    def stop(self) -> None:
        if self.cluster is not None:
            subprocess.run(["scripts/pg-throwaway.sh", "stop", str(self.cluster)], cwd=ROOT, check=False)
        elif self.server_url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def fmt(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def summary_table(results: list[dict]) -> str:
    labels = [("requests", "requests (logins, forms, posts)"), ("posts", "wish posts"), ("errors", "errors"),
              ("server_tracebacks", "server tracebacks"), ("accepted", "accepted before the deadline"),
              ("refused", "refused after (Danish message)"), ("lost", "lost (accepted, no row)"),
              ("duplicated", "duplicated"), ("stored_for_refused", "stored although refused"),
              ("stored_after_deadline", "stored with submitted_at > deadline"),
              ("accepted_sent_after_deadline", "accepted but sent after the deadline"),
              ("refused_answered_before_deadline", "refused but answered before it"),
              ("refused_sent_before_deadline", "refused, sent before it but queued past it"),
              ("p50_ms", "p50 ms (post)"), ("p95_ms", "p95 ms (post)"), ("max_ms", "max ms (post)"),
              ("window_s", "window s"),
              ("lead_left_s", "s left before the window opened"),
              ("clock_uncertainty_ms", "probes' check of the clock, ms (width)")]
    headers = ["deadline rush", *(r["engine"] for r in results)]
    rows = [[label, *(fmt(r.get(key)) for r in results)] for key, label in labels]
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(line, widths, strict=True))).rstrip()
                     for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default=os.environ.get("BENCH_RUSH_ENGINES", "sqlite,postgresql"),
                        help="comma-separated: sqlite, postgresql (env BENCH_RUSH_ENGINES)")
    parser.add_argument("--employees", type=int, default=EMPLOYEES)
    parser.add_argument("--window", type=float, default=WINDOW_S, help="seconds around the deadline")
    parser.add_argument("--no-request-start", dest="request_start", action="store_false",
                        help="send no X-Request-Start (the README's proxy sets it): posts are judged by when a worker "
                             "thread took them")
    parser.add_argument("--json", default=os.environ.get("BENCH_RUSH_JSON", ""))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    REQUEST_START[0] = args.request_start

    tmp = Path(tempfile.mkdtemp(prefix="kp-rush-"))
    base_env = dict(os.environ, SECRET_KEY="kp-rush-" + os.urandom(8).hex(), PYTHONPATH=str(ROOT))
    base_env.pop("TEST_DATABASE_URL", None)
    results = []
    try:
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            (tmp / engine).mkdir()
            if engine == "sqlite":
                results.append(rush(engine, f"sqlite:///{tmp / engine / 'rush.db'}", tmp, base_env,
                                    args.employees, args.window))
            elif engine == "postgresql":
                pg = Postgres(tmp)
                url = pg.start()
                try:
                    results.append(rush(engine, url, tmp, base_env, args.employees, args.window))
                finally:
                    pg.stop()
            else:
                raise SystemExit(f"unknown engine {engine!r}")
    finally:
        if args.keep:
            log(f"(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    log("")
    log(f"== Deadline rush ({args.employees} employees, gunicorn {WORKERS} workers, ~{args.window:g} s around "
        f"the deadline, half of them within 2 s of it; "
        f"{'X-Request-Start sent' if args.request_start else 'no X-Request-Start: judged when a worker took it'})")
    log(summary_table(results))
    violations = [v for r in results for v in r["violations"]]
    log("Rush invariants: " + ("all hold" if not violations else "VIOLATED: " + "; ".join(violations)))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
