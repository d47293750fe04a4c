"""axe-core (bundled with axe-playwright-python, no CDN) on the pages each demo role reaches: no WCAG 2.1 A or AA
violation. The pages are the first 20 each role reaches by the page walk (tests/crawl.py) from its front page, at most
two of a kind (the id and label rules are checked on every page by the whole walk in tests/core/test_access.py)."""

import re
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import crawl
from tests.browser.helpers import login
from tests.conftest import AuthActions

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ROLES = ["tilbudsleder", "afdelingsleder", "medarbejder", "vikar", "minimed", "admin"]
SKIP = re.compile(r"/print")  # print layouts: the walk gives HTML pages only, and these are for paper


def _pages(app, email: str, limit: int = 20) -> list[str]:
    """The first pages the page walk (tests/crawl.py) reaches as this person, at most two of a kind (digits alike)."""
    client = app.test_client()
    AuthActions(client).login(email)
    found, kinds = [], Counter()
    for url, _source, _response, parser in crawl.pages(client):
        kind = re.sub(r"\d+", "#", url)
        if parser is None or SKIP.search(url) or kinds[kind] >= 2:
            continue
        kinds[kind] += 1
        found.append(url)
        if len(found) == limit:
            break
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_wcag_21_aa_violation_on_the_pages_a_role_reaches(app, demo, page, role):
    axe = Axe()
    urls = _pages(app, f"{role}@demo.dk")
    login(page, f"{role}@demo.dk")
    problems = []
    for url in urls:
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
