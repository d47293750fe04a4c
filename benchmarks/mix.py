"""The 1 October mix (issue 19): the big home's key pages while its employees post course wishes at 200/min.

For each engine (SQLite by default; `--pg` adds PostgreSQL on a throwaway cluster, scripts/pg-throwaway.sh, or
a scratch database on BENCH_PG_URL's server):
1. a fresh database, `flask db upgrade` + `flask demo --scale region` (the demo home and 5 region homes,
   ~3,200 people) built as on 1 October; the pages and the writer are all in the big home (home 2, "Solsikken",
   ~630 people, the home of person1@home2.demo.dk);
2. gunicorn with the production settings (gunicorn.conf.py: gthread workers with its threads; `--workers`,
   default 2, on the command line) serving wsgi:app with its clock running from 10:00 on the wish deadline day,
   a second one, the same app and settings with `--post-workers` (default 1) workers of its own, taking the wish
   posts as the proxy described in gunicorn.conf.py routes them (`--post-workers 0` posts to the page workers),
   and a third with the same settings serving the floor (benchmarks/floor.py);
3. login sessions made once at the start, through the real login form: 20 distinct employees (the employee
   dashboard), the 4 department leaders (5 sessions each), the head (20 sessions: the home has one head), and
   40 more employees for the writer, each with its wish form open (CSRF token, department);
4. each round (three by default): the writer posts wishes through the real form (POST /competence/wishes/new
   with the form's CSRF token) at 200 a minute, open loop, from its own threads, for the whole round, timing the
   POST alone (the redirect it answers with is not followed; the page it leads to is the case "my wishes"); under it
   the floor is measured (at the start and the end of the round, latencies pooled), then every case in turn:
   20 client threads, one connection per request, each request from the next session of the page's pool (so
   no two concurrent requests share a session), `--seconds` per case after 4 unmeasured warm-up requests.
   The case "first view after login" logs a not yet used employee in for every request and times the first
   page (the dashboard) only;
5. after the last round: VmRSS and VmHWM of every gunicorn worker of the portal (/proc/PID/status), and the
   wishes stored in the database against the posts answered as accepted.

Reported per case: the median over the rounds of p95 ÷ that round's floor p95, its min–max, and the median
p95 in ms; flagged SLOW>10x above 10 (issue 19's target for key pages and the first view after login). The
posts: p50/p95 per round (median and min–max over rounds), p95 ÷ floor (target 5x), accepted, refused or
failed, and the rate reached. Run alone: `.venv/bin/python benchmarks/run.py --only mix` or
`.venv/bin/python benchmarks/mix.py [--pg] [--quick]`. Exit status 1 when a page or a post failed or a wish was
lost or duplicated (flags alone do not fail the run).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "demo1234"
HOST = "127.0.0.1"
TITLE_PREFIX = "Mix-ønske"
PAGE_FACTOR = 10.0  # key pages and the first view after login: p95 <= 10x the floor
POST_FACTOR = 5.0  # wish posts: p95 <= 5x the floor

#: (case, session pool, path). Pools: head, leader, employee; "fresh" logs a new employee in per request.
CASES = [
    ("dashboard head", "head", "/"),
    ("dashboard department leader", "leader", "/"),
    ("dashboard employee", "employee", "/"),
    ("employee list", "head", "/people/"),
    ("wish overview", "head", "/competence/wishes"),
    ("distribution", "head", "/competence/distribution"),
    ("children's checks", "head", "/children/checks"),
    ("guideline list", "head", "/guidelines/"),
    ("årshjul", "head", "/cycle/"),
    ("quality report", "head", "/quality/"),
    ("my wishes", "employee", "/competence/"),
    ("first view after login", "fresh", "/"),
]
#: Where a wish post leads (post-redirect-get): the writer times the POST alone and never follows the redirect;
#: the page it leads to is the case "my wishes" above, measured like every other page.
POST_PATH = "/competence/wishes/new"

# The big home's people, read from the built database in a child process (the app reads DATABASE_URL).
FACTS = r'''
import json, sys
from sqlalchemy import select
from app import create_app
from app.extensions import db
from app.people.models import Home, User
from app.people.constants import EmploymentType, Role
from app.competence.models import DepartmentOverview, wish_deadline

app = create_app()
with app.app_context():
    year = int(sys.argv[1])
    home = db.session.scalars(select(Home).order_by(Home.id).offset(1).limit(1)).one()
    locked = set(db.session.scalars(select(DepartmentOverview.department_id).where(
        DepartmentOverview.home_id == home.id, DepartmentOverview.year == year + 1,
        DepartmentOverview.forwarded_at.is_not(None))))
    people = db.session.scalars(select(User).where(User.home_id == home.id, User.is_disabled.is_(False),
                                                   User.left_on.is_(None)).order_by(User.id)).all()
    usable = [p for p in people if not p.must_set_password]
    print(json.dumps({
        "home": home.name, "deadline": wish_deadline(home, year + 1).isoformat(),
        "head": [p.email for p in usable if Role.HEAD in p.roles],
        "leader": [p.email for p in usable if Role.DEPARTMENT_LEADER in p.roles and Role.HEAD not in p.roles],
        "employee": [p.email for p in usable if not p.is_leader and p.employment_type == EmploymentType.PERMANENT
                     and p.department_ids and not (set(p.department_ids) & locked)],
    }))
'''

STORED = r'''
import json, sys
from sqlalchemy import func, select
from app import create_app
from app.extensions import db
from app.competence.models import CourseWish

app = create_app()
with app.app_context():
    rows = db.session.execute(select(CourseWish.title, func.count()).where(
        CourseWish.title.like(sys.argv[1] + " %")).group_by(CourseWish.title)).all()
    print(json.dumps({title: count for title, count in rows}))
'''


def log(message: str) -> None:
    print(message, flush=True)


def script(env: dict, code: str, *args: str) -> str:
    completed = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True,
                               text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit("a helper script failed")
    return completed.stdout.strip().splitlines()[-1]


# ---- HTTP: one connection per request, cookies kept by hand (thread-safe, no cookie jar) ----------------

_addresses = itertools.count(1)


def new_address() -> str:
    """Each login session comes from its own client address (X-Forwarded-For; see rush.PROXIED)."""
    from benchmarks.rush import client_address

    return client_address(next(_addresses))


@dataclass
class Session:
    cookies: dict
    address: str


def fetch(port: int, method: str, path: str, cookies: dict | None = None, form: dict | None = None,
          timeout: float = 120, address: str = "") -> tuple[int, dict, str]:
    headers = {"Connection": "close", "User-Agent": "kp-mix"}
    if address:
        headers["X-Forwarded-For"] = address
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                cookies[name.strip()] = value.strip()
        return response.status, {"Location": response.headers.get("Location", "")}, text
    finally:
        connection.close()


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def login(port: int, email: str) -> tuple[Session, str]:
    """A new login session for email, from a new address; returns it and where the login sent the browser."""
    session = Session({}, new_address())
    status, _, html = fetch(port, "GET", "/auth/login", session.cookies, address=session.address)
    if status != 200:
        raise RuntimeError(f"GET /auth/login answered {status}")
    status, headers, _ = fetch(port, "POST", "/auth/login", session.cookies,
                               {"email": email, "password": PASSWORD, "csrf_token": csrf(html)},
                               address=session.address)
    location = urllib.parse.urlsplit(headers["Location"]).path
    if status not in (302, 303) or location.startswith("/auth/login"):
        raise RuntimeError(f"login as {email} failed ({status}, to {location!r})")
    return session, location or "/"


@dataclass
class Writer:
    session: Session
    form: dict


def open_wish_form(port: int, email: str, year: int) -> Writer:
    session, _ = login(port, email)
    status, _, html = fetch(port, "GET", "/competence/wishes/new", session.cookies, address=session.address)
    if status != 200:
        raise RuntimeError(f"the wish form for {email} answered {status}")
    select_html = re.search(r'<select[^>]*name="department_id".*?</select>', html, re.S)
    if not select_html:
        raise RuntimeError("no department field on the wish form")
    department = re.search(r'value="(\d+)"', select_html.group(0)).group(1)
    return Writer(session, {
        "csrf_token": csrf(html), "department_id": department, "year": str(year + 1), "kind": "course",
        "provider": "UC Syd", "cost": "4.500,00", "days": "2", "hours": "", "version": "",
        "responsibility_areas": "Kommunikation og dokumentation", "reason": "Ønsket til næste år."})


def parallel(items, func, threads: int = 8) -> list:
    """func(item) for every item on a few threads; results in order (rush.parallel, with fewer threads)."""
    from benchmarks.rush import parallel as run_parallel

    return run_parallel(items, func, threads)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


# ---- the writer: wishes at a fixed rate, open loop ----------------------------------------------------

class WishWriter:
    """Posts wishes through the real form at `per_minute`, from its own threads, until stopped.

    Open loop: post i is due at start + i * 60 / per_minute whatever the earlier ones are doing (up to
    `threads` in flight; beyond that a post starts late, which `rate` shows)."""

    def __init__(self, port: int, writers: list[Writer], per_minute: float, first_number: int, threads: int = 64):
        self.port, self.writers, self.interval = port, writers, 60.0 / per_minute
        self.number = first_number
        self.threads = threads
        self.latencies: list[float] = []
        self.outcomes: dict[str, int] = {}
        self.accepted_titles: list[str] = []
        self.details: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._due = 0
        self._pool: list[threading.Thread] = []
        self.started = self.stopped = 0.0

    def start(self) -> None:
        self.started = time.perf_counter()
        self._pool = [threading.Thread(target=self._work, daemon=True) for _ in range(self.threads)]
        for thread in self._pool:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._pool:
            thread.join()
        self.stopped = time.perf_counter()

    def _claim(self) -> tuple[int, float] | None:
        with self._lock:
            index = self._due
            self._due += 1
            self.number += 1
            return index, self.number

    def _work(self) -> None:
        while not self._stop.is_set():
            index, number = self._claim()
            wait = self.started + index * self.interval - time.perf_counter()
            if wait > 0 and self._stop.wait(wait):
                return
            writer = self.writers[index % len(self.writers)]
            title = f"{TITLE_PREFIX} {number}"
            begun = time.perf_counter()
            try:
                status, headers, html = fetch(self.port, "POST", POST_PATH,
                                              dict(writer.session.cookies), dict(writer.form, title=title),
                                              address=writer.session.address)
            except (OSError, http.client.HTTPException) as error:
                status, headers, html = 0, {"Location": ""}, repr(error)
            elapsed = (time.perf_counter() - begun) * 1000
            where = urllib.parse.urlsplit(headers["Location"]).path.rstrip("/")
            outcome = "accepted" if status == 302 and where == "/competence" else "failed"
            with self._lock:
                self.latencies.append(elapsed)
                self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
                if outcome == "accepted":
                    self.accepted_titles.append(title)
                elif len(self.details) < 5:
                    self.details.append(f"{status} {where} {html[:160]!r}")

    @property
    def posts(self) -> int:
        return len(self.latencies)

    @property
    def per_minute(self) -> float:
        seconds = (self.stopped or time.perf_counter()) - self.started
        return self.posts / seconds * 60 if seconds else float("nan")


# ---- one case: C clients, one request at a time each, each request from the next session ---------------

@dataclass
class CaseResult:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)


def run_case(port: int, path: str, pool: list[Session] | None, fresh: FreshLogins | None, *, concurrency: int,
             seconds: float, max_requests: int, warmup: int = 0) -> CaseResult:
    """pool: logged-in sessions, used in turn; fresh: log a new session in per request instead."""
    result = CaseResult()
    lock = threading.Lock()
    counter = [0]
    measuring_from = [0.0]

    def one(index: int) -> tuple[int, float]:
        if fresh is not None:
            session, target = fresh.login()
        else:
            session, target = pool[index % len(pool)], path
        begun = time.perf_counter()
        try:
            status, _, _ = fetch(port, "GET", target, dict(session.cookies), address=session.address)
        except (OSError, http.client.HTTPException):
            status = 0
        return status, (time.perf_counter() - begun) * 1000

    def client(warm: bool) -> None:
        if warm:
            one(threading.get_ident())
            return
        while True:
            with lock:
                if counter[0] >= max_requests or (counter[0] >= concurrency
                                                  and time.perf_counter() - measuring_from[0] > seconds):
                    return
                index = counter[0]
                counter[0] += 1
            status, elapsed = one(index)
            with lock:
                result.latencies.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1

    if fresh is None:  # a few warm-up requests (a fresh login's first view is the measurement itself)
        threads = [threading.Thread(target=client, args=(True,)) for _ in range(min(warmup, concurrency))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    measuring_from[0] = time.perf_counter()
    threads = [threading.Thread(target=client, args=(False,)) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


class FreshLogins:
    """Employees not used elsewhere, logged in one by one as the "first view after login" case asks."""

    def __init__(self, port: int, emails: list[str]):
        self.port, self.emails = port, emails
        self._next = 0
        self._lock = threading.Lock()

    def login(self) -> tuple[Session, str]:
        with self._lock:
            email = self.emails[self._next % len(self.emails)]
            self._next += 1
        return login(self.port, email)


# ---- servers ------------------------------------------------------------------------------------------

def worker_memory(master_pid: int) -> list[dict]:
    """VmRSS and VmHWM (MB) of the gunicorn master's child processes (its workers)."""
    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent != master_pid:
                continue
            status = (entry / "status").read_text()
        except (OSError, ValueError, IndexError):
            continue
        values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
        workers.append({"pid": int(entry.name), "rss_mb": int(values.get("VmRSS", 0)) / 1024,
                        "hwm_mb": int(values.get("VmHWM", 0)) / 1024})
    return sorted(workers, key=lambda w: w["pid"])


def ratio_summary(values: list[float]) -> tuple[float, float, float]:
    clean = [v for v in values if v == v]
    if not clean:
        return float("nan"), float("nan"), float("nan")
    return statistics.median(clean), min(clean), max(clean)


def fmt(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(str(c).ljust(w) if i in (0, 1) or i == len(headers) - 1 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(line, widths, strict=True))).rstrip()
                     for line in lines)


def run_engine(engine: str, url: str, tmp: Path, base_env: dict, args) -> dict:
    from app import clock
    from benchmarks.run import Gunicorn, flask
    from benchmarks.rush import PROXIED

    env = dict(base_env, DATABASE_URL=url)
    for name in ("KP_FAKE_TODAY", "KP_CRASH_AT"):
        env.pop(name, None)
    year = clock.today().year
    build_env = dict(env, KP_FAKE_TODAY=f"{year}-10-01")
    log(f"== mix/{engine}: building the region demo as on 1 October {year}")
    flask(build_env, "db", "upgrade")
    seconds = flask(build_env, "demo", "--scale", "region")
    log(f"flask demo --scale region: {seconds:.1f} s")
    facts = json.loads(script(build_env, FACTS, str(year)))
    serve_env = dict(env, KP_FAKE_TODAY=f"{facts['deadline']}T10:00", **PROXIED)
    need = args.concurrency + args.writers + 1
    if not facts["head"] or not facts["leader"] or len(facts["employee"]) < need:
        raise SystemExit(f"{facts['home']} has too few people for the mix ({len(facts['employee'])} employees)")
    employees = facts["employee"]
    dashboard_people = employees[:args.concurrency]
    writer_people = employees[args.concurrency:args.concurrency + args.writers]
    fresh_people = employees[args.concurrency + args.writers:]

    portal = Gunicorn("wsgi:app", serve_env, args.workers, tmp / f"{engine}-portal.log")
    # The wish posts' own pool, as the proxy in gunicorn.conf.py's docstring routes them: the same app and settings
    # with its own workers, so a post never waits for a thread (or the GIL) behind slow pages.
    posts = (Gunicorn("wsgi:app", serve_env, args.post_workers, tmp / f"{engine}-posts.log")
             if args.post_workers else None)
    floor = Gunicorn("benchmarks.floor:app", serve_env, args.workers, tmp / f"{engine}-floor.log")
    figures: dict = {"engine": engine, "home": facts["home"], "workers": args.workers,
                     "post_workers": args.post_workers,
                     "concurrency": args.concurrency, "rounds": args.rounds, "seconds": args.seconds,
                     "rate_per_minute": args.rate, "cases": {}, "posts": [], "floor": []}
    try:
        portal.wait_ready("/auth/login")
        if posts is not None:
            posts.wait_ready("/auth/login")
        floor.wait_ready("/")
        started = time.perf_counter()

        def sessions(emails: list[str], count: int) -> list[Session]:
            # One thread per e-mail: the throttle answers 429 to tries of one account that overlap.
            by_email = parallel(emails, lambda e: [login(portal.port, e)[0] for _ in range(
                count // len(emails) + (emails.index(e) < count % len(emails)))])
            return [s for group in by_email for s in group]

        pools = {"head": sessions(facts["head"], args.concurrency),
                 "leader": sessions(facts["leader"], args.concurrency),
                 "employee": sessions(dashboard_people, len(dashboard_people))}
        writers = parallel(writer_people, lambda e: open_wish_form(portal.port, e, year))
        fresh = FreshLogins(portal.port, fresh_people)
        log(f"{sum(map(len, pools.values()))} sessions ({len(facts['head'])} head, {len(facts['leader'])} "
            f"department leaders, {len(dashboard_people)} employees) and {len(writers)} wish forms: "
            f"{time.perf_counter() - started:.1f} s")

        number = 0
        per_case: dict[str, list[CaseResult]] = {name: [] for name, _pool, _path in CASES}
        for round_number in range(1, args.rounds + 1):
            writer = WishWriter((posts or portal).port, writers, args.rate, number)
            writer.start()
            floor_latencies: list[float] = []
            floor_run = run_case(floor.port, "/", [Session({}, "")], None, concurrency=args.concurrency,
                                 seconds=args.floor_seconds, max_requests=args.max_requests)
            floor_latencies += floor_run.latencies
            results: dict[str, CaseResult] = {}
            for name, pool, path in CASES:
                results[name] = run_case(portal.port, path, pools.get(pool), fresh if pool == "fresh" else None,
                                         concurrency=args.concurrency, seconds=args.seconds,
                                         max_requests=args.max_requests, warmup=args.warmup)
                per_case[name].append(results[name])
            floor_run = run_case(floor.port, "/", [Session({}, "")], None, concurrency=args.concurrency,
                                 seconds=args.floor_seconds, max_requests=args.max_requests)
            floor_latencies += floor_run.latencies
            writer.stop()
            number = writer.number
            floor_p95 = percentile(floor_latencies, 95)
            figures["floor"].append({"p50_ms": percentile(floor_latencies, 50), "p95_ms": floor_p95,
                                     "n": len(floor_latencies)})
            for name, result in results.items():
                figures["cases"].setdefault(name, []).append({
                    "n": len(result.latencies), "p50_ms": percentile(result.latencies, 50),
                    "p95_ms": percentile(result.latencies, 95), "failed": result.failed,
                    "statuses": result.statuses, "ratio": percentile(result.latencies, 95) / floor_p95})
            figures["posts"].append({
                "n": writer.posts, "p50_ms": percentile(writer.latencies, 50),
                "p95_ms": percentile(writer.latencies, 95), "per_minute": writer.per_minute,
                "outcomes": writer.outcomes, "details": writer.details, "accepted_titles": writer.accepted_titles,
                "ratio": percentile(writer.latencies, 95) / floor_p95})
            log(f"mix/{engine} round {round_number}: floor p95 {floor_p95:.1f} ms; posts n={writer.posts} "
                f"({writer.per_minute:.0f}/min) p95 {percentile(writer.latencies, 95):.0f} ms; "
                + ", ".join(f"{name} {percentile(r.latencies, 95) / floor_p95:.0f}x" for name, r in results.items()))
            for detail in writer.details:
                log(f"  post not accepted: {detail}")
        figures["memory"] = worker_memory(portal.process.pid) + (
            worker_memory(posts.process.pid) if posts is not None else [])
    finally:
        portal.stop()
        if posts is not None:
            posts.stop()
        floor.stop()
    figures["server_tracebacks"] = sum(p.read_text().count("Traceback") for p in (
        tmp / f"{engine}-portal.log", tmp / f"{engine}-posts.log", tmp / f"{engine}-floor.log") if p.exists())
    stored = json.loads(script(env, STORED, TITLE_PREFIX))
    accepted = [t for r in figures["posts"] for t in r.pop("accepted_titles")]
    figures["stored"] = {"accepted": len(accepted), "lost": sum(1 for t in accepted if t not in stored),
                         "duplicated": sum(1 for n in stored.values() if n > 1),
                         "stored_not_accepted": len(set(stored) - set(accepted))}
    return figures


def posts_by(figures: dict) -> str:
    workers = figures.get("post_workers", 0)
    return f"on their own pool of {workers} worker{'s' if workers != 1 else ''}" if workers else "on the same workers"


def report(figures: dict) -> tuple[str, list[str]]:
    """The engine's table and the list of failures (HTTP errors, lost wishes)."""
    failures: list[str] = []
    engine = figures["engine"]
    rows = []
    slow: list[str] = []
    floors = [f["p95_ms"] for f in figures["floor"]]
    rows.append(["floor", "-", str(sum(f["n"] for f in figures["floor"])), fmt(statistics.median(floors)),
                 "1.0", "-", ""])
    for name, pool, _path in CASES:
        runs = figures["cases"].get(name, [])
        median, low, high = ratio_summary([r["ratio"] for r in runs])
        flags = []
        if median == median and median > PAGE_FACTOR:
            flags.append(f"SLOW>{PAGE_FACTOR:g}x")
            slow.append(name)
        failed = sum(r["failed"] for r in runs)
        if failed:
            flags.append(f"ERR {failed}")
            failures.append(f"{engine}: {name}: {failed} requests did not answer 200")
        rows.append([name, pool, str(sum(r["n"] for r in runs)),
                     fmt(statistics.median([r["p95_ms"] for r in runs]) if runs else None),
                     fmt(median), f"{fmt(low)}–{fmt(high)}", " ".join(flags)])
    posts = figures["posts"]
    median, low, high = ratio_summary([p["ratio"] for p in posts])
    outcomes: dict[str, int] = {}
    for p in posts:
        for key, n in p["outcomes"].items():
            outcomes[key] = outcomes.get(key, 0) + n
    flags = [f"SLOW>{POST_FACTOR:g}x"] if median == median and median > POST_FACTOR else []
    if outcomes.get("failed"):
        flags.append(f"ERR {outcomes['failed']}")
        failures.append(f"{engine}: {outcomes['failed']} wish posts not accepted")
    rows.append(["wish post (writer)", "writer", str(sum(p["n"] for p in posts)),
                 fmt(statistics.median([p["p95_ms"] for p in posts])), fmt(median), f"{fmt(low)}–{fmt(high)}",
                 " ".join(flags)])
    stored = figures["stored"]
    for key in ("lost", "duplicated", "stored_not_accepted"):
        if stored[key]:
            failures.append(f"{engine}: {key} wishes = {stored[key]}")
    p50s = [p["p50_ms"] for p in posts]
    p95s = [p["p95_ms"] for p in posts]
    lines = [
        f"== 1 October mix, {engine}: {figures['home']} (region scale), gunicorn {figures['workers']} workers "
        f"(gunicorn.conf.py: gthread), posts {posts_by(figures)}, {figures['concurrency']} clients, "
        f"writer {figures['rate_per_minute']:g} wishes/min, "
        f"{figures['rounds']} rounds of {figures['seconds']:g} s per case",
        table(["case", "sessions", "n", "p95 ms", "p95/floor", "min–max", "flags"], rows),
        f"wish posts: p50 {fmt(statistics.median(p50s))} ms ({fmt(min(p50s))}–{fmt(max(p50s))}), "
        f"p95 {fmt(statistics.median(p95s))} ms ({fmt(min(p95s))}–{fmt(max(p95s))}); "
        f"{outcomes.get('accepted', 0)} accepted, {outcomes.get('failed', 0)} not; "
        f"{fmt(statistics.median([p['per_minute'] for p in posts]), 0)}/min reached; stored: {stored['lost']} lost, "
        f"{stored['duplicated']} duplicated, {stored['stored_not_accepted']} stored but not answered as accepted",
        "floor p95 per round: " + ", ".join(f"{f:.1f}" for f in floors) + " ms",
        "worker memory after the mix: " + (", ".join(
            f"pid {w['pid']} VmRSS {w['rss_mb']:.0f} MB (peak {w['hwm_mb']:.0f})" for w in figures["memory"])
            or "-") + ("  OVER 150 MB" if any(w["rss_mb"] > 150 for w in figures["memory"]) else ""),
        f"server tracebacks: {figures['server_tracebacks']}",
    ]
    lines.append(f"Over {PAGE_FACTOR:g}x the floor: {', '.join(slow) or 'none'}")
    return "\n".join(lines), failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL (a throwaway cluster)")
    parser.add_argument("--engines", default=os.environ.get("BENCH_MIX_ENGINES", ""),
                        help="comma-separated: sqlite, postgresql (env BENCH_MIX_ENGINES; default sqlite, "
                             "with --pg both)")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_MIX_ROUNDS", 3)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_MIX_SECONDS", 6)),
                        help="seconds per case per round (default 6, env BENCH_MIX_SECONDS)")
    parser.add_argument("--floor-seconds", type=float, default=4.0,
                        help="seconds per floor run (two per round)")
    parser.add_argument("--max-requests", type=int, default=200, help="requests per case per round at most")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=4,
                        help="unmeasured requests before each page case (at once; default 4)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
    parser.add_argument("--post-workers", type=int, default=int(os.environ.get("BENCH_MIX_POST_WORKERS", 1)),
                        help="workers of the wish posts' own gunicorn (default 1, env BENCH_MIX_POST_WORKERS); "
                             "0 posts to the page workers")
    parser.add_argument("--rate", type=float, default=200.0, help="wish posts per minute (default 200)")
    parser.add_argument("--writers", type=int, default=40, help="employees the writer posts as")
    parser.add_argument("--quick", action="store_true", help="one round of 3 s per case (a smoke test)")
    parser.add_argument("--json", default=os.environ.get("BENCH_MIX_JSON", ""))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.floor_seconds = 1, 3.0, 2.0
    engines = [e.strip() for e in (args.engines or ("sqlite,postgresql" if args.pg else "sqlite")).split(",")
               if e.strip()]

    from benchmarks.rush import Postgres

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="kp-mix-"))
    base_env = dict(os.environ, SECRET_KEY="kp-mix-" + os.urandom(8).hex(), PYTHONPATH=str(ROOT))
    base_env.pop("TEST_DATABASE_URL", None)
    results = []
    try:
        for engine in engines:
            if engine == "sqlite":
                results.append(run_engine(engine, f"sqlite:///{tmp / 'mix.db'}", tmp, base_env, args))
            elif engine == "postgresql":
                pg = Postgres(tmp)
                url = pg.start()
                try:
                    results.append(run_engine(engine, url, tmp, base_env, args))
                finally:
                    pg.stop()
            else:
                raise SystemExit(f"unknown engine {engine!r}")
    finally:
        if args.keep:
            log(f"(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    failures: list[str] = []
    log("")
    for figures in results:
        text, failed = report(figures)
        failures += failed
        log(text)
        log("")
    log(f"mix took {time.perf_counter() - started:.0f} s" + ("; FAILED: " + "; ".join(failures) if failures else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
