"""A coordinator on a phone: log in, open Klooz, switch to English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ecosystem import demo
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_on_a_phone_opens_klooz_and_switches_to_english(live_server, phone_page):
    demo.build()
    page = phone_page

    log_in(page, live_server, "coordinator@example.org", demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Mijn netwerken")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways on a phone"

    page.get_by_role("link", name=re.compile("Klooz")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Klooz"))).to_be_visible()
    expect(page.locator("#acting-role")).to_contain_text("coördinator")
    expect(page.get_by_text("Netwerkadministratieve organisatie (NAO)")).to_be_visible()

    # The language switch sits in the collapsed menu on a phone.
    page.get_by_role("button", name="Open het menu").click()
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wijzigen").click()

    expect(page.get_by_role("heading", level=1, name=re.compile("Klooz"))).to_be_visible()
    expect(page.locator("#acting-role")).to_contain_text("You act here as: coordinator")
    expect(page.get_by_text("Network administrative organisation")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
