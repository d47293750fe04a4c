"""A wish post's own cold cost at region scale, in-process: ``python -m benchmarks.post [--repeat 10] [--profile N]``.

Runs against DATABASE_URL (a database with `flask demo --scale region`; it writes wishes into it, so use a copy).
The clock runs from 10:00 on the big home's wish deadline day, as in the 1 October mix (benchmarks/mix.py). Each
of `--repeat` employees of the big home (home 2) is logged in and opens the wish form (not timed); then, with the
cache of derived data emptied (app/cache.py), their POST /competence/wishes/new is timed and its SQL counted, and
separately the page the answer redirects to (GET /competence/, also cold), as post-redirect-get splits them.
The floor is benchmarks/floor.py's page through its own test client. Prints a table, and one JSON line last.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from datetime import datetime

from sqlalchemy import event, select

from benchmarks.client import ClientSessions, csrf_token
from benchmarks.cold import _floor_ms

TITLE_PREFIX = "Post-bench"


def _employees(home) -> list[str]:
    """Permanent employees of the home (not leaders) whose departments' overviews are open for next year."""
    from app.extensions import db
    from app.people.constants import EmploymentType
    from app.people.models import User

    people = db.session.scalars(select(User).where(User.home_id == home.id, User.is_disabled.is_(False),
                                                   User.left_on.is_(None)).order_by(User.id)).all()
    return [p.email for p in people if not p.must_set_password and not p.is_leader
            and p.employment_type == EmploymentType.PERMANENT and p.department_ids]


def _department(html: str) -> str:
    import re

    select_html = re.search(r'<select[^>]*name="department_id".*?</select>', html, re.S)
    return re.search(r'value="(\d+)"', select_html.group(0)).group(1)


def measure(repeat: int, profile: cProfile.Profile | None = None, show_sql: bool = False) -> dict[str, dict]:
    from app import cache, clock, create_app
    from app.competence.models import wish_deadline
    from app.extensions import db
    from app.people.models import Home

    app = create_app()
    with app.app_context():
        engine = db.engine
        home = db.session.scalars(select(Home).order_by(Home.id).offset(1).limit(1)).one()
        year = clock.today().year
        deadline = wish_deadline(home, year + 1)
        emails = _employees(home)
    clock.run_from(datetime.combine(deadline, datetime.min.time()).replace(hour=10, tzinfo=clock.TZ))
    counter = [0]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args, **_kwargs):
        counter[0] += 1
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", count)
    sessions = ClientSessions(app)
    runs = {"wish post": [], "page after the post": []}
    statuses: dict[str, set] = {name: set() for name in runs}
    shown: dict[str, list[str]] = {}
    used = 0
    for email in emails:
        if used == repeat + 1:
            break
        client = sessions.client(email)
        response = client.get("/competence/wishes/new")
        if response.status_code != 200:
            continue  # e.g. every department of theirs has forwarded its overview
        html = response.get_data(as_text=True)
        form = {"csrf_token": csrf_token(html), "department_id": _department(html), "year": str(year + 1),
                "kind": "course", "title": f"{TITLE_PREFIX} {email}", "provider": "UC Syd", "cost": "4.500,00",
                "days": "2", "hours": "", "version": "", "responsibility_areas": "Kommunikation og dokumentation",
                "reason": "Ønsket til næste år."}
        first = used == 0  # the first post loads what every later one has (templates, code paths): not counted
        used += 1
        for name, call in (("wish post", lambda c=client, f=form: c.post("/competence/wishes/new", data=f)),
                           ("page after the post", lambda c=client: c.get("/competence/"))):
            cache.clear()
            counter[0] = 0
            statements.clear()
            started = time.perf_counter()
            if profile is not None and not first:
                profile.enable()
            response = call()
            if profile is not None and not first:
                profile.disable()
            elapsed = (time.perf_counter() - started) * 1000
            if not first:
                runs[name].append((elapsed, counter[0]))
                statuses[name].add(response.status_code)
                if show_sql:
                    shown[name] = list(statements)
    for name, lines in shown.items():
        sys.stderr.write(f"-- {name}: the last one's {len(lines)} statements\n")
        sys.stderr.writelines(f"{i:3d} {line[:160]}\n" for i, line in enumerate(lines, 1))
    results: dict[str, dict] = {"floor": {"median_ms": round(_floor_ms(repeat), 2)}}
    for name, values in runs.items():
        times = [t for t, _ in values]
        results[name] = {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
                         "max_ms": round(max(times), 1), "queries": max(q for _, q in values),
                         "n": len(values), "status": sorted(statuses[name])}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="posts measured, each by another employee")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile the measured requests and print the N functions with most own time to stderr")
    parser.add_argument("--show-sql", action="store_true", help="print the last measured requests' SQL to stderr")
    args = parser.parse_args(argv)
    profile = cProfile.Profile() if args.profile else None
    results = measure(args.repeat, profile, args.show_sql)
    if profile is not None:
        pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(args.profile)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(args.profile)
    floor = results["floor"]["median_ms"]
    print(f"{'case':24} {'n':>3} {'cold ms':>9} {'min':>8} {'max':>8} {'÷floor':>8} {'SQL':>5}  status")
    print(f"{'floor':24} {'':>3} {floor:9.2f}")
    for name, row in results.items():
        if name != "floor":
            print(f"{name:24} {row['n']:3d} {row['median_ms']:9.1f} {row['min_ms']:8.1f} {row['max_ms']:8.1f} "
                  f"{row['median_ms'] / floor:8.0f} {row['queries']:5d}  {row['status']}")
    json.dump(results, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
