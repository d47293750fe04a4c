"""SQL statements per page, counted in-process with the Flask test client.

Run by benchmarks/run.py as ``python -m benchmarks.queries`` with DATABASE_URL pointing at a database
that already holds the demo data; prints one JSON object: page name -> {"queries": n, "status": s, "cold_ms": t,
"ms": t} or {"skipped": reason}. Each page is fetched once (logging in, loading templates), then with an empty
cache of derived data (app/cache.py): that fetch is counted ("queries", what the page costs to compute, which
must not grow with the data) and timed ("cold_ms"); a third fetch, served from the cache as a reload would be,
is timed as "ms". Timings are one request with nothing else running in this process.
"""

from __future__ import annotations

import json
import sys
import time

from sqlalchemy import event

from benchmarks.client import ClientSessions, LoginFailed
from benchmarks.pages import discover, resolve_paths


def count_queries() -> dict[str, dict]:
    from app import cache, create_app
    from app.extensions import db

    app = create_app()
    counter = [0]
    results: dict[str, dict] = {}
    # No app context stays pushed while requests run: a request reuses an outer app context (and its `g`,
    # where Flask-Login keeps the current user), which would leak one login into the next client.
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args, **kwargs: counter.__setitem__(0, counter[0] + 1))
    sessions = ClientSessions(app)
    pages = discover()
    paths, skipped = resolve_paths(pages, sessions)
    for page in pages:
        if page.name in skipped:
            results[page.name] = {"skipped": skipped[page.name]}
            continue
        try:
            sessions.client(page.email)
        except LoginFailed as error:
            results[page.name] = {"skipped": str(error)}
            continue
        except Exception as error:  # noqa: BLE001 - reported per page; the other pages still get counted
            results[page.name] = {"error": f"login: {error!r}"[:200], "status": 500}
            continue
        try:
            sessions.get(paths[page.name], page.email)
            cache.clear()
            counter[0] = 0
            started = time.perf_counter()
            status, _ = sessions.get(paths[page.name], page.email)
            cold_ms = (time.perf_counter() - started) * 1000
            queries = counter[0]
            started = time.perf_counter()
            sessions.get(paths[page.name], page.email)
            warm_ms = (time.perf_counter() - started) * 1000
        except Exception as error:  # noqa: BLE001
            results[page.name] = {"error": repr(error)[:200], "status": 500}
            continue
        results[page.name] = {"queries": queries, "status": status, "cold_ms": round(cold_ms, 1),
                              "ms": round(warm_ms, 1)}
    return results


if __name__ == "__main__":
    json.dump(count_queries(), sys.stdout)
    sys.stdout.write("\n")
