"""A temp ticks their own onboarding item; their leader signs off a leader's item; progress moves on."""

import re

import pytest
from playwright.sync_api import expect

from app import clock
from tests.browser.helpers import login as _login

pytestmark = pytest.mark.browser



def test_temp_ticks_and_leader_signs_off(demo, page, live_server):
    _login(page, "vikar@demo.dk")
    panel = page.locator("section", has=page.get_by_role("heading", name="Min introduktion"))
    expect(panel.locator("progress")).to_be_visible()
    expect(panel).to_contain_text("3 af 12 punkter")
    expect(panel).to_contain_text("Leder kvitterer")
    panel.get_by_role("link", name="Åbn tjeklisten").click()

    item = page.locator("li.ob-item", has_text="Kender vikarinstruksen")
    item.get_by_role("button", name="Afkryds som gennemført").click()
    expect(page.locator(".flash-success")).to_contain_text("Afkrydset: Kender vikarinstruksen")
    expect(page.locator("li.ob-item", has_text="Kender vikarinstruksen")).to_contain_text("Afkrydset af Viktor Vikar")
    expect(page.locator("#status-heading + .ob-progress")).to_contain_text("4 af 12 punkter")
    # A leader's item has no button for the temp.
    leader_item = page.locator("li.ob-item", has_text="Undervisning i konflikthåndtering")
    expect(leader_item).to_contain_text("Venter på kvittering fra din leder")
    expect(leader_item.get_by_role("button")).to_have_count(0)
    page.get_by_role("button", name="Log ud").click()

    _login(page, "afdelingsleder@demo.dk")
    page.get_by_role("link", name="Introduktion", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Introduktion af nyansatte og vikarer")
    row = page.locator("tr", has_text="Viktor Vikar")
    expect(row).to_contain_text("Introduktion ikke gennemført")
    row.get_by_role("link", name="Tjekliste for tilkaldevikarer").click()

    leader_item = page.locator("li.ob-item", has_text="Undervisning i konflikthåndtering")
    leader_item.get_by_label("Dato").fill(clock.today().isoformat())
    page.once("dialog", lambda dialog: dialog.accept())
    leader_item.get_by_role("button", name="Kvittér").click()
    expect(page.locator(".flash-success")).to_contain_text("Kvitteret: Undervisning i konflikthåndtering")
    expect(page.locator("li.ob-item", has_text="Undervisning i konflikthåndtering")).to_contain_text(
        re.compile(r"Kvitteret\s+af Anders Afdelingsleder"))
    expect(page.locator("#status-heading + .ob-progress")).to_contain_text("5 af 12 punkter")
