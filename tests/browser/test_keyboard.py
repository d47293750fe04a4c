"""Keyboard only (WCAG 2.1.1): the course-wish journey and the temp's checklist journey are completed with Tab,
typing, Space and Enter, never the mouse. Each step moves focus with Tab until it reaches the control a sighted
keyboard user would be on, so a control that cannot be reached by Tab fails the test."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from app import clock
from tests.browser.helpers import login, tab_to

pytestmark = pytest.mark.browser


def test_a_course_wish_is_sent_with_the_keyboard_only(demo, page, live_server, set_today):
    set_today(datetime(clock.today().year, 9, 15, 12, tzinfo=clock.TZ))
    login(page, "medarbejder@demo.dk")
    page.goto("/competence/")
    tab_to(page, 'a[href$="/competence/wishes/new"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ønske")
    tab_to(page, 'input[name="title"]')
    page.keyboard.type("Marte Meo med tastaturet")
    tab_to(page, 'input[name="cost"]')
    page.keyboard.type("6.500")
    tab_to(page, 'input[name="methods"]')
    page.keyboard.press("Space")
    tab_to(page, 'textarea[name="reason"]')
    page.keyboard.type("Bedre kontakt med de yngste børn.")
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("sendt til din leder")
    expect(page.locator("table.wishes")).to_contain_text("Marte Meo med tastaturet")


def test_a_temp_ticks_a_checklist_item_with_the_keyboard_only(demo, page, live_server):
    login(page, "vikar@demo.dk")
    tab_to(page, "a", text="Åbn tjeklisten")
    page.keyboard.press("Enter")
    expect(page.locator("li.ob-item", has_text="Kender vikarinstruksen")).to_be_visible()
    tab_to(page, "li.ob-item button", text="Kender vikarinstruksen", within="li.ob-item")
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Afkrydset: Kender vikarinstruksen")
