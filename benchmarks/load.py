"""A small closed-loop load generator: N requests for one path, C threads, one connection per request.

Before measuring, ``warmup`` requests are sent with the same concurrency, so every gunicorn worker has
served the page at least once (each keeps its own cache of derived data, see app/cache.py) and the figures
describe the steady state; what a page costs with a cold cache is reported separately (benchmarks/queries.py).

With ``max_seconds`` set, no new request is started once that much time has passed and at least
``min_requests`` were started, so a slow page costs a bounded time; ``LoadResult.requests`` is then the
number actually made.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    requests: int
    concurrency: int
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    @property
    def failed(self) -> int:
        return self.requests - self.ok

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p95(self) -> float:
        return self.percentile(95)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def rps(self) -> float:
        return self.requests / self.wall_s if self.wall_s else float("nan")


def _one(host: str, port: int, path: str, headers: dict, timeout: float) -> int:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _warm(host: str, port: int, path: str, headers: dict, timeout: float, count: int, concurrency: int) -> None:
    left = [count]
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            _one(host, port, path, headers, timeout)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(count, concurrency))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_load(host: str, port: int, path: str, *, cookie: str = "", requests: int = 200, concurrency: int = 20,
             warmup: int = 40, timeout: float = 60, max_seconds: float | None = None,
             min_requests: int | None = None) -> LoadResult:
    headers = {"Connection": "close", "User-Agent": "kp-bench"}
    if cookie:
        headers["Cookie"] = cookie
    _warm(host, port, path, headers, timeout, warmup, concurrency)

    result = LoadResult(requests=0, concurrency=concurrency)
    lock = threading.Lock()
    floor_count = min(requests, min_requests if min_requests is not None else concurrency)
    started = time.perf_counter()

    def claim() -> bool:
        with lock:
            if result.requests >= requests:
                return False
            if (max_seconds is not None and result.requests >= floor_count
                    and time.perf_counter() - started > max_seconds):
                return False
            result.requests += 1
            return True

    def worker():
        while claim():
            begun = time.perf_counter()
            try:
                status = _one(host, port, path, headers, timeout)
            except (OSError, http.client.HTTPException) as error:
                status = 0
                with lock:
                    result.errors.append(repr(error))
            elapsed = (time.perf_counter() - begun) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_s = time.perf_counter() - started
    return result
