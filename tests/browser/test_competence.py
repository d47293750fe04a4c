"""The main competence journey in Chromium: an employee sends a wish, the leader forwards the overview."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from app import clock
from tests.browser.helpers import menu_link

pytestmark = pytest.mark.browser

PASSWORD = "demo1234"


def _login(page, email):
    page.goto("/auth/login")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_employee_wish_reaches_the_leader_who_forwards_the_overview(demo, page, live_server, set_today):
    set_today(datetime(clock.today().year, 9, 15, 12, tzinfo=clock.TZ))
    year = clock.today().year + 1
    _login(page, "medarbejder@demo.dk")
    menu_link(page, "Kursusønsker", group="Kompetence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine kursusønsker")
    page.get_by_role("link", name="Nyt ønske").click()
    page.get_by_label("Hvad ønsker du?").fill("Marte Meo for begyndere")
    page.get_by_label("Forventet pris (kr.)").fill("-5")
    page.get_by_role("button", name="Send ønske").click()
    expect(page.locator(".form-errors")).to_contain_text("Vælg mindst én af afdelingens metoder")
    page.get_by_label("Low arousal").check()
    page.get_by_role("button", name="Send ønske").click()
    expect(page.locator(".form-errors")).to_contain_text("kan ikke være negativ")
    page.get_by_label("Forventet pris (kr.)").fill("6.500")
    page.get_by_label("Begrundelse").fill("Bedre kontakt med de yngste børn.")
    page.get_by_role("button", name="Send ønske").click()
    expect(page.locator(".flash-success")).to_contain_text("sendt til din leder")
    expect(page.locator("table.wishes")).to_contain_text("Marte Meo for begyndere")
    expect(page.locator("table.wishes")).to_contain_text("6.500 kr.")
    page.get_by_role("button", name="Log ud").click()

    _login(page, "afdelingsleder@demo.dk")
    page.goto(f"/competence/overview?aar={year}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skovbrynet")
    row = page.locator("tr", has_text="Marte Meo for begyndere")
    row.locator("input.priority").fill("1")
    page.get_by_label("Afdelingslederens anbefaling").fill("Marte Meo passer til vores målgruppe.")
    page.get_by_role("button", name="Gem prioriteter og anbefaling").click()
    expect(page.locator(".flash-success")).to_contain_text("Oversigten er gemt")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send oversigten til tilbudslederen").click()
    expect(page.locator(".flash-success")).to_contain_text("låst")
    expect(page.locator(".notice.locked")).to_contain_text(re.compile("Sendt til tilbudslederen"))
    expect(page.get_by_role("button", name="Gem prioriteter og anbefaling")).to_have_count(0)
