"""Each key page's cold cost at region scale, in-process.

``python -m benchmarks.cold [--repeat 5] [--only TEXT] [--profile N]``.

Runs against DATABASE_URL (a database with `flask demo --scale region`). Every page is fetched once (logging in,
loading templates), then `--repeat` times with the cache of derived data emptied first (app/cache.py); each of
those fetches is timed and its SQL statements counted. The floor is the same measurement of a page that does
nothing (benchmarks/floor.py) through its own test client, so "cold ÷ floor" is the page's own cost without any
cache. Prints a table, and one JSON line last (page -> {"median_ms", "min_ms", "max_ms", "queries", "status"}).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time

from sqlalchemy import event

from benchmarks.client import ClientSessions, LoginFailed
from benchmarks.pages import discover, resolve_paths

#: The pages issue 19 names for the before/after figures (all at region scale, the big home where it has one).
COLD_PAGES = (
    "quality report big home", "guideline list big home", "dashboard big home head", "årshjul big home head",
    "employee list big home", "talk overview big home head", "children checks big home",
    "competence home wish list big home", "competence distribution big home",
    "dashboard afdelingsleder", "dashboard medarbejder",
)


def _floor_ms(repeat: int) -> float:
    from benchmarks.floor import app as floor_app

    client = floor_app.test_client()
    client.get("/")
    times = []
    for _ in range(max(repeat, 5)):
        started = time.perf_counter()
        client.get("/")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(repeat: int, only: str, profile: cProfile.Profile | None = None) -> dict[str, dict]:
    from app import cache, create_app
    from app.extensions import db

    app = create_app()
    counter = [0]
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args, **kwargs: counter.__setitem__(0, counter[0] + 1))
    sessions = ClientSessions(app)
    pages = [p for p in discover() if (p.name in COLD_PAGES if not only else only.lower() in p.name.lower())]
    paths, skipped = resolve_paths(pages, sessions)
    results: dict[str, dict] = {"floor": {"median_ms": round(_floor_ms(repeat), 2)}}
    for page in pages:
        if page.name in skipped:
            results[page.name] = {"skipped": skipped[page.name]}
            continue
        try:
            sessions.get(paths[page.name], page.email)
        except LoginFailed as error:
            results[page.name] = {"skipped": str(error)}
            continue
        times, queries, status = [], 0, None
        for _ in range(repeat):
            cache.clear()
            counter[0] = 0
            started = time.perf_counter()
            if profile is not None:
                profile.enable()
            status, _ = sessions.get(paths[page.name], page.email)
            if profile is not None:
                profile.disable()
            times.append((time.perf_counter() - started) * 1000)
            queries = counter[0]
        results[page.name] = {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
                              "max_ms": round(max(times), 1), "queries": queries, "status": status}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile the cold fetches and print the N functions with most own time to stderr")
    args = parser.parse_args(argv)
    profile = cProfile.Profile() if args.profile else None
    results = measure(args.repeat, args.only, profile)
    if profile is not None:
        pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(args.profile)
    floor = results["floor"]["median_ms"]
    print(f"{'page':40} {'cold ms':>9} {'min':>8} {'max':>8} {'÷floor':>8} {'SQL':>5}")
    for name, row in results.items():
        if name == "floor" or "median_ms" not in row:
            print(f"{name:40} {row.get('median_ms', row.get('skipped', '-'))}")
            continue
        print(f"{name:40} {row['median_ms']:9.1f} {row['min_ms']:8.1f} {row['max_ms']:8.1f} "
              f"{row['median_ms'] / floor:8.0f} {row['queries']:5d}" + ("" if row["status"] == 200 else
                                                                        f"  HTTP {row['status']}"))
    json.dump(results, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
