"""A department leader keeps a child's record in Chromium: admits a child, sets the contact team, records the
plan, sees the checks page change; a CPR number is refused; the leader reads the access log."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login as _login

pytestmark = pytest.mark.browser



def test_leader_admits_a_child_sets_team_and_plan(demo, page, live_server):
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, "afdelingsleder@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Børn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Børn")
    page.get_by_role("link", name="Indskriv barn").click()
    expect(page.get_by_text("skriv ikke CPR-numre, diagnoser eller sagsnotater")).to_be_visible()

    page.get_by_label("Visningsnavn eller initialer").fill("Zenia Z.")
    page.get_by_label("Intern reference").fill("120590-1234")
    page.get_by_label("Indskrevet den").fill("2026-01-05")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Skriv ikke CPR-numre i portalen.")).to_be_visible()

    page.get_by_label("Intern reference").fill("B-2026-77")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontaktteam for Zenia Z.")
    page.get_by_label("Maja Medarbejder").check()
    page.locator('input[name="members"]').nth(1).check()
    page.get_by_label("Koordinator").select_option(label="Maja Medarbejder")
    page.get_by_role("button", name="Gem kontaktteam").click()
    expect(page.get_by_text("Kontaktteamet er gemt.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zenia Z.")
    expect(page.get_by_text("Ingen individuel plan")).to_be_visible()

    page.get_by_role("link", name="Registrér plan").click()
    page.locator('input[name="goals-0-title"]').fill("Bruge piktogrammer ved overgange")
    page.get_by_role("button", name="Registrér opdatering").click()
    expect(page.get_by_text("Opdateringen af den individuelle plan er registreret.")).to_be_visible()
    expect(page.get_by_text("Mål: Bruge piktogrammer ved overgange")).to_be_visible()
    expect(page.get_by_text("Kontaktteam og planer er ajour.")).to_be_visible()

    page.goto("/children/checks")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tjek af kontaktteams og planer")
    expect(page.locator("main")).to_contain_text("Børn uden mangler")
    expect(page.locator("main")).not_to_contain_text("Zenia Z.")

    page.goto("/children/log")
    expect(page.locator("table")).to_contain_text("Zenia Z.")
    expect(page.locator("table")).to_contain_text("Anders Afdelingsleder")


def test_temp_confirms_handover_and_cannot_open_history(demo, page, live_server):
    _login(page, "vikar@demo.dk")
    page.goto("/children/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Børn i din afdeling")
    page.locator("table a").first.click()
    expect(page.get_by_text("Ikke læst endnu")).to_be_visible()
    page.get_by_role("button", name="Jeg har læst overleveringen").click()
    expect(page.get_by_text("Du har læst overleveringen", exact=True)).to_be_visible()
    child_url = page.url
    page.goto(child_url.rstrip("/") + "/history")
    expect(page.get_by_text(re.compile("Som vikar kan du kun se barnets navn"))).to_be_visible()
