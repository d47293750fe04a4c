"""Layout in Chromium: the grouped menu at a desktop width and behind a menu button on a phone, one entry
highlighted, and pages that never scroll sideways."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def top_entries(page):
    return page.locator(".nav-groups > li > a, .nav-groups > li > details > summary")


def highlighted(page):
    return page.locator('.nav-groups > li > [aria-current="page"], .nav-groups > li > details > [aria-current="page"]')


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_heads_menu_fits_on_one_line_at_1280_with_one_entry_highlighted(demo, page):
    page.set_viewport_size(DESKTOP)
    login(page, "tilbudsleder@demo.dk")
    entries = top_entries(page)
    expect(entries).to_have_count(9)
    tops = {round(entries.nth(i).bounding_box()["y"]) for i in range(entries.count())}
    assert len(tops) == 1, f"menu wraps onto {len(tops)} lines"
    expect(page.locator(".site-menu-button")).to_be_hidden()
    expect(highlighted(page)).to_have_count(1)
    expect(highlighted(page)).to_have_text("Forside")

    nav = page.get_by_role("navigation", name="Hovedmenu")
    kompetence = nav.get_by_role("link", name="Kompetencemidler")
    expect(kompetence).to_be_hidden()
    nav.locator("summary", has_text="Kompetence").click()
    expect(kompetence).to_be_visible()
    kompetence.click()
    expect(page).to_have_url(re.compile(r"/competence/distribution$"))
    expect(highlighted(page)).to_have_count(1)
    expect(highlighted(page)).to_have_text("Kompetence")
    assert no_sideways_scroll(page)


def test_a_dropdown_is_used_with_the_keyboard_and_closes_on_escape(demo, page):
    page.set_viewport_size(DESKTOP)
    login(page, "tilbudsleder@demo.dk")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    summary = nav.locator("summary", has_text="Organisation")
    summary.focus()
    page.keyboard.press("Enter")
    medarbejdere = nav.get_by_role("link", name="Medarbejdere")
    expect(medarbejdere).to_be_visible()
    page.keyboard.press("Tab")
    expect(medarbejdere).to_be_focused()
    page.keyboard.press("Escape")
    expect(medarbejdere).to_be_hidden()
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(highlighted(page)).to_have_text("Organisation")


def test_on_a_phone_the_menu_is_behind_one_button_and_nothing_scrolls_sideways(demo, page):
    page.set_viewport_size(PHONE)
    login(page, "afdelingsleder@demo.dk")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    expect(nav).to_be_hidden()
    assert no_sideways_scroll(page)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 80, "the header wraps onto several lines"

    page.locator(".site-menu-button").click()
    expect(nav).to_be_visible()
    assert no_sideways_scroll(page)
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    expect(highlighted(page)).to_have_count(1)
    expect(highlighted(page)).to_have_text("Forside")
    for i in range(top_entries(page).count()):
        box = top_entries(page).nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    nav.locator("summary", has_text="Kompetence").click()
    nav.get_by_role("link", name="Kompetenceplan").click()
    expect(page).to_have_url(re.compile(r"/competence/plan$"))
    expect(nav).to_be_hidden()
    page.locator(".site-menu-button").click()
    expect(highlighted(page)).to_have_count(1)
    expect(highlighted(page)).to_have_text("Kompetence")


#: For each table on the page: how far it is wider than its box, and whether that box scrolls on its own.
TABLES = """() => [...document.querySelectorAll('main table')].map(t => {
  const box = t.closest('.table-wrap') || t.parentElement;
  const overflow = getComputedStyle(box).overflowX;
  return {over: t.scrollWidth - box.clientWidth, scrolls: overflow === 'auto' || overflow === 'scroll',
          sticky: getComputedStyle(t.querySelector('tr > :first-child') || t).position};
})"""

KEY_PAGES = [
    ("afdelingsleder@demo.dk", "/competence/overview"),
    ("afdelingsleder@demo.dk", "/people/"),
    ("tilbudsleder@demo.dk", "/competence/distribution"),
    ("tilbudsleder@demo.dk", "/guidelines/"),
    ("tilbudsleder@demo.dk", "/cycle/"),
    ("tilbudsleder@demo.dk", "/quality/"),
    ("tilbudsleder@demo.dk", "/quality/by-theme"),
    ("tilbudsleder@demo.dk", "/quality/themes"),
    ("tilbudsleder@demo.dk", "/children/checks"),
]


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["1280", "390"])
def test_no_table_is_wider_than_its_box_on_the_key_pages(demo, page, width):
    """A wide table scrolls inside its own box with its first column kept in view; the page never scrolls."""
    page.set_viewport_size(width)
    who = None
    for email, path in KEY_PAGES:
        if email != who:
            page.context.clear_cookies()
            login(page, email)
            who = email
        page.goto(path)
        assert no_sideways_scroll(page), path
        for table in page.evaluate(TABLES):
            assert table["over"] <= 1 or table["scrolls"], (path, table)
            if table["over"] > 1:
                assert table["sticky"] == "sticky", (path, table)
        if width == DESKTOP and path in ("/competence/overview", "/guidelines/"):
            # The leader's October overview and the guideline list show every column at 1280 px.
            assert all(t["over"] <= 1 for t in page.evaluate(TABLES)), (path, page.evaluate(TABLES))
