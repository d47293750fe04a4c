"""Visible focus (WCAG 2.4.7 and 1.4.11): a link, a button, a summary and a field reached with Tab carry a solid
outline at least 2 px wide whose colour stands out at least 3:1 from the background around it, on the light page
and in the blue header, at 1280 px and on a phone; and no stylesheet takes the outline away."""

import re
from pathlib import Path

import pytest

from tests.browser.helpers import login, tab_to

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

#: The focused element's outline, and the first opaque background behind it (the outline sits outside the
#: element, so that is its parent's); with their contrast ratio as WCAG defines it.
RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  let behind = el.parentElement, background = [255, 255, 255];
  for (; behind; behind = behind.parentElement) {
    const [r, g, b, a = 1] = rgb(getComputedStyle(behind).backgroundColor);
    if (a > 0.5) { background = [r, g, b]; break; }
  }
  const luminance = ([r, g, b]) => [r, g, b].map((c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [luminance(rgb(style.outlineColor).slice(0, 3)), luminance(background)].sort((x, y) => y - x);
  return {tag: el.tagName.toLowerCase(), text: (el.textContent || el.name || "").trim().slice(0, 40),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth), contrast: (hi + 0.05) / (lo + 0.05)};
}"""


REMOVED = re.compile(r"outline(?:-style)?\s*:\s*(?:none|0)\b[^;}]*|outline-width\s*:\s*0\b[^;}]*")


def assert_ring(page, selector: str, text: str | None = None) -> None:
    tab_to(page, selector, text=text)
    ring = page.evaluate(RING)
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    assert ring["contrast"] >= 3, ring


def test_fields_and_the_button_of_the_login_form_show_their_focus(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/auth/login")
    assert_ring(page, 'input[name="email"]')
    assert_ring(page, 'main input[type="submit"]')


def test_links_summaries_and_buttons_show_their_focus_on_the_page_and_in_the_header(demo, page):
    page.set_viewport_size(DESKTOP)
    login(page, "tilbudsleder@demo.dk")
    assert_ring(page, ".site-header a.brand")  # white text on blue
    assert_ring(page, ".nav-group > summary")
    page.keyboard.press("Enter")
    assert_ring(page, ".nav-group[open] > ul a")  # the open dropdown: blue links on white
    assert_ring(page, ".user-box button", text="Log ud")
    assert_ring(page, "main a")


def test_the_phone_menu_shows_its_focus(demo, page):
    page.set_viewport_size(PHONE)
    login(page, "tilbudsleder@demo.dk")
    assert_ring(page, "summary.site-menu-button")
    page.keyboard.press("Enter")
    assert_ring(page, ".nav-group > summary")
    page.keyboard.press("Enter")
    assert_ring(page, ".nav-group[open] > ul a")  # the dropdown on the dark blue panel


def test_no_stylesheet_removes_the_outline():
    static = Path(__file__).resolve().parents[2] / "app" / "static"
    removed = [f"{css.name}: {found}" for css in sorted(static.glob("*.css"))
               for found in REMOVED.findall(re.sub(r"/\*.*?\*/", "", css.read_text(), flags=re.S))]
    assert removed == []
