"""axe-core (bundled with axe-playwright-python, no CDN) on the pages each demo role reaches: no WCAG 2.1 A or AA
violation. The pages are the first 20 each role reaches by following links from its front page, at most two of a
kind (the id and label rules are checked on every page by the page walk in tests/core/test_access.py)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import login

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ROLES = ["tilbudsleder", "afdelingsleder", "medarbejder", "vikar", "minimed", "admin"]
SKIP = re.compile(r"^/(static/|auth/logout)|export\.|\.(xlsx|csv|pdf|ics)(\?|$)|/print")


def _pages(page, limit: int = 20) -> list[str]:
    """Same-site links from the front page, breadth first, at most two pages of one kind (digits alike)."""
    seen, kinds, queue, found = set(), {}, ["/"], []
    while queue and len(found) < limit:
        url = queue.pop(0)
        kind = re.sub(r"\d+", "#", url)
        if url in seen or kinds.get(kind, 0) >= 2:
            continue
        seen.add(url)
        kinds[kind] = kinds.get(kind, 0) + 1
        response = page.goto(url)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        found.append(url)
        links = page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in links:
            if href.startswith("/") and not SKIP.search(href) and href not in seen:
                queue.append(href)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_wcag_21_aa_violation_on_the_pages_a_role_reaches(demo, page, role):
    axe = Axe()
    login(page, f"{role}@demo.dk")
    problems = []
    for url in _pages(page):
        page.goto(url)
        result = axe.run(page, options=WCAG_21_AA)
        for violation in result.response["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            problems.append(f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} – {targets}")
    assert problems == [], "\n".join(problems)


def test_axe_finds_a_violation_when_there_is_one(page):
    """The guard: the bundled axe-core runs with these options and reports what it should."""
    page.set_content('<html lang="da"><body><main><img src="x.png"><input name="q"></main></body></html>')
    found = {v["id"] for v in Axe().run(page, options=WCAG_21_AA).response["violations"]}
    assert {"image-alt", "label"} <= found
