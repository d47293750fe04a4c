"""`make bench`: build the demo data, serve it with gunicorn, measure every page against a bare floor.

Steps (all in a temporary directory, removed afterwards unless --keep):
1. Two fresh SQLite databases, each made with `flask db upgrade`, then `flask demo` (home scale) and
   `flask demo --scale region` (5 homes, ~3,000 people); the time of each `flask demo` is reported.
2. SQL statements per page, counted in-process (Flask test client + a before_cursor_execute counter) on
   both databases with the cache of derived data emptied first (app/cache.py), so the count is what the
   page costs to compute; a page whose count is higher at region scale is flagged GROWS. The same process
   times one request with that empty cache ("cold ms") and one served from it ("solo ms").
3. gunicorn (2 sync workers, 127.0.0.1, free port) serving wsgi:app on the region database, and a second
   gunicorn with the same settings serving benchmarks/floor.py. Each page is fetched by 20 client threads,
   up to 200 requests (after 40 warm-up requests at the same concurrency, so both workers have their
   cache filled: the figures are the steady state), one connection per request, logged in as the page's
   user. p50/p95 latency and requests/s are reported; a page whose p95 is over 4x the floor's is flagged SLOW.
   The floor is measured before, half-way through and after the pages; the median run (by p95) counts.
   Time budget: the load phase shares --budget seconds (default 180) among the pages; a page stops
   starting requests when its share is used up and it has made at least 20 (the `n` column says how many).

Pages come from benchmarks/pages/*.py (see benchmarks/pages/__init__.py).
Exit status: 0 when every page answered 200, 1 otherwise (flags alone do not fail the run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.client import HttpSessions, LoginFailed  # noqa: E402
from benchmarks.load import LoadResult, run_load  # noqa: E402
from benchmarks.pages import discover, resolve_paths  # noqa: E402

SLOW_FACTOR = 4.0


_STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:5.0f}s] {message}" if message else "", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> float:
    """Run `flask --app wsgi ARGS`; return its wall time in seconds. Fails loudly."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"flask {' '.join(args)} failed with exit status {completed.returncode}")
    return elapsed


def build_database(tmp: Path, name: str, scale: str | None, base_env: dict) -> tuple[str, float]:
    url = f"sqlite:///{tmp / name}"
    env = dict(base_env, DATABASE_URL=url)
    flask(env, "db", "upgrade")
    seconds = flask(env, "demo", *(["--scale", scale] if scale else []))
    return url, seconds


def count_queries(urls: list[str], base_env: dict) -> list[dict[str, dict]]:
    """Count on every database at once (one process each; counts do not depend on timing)."""
    processes = [
        subprocess.Popen([sys.executable, "-m", "benchmarks.queries"], cwd=ROOT,
                         env=dict(base_env, DATABASE_URL=url), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for url in urls
    ]
    results = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode != 0:
            sys.stderr.write(out + err)
            raise SystemExit("counting queries failed")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


class Gunicorn:
    def __init__(self, target: str, env: dict, workers: int, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--timeout", "120", target],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.base_url + path, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        sys.stderr.write(self.log_path.read_text())
        raise SystemExit(f"gunicorn on port {self.port} did not answer {path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or value != value:  # None or NaN
        return "-"
    return f"{value:.{digits}f}"


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 200)),
                        help="requests per page (default 200, env BENCH_REQUESTS)")
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", 20)),
                        help="client threads (default 20, env BENCH_CONCURRENCY)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)),
                        help="gunicorn workers for both servers (default 2, env BENCH_WORKERS)")
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""),
                        help="measure only pages whose name contains this text (env BENCH_ONLY); 'mix' or 'rush' "
                             "runs only that scenario")
    parser.add_argument("--pg", action="store_true",
                        help="run the 1 October mix on PostgreSQL too (a throwaway cluster; the rush always does)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 30 s for the page table, one short round of the mix, a 40-person rush")
    parser.add_argument("--json", default=os.environ.get("BENCH_JSON", ""),
                        help="also write all figures to this JSON file (env BENCH_JSON)")
    parser.add_argument("--budget", type=float, default=float(os.environ.get("BENCH_BUDGET", 180)),
                        help="seconds for the whole load phase, shared among the pages (default 180, "
                             "env BENCH_BUDGET)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, logs)")
    args = parser.parse_args(argv)
    if args.quick:
        args.budget = min(args.budget, 30.0)
    return args


def main(args: argparse.Namespace) -> int:
    """The page table (steps 1-3 above)."""

    started = time.perf_counter()
    pages = [p for p in discover() if args.only.lower() in p.name.lower()]
    tmp = Path(tempfile.mkdtemp(prefix="kp-bench-"))
    base_env = dict(os.environ, SECRET_KEY="kp-bench-secret-" + os.urandom(8).hex(), PYTHONPATH=str(ROOT))
    base_env.pop("TEST_DATABASE_URL", None)
    servers: list[Gunicorn] = []
    try:
        log(f"== Building databases in {tmp}")
        demo_url, demo_seconds = build_database(tmp, "demo.db", None, base_env)
        log(f"flask demo (home scale): {demo_seconds:.1f} s")
        region_url, region_seconds = build_database(tmp, "region.db", "region", base_env)
        log(f"flask demo --scale region: {region_seconds:.1f} s")

        log("== Counting SQL statements per page (Flask test client)")
        queries_demo, queries_region = count_queries([demo_url, region_url], base_env)

        log(f"== Starting gunicorn ({args.workers} workers): portal on the region database, and the floor")
        portal = Gunicorn("wsgi:app", dict(base_env, DATABASE_URL=region_url), args.workers, tmp / "portal.log")
        servers.append(portal)
        floor = Gunicorn("benchmarks.floor:app", base_env, args.workers, tmp / "floor.log")
        servers.append(floor)
        portal.wait_ready("/auth/login")
        floor.wait_ready("/")

        sessions = HttpSessions(portal.base_url)
        paths, skipped = resolve_paths(pages, sessions)
        cookies: dict[str, str] = {}
        for page in pages:
            if page.name in skipped:
                continue
            try:
                cookies[page.name] = sessions.cookie_header(page.email)
            except LoginFailed as error:
                skipped[page.name] = str(error)

        measured = [p for p in pages if p.name not in skipped]
        log(f"== Load: up to {args.requests} requests per page, {args.concurrency} concurrent clients, "
            f"{len(measured)} pages in about {args.budget:.0f} s")
        # The floor is measured three times (before, half-way, after) and the run with the median p95 is
        # used, so one noisy moment on the machine does not skew every ratio.
        floor_runs: list[LoadResult] = []

        def measure_floor() -> None:
            run = run_load("127.0.0.1", floor.port, "/", requests=args.requests, concurrency=args.concurrency,
                           max_seconds=5)
            floor_runs.append(run)
            log(f"floor: n={run.requests} p95 {fmt(run.p95)} ms")

        measure_floor()
        results: dict[str, LoadResult] = {}
        load_started = time.perf_counter()
        done = 0
        for index, page in enumerate(pages):
            if index == len(pages) // 2:
                measure_floor()
            if page.name in skipped:
                log(f"{page.name}: skipped ({skipped[page.name]})")
                continue
            left = args.budget - (time.perf_counter() - load_started)
            share = max(2.0, left / max(1, len(measured) - done))
            done += 1
            result = run_load("127.0.0.1", portal.port, paths[page.name], cookie=cookies[page.name],
                              requests=args.requests, concurrency=args.concurrency, max_seconds=share,
                              min_requests=args.concurrency)
            results[page.name] = result
            note = f", {result.failed} not 200: {result.statuses}" if result.failed else ""
            log(f"{page.name}: n={result.requests} p95 {fmt(result.p95)} ms{note}")
        measure_floor()
        floor_result = sorted(floor_runs, key=lambda run: run.p95)[len(floor_runs) // 2]
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            log(f"(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    # ---- summary -------------------------------------------------------------------------------------
    headers = ["page", "user", "path", "n", "p50 ms", "p95 ms", "req/s", "p95/floor", "solo ms", "cold ms",
               "SQL demo", "SQL region", "flags"]
    rows = [["floor", "-", "/", str(floor_result.requests), fmt(floor_result.p50), fmt(floor_result.p95),
             fmt(floor_result.rps), "1.0", "-", "-", "-", "-", ""]]
    failures = 0
    summary = {"demo_build_s": {"home": demo_seconds, "region": region_seconds},
               "requests": args.requests, "concurrency": args.concurrency, "workers": args.workers,
               "floor": {"p50_ms": floor_result.p50, "p95_ms": floor_result.p95, "rps": floor_result.rps},
               "pages": {}}
    for page in pages:
        qd = queries_demo.get(page.name, {})
        qr = queries_region.get(page.name, {})
        flags = []
        result = results.get(page.name)
        ratio = result.p95 / floor_result.p95 if result and floor_result.p95 else None
        if result is None:
            flags.append("SKIPPED")
        else:
            if ratio is not None and ratio > SLOW_FACTOR:
                flags.append(f"SLOW>{SLOW_FACTOR:g}x")
            if result.failed:
                flags.append(f"ERR {result.failed}")
                failures += 1
        for q in (qd, qr):
            if q.get("status") not in (None, 200):
                flags.append(f"HTTP {q['status']}")
                failures += 1
        if "queries" in qd and "queries" in qr and qr["queries"] > qd["queries"]:
            flags.append("GROWS")
        rows.append([
            page.name + (" *" if page.is_key else ""), page.email or "-", paths.get(page.name, page.path),
            str(result.requests) if result else "-", fmt(result.p50) if result else "-",
            fmt(result.p95) if result else "-",
            fmt(result.rps) if result else "-", fmt(ratio), fmt(qr.get("ms")), fmt(qr.get("cold_ms")),
            str(qd.get("queries", "-")),
            str(qr.get("queries", "-")), " ".join(dict.fromkeys(flags)),
        ])
        summary["pages"][page.name] = {
            "user": page.email, "path": paths.get(page.name, page.path),
            "p50_ms": result.p50 if result else None, "p95_ms": result.p95 if result else None,
            "rps": result.rps if result else None, "p95_over_floor": ratio,
            "requests": result.requests if result else None,
            "statuses": result.statuses if result else None,
            "queries_demo": qd.get("queries"), "queries_region": qr.get("queries"), "solo_ms_region": qr.get("ms"),
            "cold_ms_region": qr.get("cold_ms"), "key": page.is_key,
            "skipped": skipped.get(page.name) or qd.get("skipped") or qr.get("skipped"), "flags": flags,
        }

    print("")
    print(f"== Summary (up to {args.requests} requests/page, {args.concurrency} clients, gunicorn {args.workers} "
        f"workers, region-scale SQLite; SQL counted on the 2nd fetch)")
    print(f"flask demo: {demo_seconds:.1f} s (home scale), {region_seconds:.1f} s (region scale)")
    print(table(headers, rows, right={3, 4, 5, 6, 7, 8, 9, 10, 11}))
    print("* a key page: the target (p95 <= 4x the floor) is stated for it")
    slow = [n for n, p in summary["pages"].items() if any(f.startswith("SLOW") for f in p["flags"])]
    grows = [n for n, p in summary["pages"].items() if "GROWS" in p["flags"]]
    key = {page.name for page in pages if page.is_key}
    slow_key = [n for n in slow if n in key]
    measured_key = [n for n in key if results.get(n)]
    print(f"Key pages (the target's own list, {len(measured_key)} measured) over {SLOW_FACTOR:g}x the floor: "
          f"{', '.join(slow_key) or 'none'}")
    print(f"Other pages over {SLOW_FACTOR:g}x the floor ({len(slow) - len(slow_key)} of "
          f"{len(results) - len(measured_key)}): {', '.join(n for n in slow if n not in key) or 'none'}")
    print(f"GROWS (more SQL at region scale): {', '.join(grows) or 'none'}")
    print(f"bench took {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2, ensure_ascii=False))
        print(f"wrote {args.json}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    arguments = parse_args()
    scenario = arguments.only.strip().lower()
    status = 0 if scenario in ("mix", "rush") else main(arguments)
    # ---- The 1 October mix (benchmarks/mix.py, issue 19): the big home's key pages under a writer. -------
    # BENCH_MIX=0 skips it; --pg adds PostgreSQL; --quick runs one short round.
    if scenario == "mix" or (scenario != "rush" and os.environ.get("BENCH_MIX", "1") != "0"):
        from benchmarks import mix

        status = max(status, mix.main([*(["--pg"] if arguments.pg else []), *(["--quick"] if arguments.quick else []),
                                       *(["--keep"] if arguments.keep else [])]))
    # ---- Deadline rush (benchmarks/rush.py, issue 10): its own databases, servers and summary table. ----
    # BENCH_RUSH=0 skips it; BENCH_RUSH_ENGINES=sqlite runs one engine only.
    if scenario == "rush" or (scenario != "mix" and os.environ.get("BENCH_RUSH", "1") != "0"):
        from benchmarks import rush

        status = max(status, rush.main(["--employees", "40", "--window", "20"] if arguments.quick else []))
    sys.exit(status)
