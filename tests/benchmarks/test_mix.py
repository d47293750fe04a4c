"""The 1 October mix's own machinery (benchmarks/mix.py): its flags at the targets' boundaries, the failures that
fail the run, the sessions used in turn, and the workers' memory read from /proc."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading

from benchmarks import mix


def _figures(page_ratio: float, post_ratio: float, *, lost: int = 0, failed_posts: int = 0) -> dict:
    case = {"n": 20, "p50_ms": 10.0, "p95_ms": 20.0, "failed": 0, "statuses": {200: 20}, "ratio": page_ratio}
    return {
        "engine": "sqlite", "home": "Solsikken", "workers": 2, "concurrency": 20, "rounds": 1, "seconds": 3,
        "rate_per_minute": 200, "floor": [{"p50_ms": 1.0, "p95_ms": 2.0, "n": 100}],
        "cases": {name: [dict(case)] for name, _pool, _path in mix.CASES},
        "posts": [{"n": 10, "p50_ms": 5.0, "p95_ms": 9.0, "per_minute": 200.0,
                   "outcomes": {"accepted": 10 - failed_posts, "failed": failed_posts}, "details": [],
                   "ratio": post_ratio}],
        "stored": {"accepted": 10, "lost": lost, "duplicated": 0, "stored_not_accepted": 0},
        "memory": [{"pid": 1, "rss_mb": 100.0, "hwm_mb": 120.0}], "server_tracebacks": 0,
    }


def _row(text: str, case: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(case + " "))


def test_a_page_at_ten_times_the_floor_meets_the_target_and_just_over_it_is_flagged():
    at, _ = mix.report(_figures(10.0, 1.0))
    over, _ = mix.report(_figures(10.01, 1.0))
    assert "SLOW" not in _row(at, "quality report")
    assert "SLOW>10x" in _row(over, "quality report")
    assert "SLOW>10x" in _row(over, "first view after login")
    assert "Over 10x the floor: none" in at


def test_posts_at_five_times_the_floor_meet_the_target_and_just_over_it_are_flagged():
    at, _ = mix.report(_figures(1.0, 5.0))
    over, _ = mix.report(_figures(1.0, 5.01))
    assert "SLOW" not in _row(at, "wish post (writer)")
    assert "SLOW>5x" in _row(over, "wish post (writer)")


def test_a_lost_wish_or_a_refused_post_fails_the_run_and_memory_over_150_mb_is_flagged():
    assert mix.report(_figures(1.0, 1.0))[1] == []
    assert mix.report(_figures(1.0, 1.0, lost=1))[1] == ["sqlite: lost wishes = 1"]
    assert mix.report(_figures(1.0, 1.0, failed_posts=2))[1] == ["sqlite: 2 wish posts not accepted"]
    figures = _figures(1.0, 1.0)
    assert "OVER 150 MB" not in mix.report(figures)[0]
    figures["memory"][0]["rss_mb"] = 151.0
    assert "OVER 150 MB" in mix.report(figures)[0]


def test_a_case_takes_its_requests_from_every_session_of_its_pool_in_turn():
    seen: list[tuple[str, str]] = []
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            with lock:
                seen.append((self.headers.get("Cookie", ""), self.headers.get("X-Forwarded-For", "")))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pool = [mix.Session({"session": f"s{i}"}, f"10.0.0.{i}") for i in range(5)]
        result = mix.run_case(server.server_address[1], "/", pool, None, concurrency=5, seconds=3600,
                              max_requests=20)
    finally:
        server.shutdown()
        server.server_close()
    assert result.statuses == {200: 20}
    assert sorted(seen) == sorted((f"session=s{i}", f"10.0.0.{i}") for i in range(5) for _ in range(4))


def test_worker_memory_reads_the_resident_size_of_each_child_process():
    # The child says "ready" once the interpreter runs; measured before that it is still a bare fork.
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    try:
        import os

        assert child.stdout.readline() == b"ready\n"
        workers = mix.worker_memory(os.getpid())
    finally:
        child.communicate(b"")
    mine = [w for w in workers if w["pid"] == child.pid]
    assert len(mine) == 1
    assert mine[0]["rss_mb"] > 1 and mine[0]["hwm_mb"] >= mine[0]["rss_mb"]


def test_the_writer_times_the_post_alone_and_never_follows_its_redirect():
    seen: list[tuple[str, str]] = []
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, status: int, location: str = "") -> None:
            with lock:
                seen.append((self.command, self.path))
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):  # noqa: N802 - the http.server API
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._answer(302, "/competence/")

        def do_GET(self):  # noqa: N802
            self._answer(200)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        writer = mix.WishWriter(server.server_address[1], [mix.Writer(mix.Session({"s": "1"}, "10.0.0.1"), {})],
                                per_minute=6000, first_number=0, threads=2)
        writer.start()
        while writer.posts < 5:
            threading.Event().wait(0.01)
        writer.stop()
    finally:
        server.shutdown()
        server.server_close()
    assert seen and all(request == ("POST", mix.POST_PATH) for request in seen)
    assert writer.posts == len(seen) and writer.outcomes == {"accepted": len(seen)}


def test_the_page_a_post_leads_to_is_measured_as_a_case_of_its_own():
    assert ("my wishes", "employee", "/competence/") in mix.CASES
    text, _ = mix.report(_figures(1.0, 1.0))
    assert _row(text, "my wishes")
    assert "posts on their own pool of 1 worker," in mix.report(dict(_figures(1.0, 1.0), post_workers=1))[0]
    assert "posts on the same workers," in text
