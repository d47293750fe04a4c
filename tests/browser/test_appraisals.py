"""The leader's journey in Chromium: the talk overview, recording an MU talk, and the employee seeing it."""

import re

import pytest
from playwright.sync_api import expect

from app import clock
from tests.browser.helpers import login as _login
from tests.browser.helpers import menu_link

pytestmark = pytest.mark.browser



def test_leader_records_an_mu_talk_and_the_employee_sees_it(demo, page, live_server):
    _login(page, "afdelingsleder@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Samtaler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samtaler")
    row = page.locator("tr", has_text="Maja Medarbejder")
    row.get_by_role("link", name=re.compile("Registrér")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MU-samtale med Maja Medarbejder")
    page.get_by_label("Holdt den").fill(clock.today().isoformat())
    page.get_by_label("Aftalte udviklingspunkter").fill("Kursus i Marte Meo og sparring med ressourceperson")
    page.get_by_role("button", name="Gem samtale").click()

    expect(page.locator(".flash-success")).to_contain_text("MU-samtale for Maja Medarbejder er gemt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetenceprofil: Maja Medarbejder")
    expect(page.locator("table", has_text="Historik")).to_contain_text("Kursus i Marte Meo")

    page.get_by_role("button", name="Log ud").click()
    _login(page, "medarbejder@demo.dk")
    expect(page.get_by_text("Din næste MU-samtale forventes senest")).to_be_visible()
    menu_link(page, "Min profil", group="Kompetence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetenceprofil: Maja Medarbejder")
    expect(page.get_by_text("Afholdt i år").first).to_be_visible()
    expect(page.locator("table", has_text="Historik")).to_contain_text("Kursus i Marte Meo")
    expect(page.get_by_role("link", name="Samtaler")).to_have_count(0)
