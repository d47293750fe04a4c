"""Real-browser fixtures: Debian's Chromium driven by Playwright (sync API), and the app on a live server.

- ``browser``: one headless Chromium (/usr/bin/chromium) per test session. Playwright never downloads a
  browser of its own here (`playwright install` is not used); the flags keep Chromium off the network.
- ``live_server``: the ``app`` fixture from tests/conftest.py served by werkzeug in a background thread on
  127.0.0.1 and a free port, against the test database; ``live_server.url`` is its base URL.
- ``page``: a fresh browser context (no cookies) and page per test. JavaScript errors on the page fail the
  test at teardown.

Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` leaves them out on purpose).
Without /usr/bin/chromium they fail rather than skip: `make test` installs it through
scripts/ensure-system-deps.sh, and a skipped browser test would hide that the journeys were never run.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("KP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Milliseconds Playwright waits for an element or a navigation before failing.
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-deps.sh as root (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@dataclass
class LiveServer:
    url: str
    port: int


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """Serve `app` on 127.0.0.1:<free port> in a thread for the duration of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    base_url = app.config["BASE_URL"]
    app.config["BASE_URL"] = url  # as an operator sets KP_BASE_URL: feed and e-mail links are built from it
    try:
        yield LiveServer(url=url, port=server.server_port)
    finally:
        app.config["BASE_URL"] = base_url
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", timezone_id="Europe/Copenhagen")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield new_page
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
