"""The ledger page: a period that cannot be read shows no entries; the period survives paging."""

from __future__ import annotations

import datetime
import html

from django.urls import reverse

from tests.conftest import World
from tests.factories import make_contribution, make_partnership
from tests.helpers import english


def _ledger(world: World) -> str:
    return reverse("ledger", kwargs={"network_slug": world.network.slug})


def test_an_invalid_period_says_why_and_lists_nothing(world: World):
    partner = make_partnership(world.network, "Stad Borgloon", since=datetime.date(2025, 1, 1))
    make_contribution(partner, on=datetime.date(2025, 3, 1), note="Werkingsmiddelen maart")

    response = english(world.client("coordinator")).get(_ledger(world), {"start": "2025-06-01", "end": "2025-01-01"})

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "The period ends before it starts." in page
    assert "Werkingsmiddelen maart" not in page  # not every entry as if no period had been asked for


def test_the_period_is_kept_on_the_next_page(world: World):
    partner = make_partnership(world.network, "Stad Borgloon", since=datetime.date(2025, 1, 1))
    for day in range(60):  # more than a page (50) in January and February
        make_contribution(partner, on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day))
    make_contribution(partner, on=datetime.date(2025, 3, 5), note="March")
    period = {"start": "2025-01-01", "end": "2025-03-01"}

    response = world.client("coordinator").get(_ledger(world), period)

    assert "?start=2025-01-01&amp;end=2025-03-01&amp;page=2" in response.content.decode()
    second = world.client("coordinator").get(_ledger(world), {**period, "page": 2})
    assert "March" not in second.content.decode()
