"""A coordinator on a phone registers a new broad partner with its reasons, records what it gave, and
sees the growth chart count one more broad partner this month.

The partner pages are not translated yet, so the steps find their way by ids, names and links.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ecosystem import demo
from partners import demo as partners_demo
from partners.models import Partnership, Status, Tier
from tests.browser.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def last_bar(page: Page) -> tuple[int, int]:
    """This month's bar of the growth chart: (core, broad)."""
    bar = page.locator("#growth-chart g.growth-bar").last
    return int(bar.get_attribute("data-core") or -1), int(bar.get_attribute("data-broad") or -1)


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width} px)"


def test_coordinator_registers_a_broad_partner_with_a_contribution_and_sees_the_chart_grow(live_server, phone_page):
    partners_demo.build(demo.build())
    page = phone_page
    log_in(page, live_server, "coordinator@example.org", demo.DEMO_PASSWORD)

    page.get_by_role("link", name=re.compile("Klooz")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Klooz"))).to_be_visible()
    page.locator('a[href="/n/klooz/partners/"]').first.click()
    expect(page).to_have_url(re.compile(r"/n/klooz/partners/$"))
    expect(page.get_by_role("link", name="Stad Borgloon")).to_be_visible()
    assert_no_sideways_scroll(page)
    core_before, broad_before = last_bar(page)
    core_now = Partnership.objects.filter(network__slug="klooz", tier=Tier.CORE).exclude(status=Status.LEFT).count()
    assert core_before == core_now >= 5 and broad_before >= 1  # the founders, and the library once admitted

    # Register: an active broad partner, two reasons ticked.
    page.locator('a[href="/n/klooz/partners/new/"]').click()
    form = page.locator("main form[method=post]")
    form.locator("[name=name]").fill("Speelpleinwerking Borgloon")
    form.locator("[name=type]").select_option("youth_work")
    form.locator("[name=municipality]").fill("Borgloon")
    form.locator("[name=status]").select_option("active")
    form.locator("input[name=reasons][value=target_groups]").check()
    form.locator("input[name=reasons][value=local]").check()
    form.locator("input[name=offers][value=capacity]").check()
    assert_no_sideways_scroll(page)
    form.locator("button[type=submit]").click()

    expect(page.get_by_role("heading", level=1, name="Speelpleinwerking Borgloon")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/n/klooz/partners/\d+/$"))
    why = page.locator("section[aria-labelledby=why-heading]")
    expect(why.locator("li")).to_have_count(3)  # two reasons, one offer
    assert_no_sideways_scroll(page)

    # Record what it gave: hours, with their value.
    contribution = page.locator('form[action$="/contributions/"]')
    contribution.locator("[name=kind]").select_option("hours")
    contribution.locator("[name=quantity]").fill("6")
    contribution.locator("[name=value_eur]").fill("270")
    contribution.locator("[name=note]").fill("Begeleiding speelpleindag")
    contribution.locator("button[type=submit]").click()

    listed = page.locator("section[aria-labelledby=contrib-heading] li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Begeleiding speelpleindag")
    expect(listed).to_contain_text("270")
    assert_no_sideways_scroll(page)

    partnership = Partnership.objects.get(organisation__name="Speelpleinwerking Borgloon")
    assert (partnership.tier, partnership.status) == (Tier.BROAD, Status.ACTIVE)
    assert sorted(partnership.reasons) == ["local", "target_groups"]
    entry = partnership.contributions.get()
    assert (entry.kind, entry.quantity, entry.value_eur) == ("hours", 6, 270)

    # Back to the partners: this month's bar counts one more broad partner.
    page.locator('a[href="/n/klooz/partners/"]').first.click()
    expect(page.get_by_role("link", name="Speelpleinwerking Borgloon")).to_be_visible()
    assert last_bar(page) == (core_before, broad_before + 1)
    assert_no_sideways_scroll(page)
