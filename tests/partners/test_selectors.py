"""Reads: who was a partner on a date and in which tier, how the network grew, the ledger's totals and
the co-financing share, and a partnership read back as it was on a past date.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.services import update_network_profile
from partners import selectors, services
from partners.models import Partnership, Status, Tier
from tests.conftest import World
from tests.decisions.factories import admit_by_consent
from tests.factories import make_contribution, make_partnership

BRUSSELS = ZoneInfo("Europe/Brussels")
D = datetime.date


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


def _admit(world: World, partnership: Partnership, on: datetime.date) -> None:
    """Admission takes effect on the day the decision is adopted: travel there to adopt it."""
    with time_machine.travel(at(on), tick=False):
        admit_by_consent(world, partnership)


# --- partners on a date --------------------------------------------------------------------------


@pytest.fixture
def timeline(world: World) -> dict[str, Partnership]:
    """Anna joins, pauses, leaves, comes back and is admitted to the core; Bram is prospective and then
    admitted straight to the core; Cas joins and stays broad; Genk's partner is another network's."""
    with time_machine.travel(at(D(2025, 1, 10)), tick=False):
        anna = make_partnership(world.network, "Anna vzw", since=D(2025, 1, 10))
    with time_machine.travel(at(D(2025, 2, 1)), tick=False):
        bram = make_partnership(world.network, "Bram bv", status=Status.PROSPECTIVE)
    with time_machine.travel(at(D(2025, 3, 1)), tick=False):
        services.change_status(partnership=anna, to_status=Status.PAUSED, by=None)
    with time_machine.travel(at(D(2025, 3, 15)), tick=False):
        cas = make_partnership(world.network, "Cas Sport", since=D(2025, 3, 15))
    with time_machine.travel(at(D(2025, 5, 1)), tick=False):
        services.change_status(partnership=anna, to_status=Status.LEFT, by=None)
    _admit(world, bram, D(2025, 6, 1))
    with time_machine.travel(at(D(2025, 7, 1)), tick=False):
        services.change_status(partnership=anna, to_status=Status.ACTIVE, by=None)
    _admit(world, anna, D(2025, 9, 15))
    with time_machine.travel(at(D(2025, 1, 1)), tick=False):
        make_partnership(world.other_network, "Stad Genk", since=D(2025, 1, 1))
    return {"anna": anna, "bram": bram, "cas": cas}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2025, 1, 9), []),
        (D(2025, 1, 10), [("Anna vzw", "broad")]),
        (D(2025, 2, 15), [("Anna vzw", "broad")]),  # Bram is only prospective
        (D(2025, 3, 1), []),  # Anna paused that day
        (D(2025, 3, 20), [("Cas Sport", "broad")]),
        (D(2025, 5, 15), [("Cas Sport", "broad")]),  # Anna left
        (D(2025, 6, 1), [("Bram bv", "core"), ("Cas Sport", "broad")]),
        (D(2025, 7, 1), [("Bram bv", "core"), ("Anna vzw", "broad"), ("Cas Sport", "broad")]),  # Anna is back
        (D(2025, 9, 14), [("Bram bv", "core"), ("Anna vzw", "broad"), ("Cas Sport", "broad")]),
        (D(2025, 9, 15), [("Anna vzw", "core"), ("Bram bv", "core"), ("Cas Sport", "broad")]),
        (D(2026, 1, 1), [("Anna vzw", "core"), ("Bram bv", "core"), ("Cas Sport", "broad")]),
    ],
)
def test_partners_on_a_date_with_the_tier_they_had_then(world: World, timeline, on, expected):
    rows = selectors.partners_on(world.network, on)
    assert [(row.partnership.name, row.tier) for row in rows] == expected
    assert all(row.status == Status.ACTIVE for row in rows)


def test_partners_on_a_date_is_one_query(world: World, timeline):
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.partners_on(world.network, D(2025, 7, 1))
        names = [row.partnership.name for row in rows]
    assert len(names) == 3
    assert len(queries) == 1


def test_two_changes_on_one_day_count_in_the_order_they_were_recorded(world: World):
    with time_machine.travel(at(D(2025, 4, 1), 9), tick=False):
        partnership = make_partnership(world.network, "Dora", status=Status.PROSPECTIVE, since=D(2025, 4, 1))
    with time_machine.travel(at(D(2025, 4, 1), 10), tick=False):
        services.change_status(partnership=partnership, to_status=Status.ACTIVE, by=None)
    assert [(r.partnership.name, r.status) for r in selectors.partners_on(world.network, D(2025, 4, 1))] == [
        ("Dora", "active")
    ]


# --- growth --------------------------------------------------------------------------------------


def test_growth_counts_core_and_broad_partners_at_the_end_of_each_month(world: World):
    with time_machine.travel(at(D(2025, 2, 1)), tick=False):
        erik = make_partnership(world.network, "Erik", status=Status.PROSPECTIVE)
    _admit(world, erik, D(2025, 4, 15))
    with time_machine.travel(at(D(2025, 6, 15)), tick=False):
        make_partnership(world.network, "Fien", since=D(2025, 1, 5))
        make_partnership(world.network, "Gust", since=D(2025, 3, 20))
        make_partnership(world.network, "Hilde", since=D(2025, 3, 31))  # the last day still counts for March
        ivo = make_partnership(world.network, "Ivo", since=D(2025, 4, 1))
        services.change_status(partnership=ivo, to_status=Status.PAUSED, on=D(2025, 5, 10), by=None)
        make_partnership(world.other_network, "Genk partner", since=D(2025, 1, 1))

        points = selectors.growth_by_month(world.network)

    assert [(p.month, p.core, p.broad) for p in points] == [
        (D(2024, 7, 1), 0, 0),
        (D(2024, 8, 1), 0, 0),
        (D(2024, 9, 1), 0, 0),
        (D(2024, 10, 1), 0, 0),
        (D(2024, 11, 1), 0, 0),
        (D(2024, 12, 1), 0, 0),
        (D(2025, 1, 1), 0, 1),
        (D(2025, 2, 1), 0, 1),  # Erik is only prospective
        (D(2025, 3, 1), 0, 3),
        (D(2025, 4, 1), 1, 4),
        (D(2025, 5, 1), 1, 3),  # Ivo paused
        (D(2025, 6, 1), 1, 3),
    ]
    assert points[-1].total == 4


def test_growth_over_fewer_months_across_a_new_year(world: World):
    with time_machine.travel(at(D(2026, 2, 3)), tick=False):
        make_partnership(world.network, "Jan", since=D(2025, 12, 31))
        make_partnership(world.network, "Kim", since=D(2026, 2, 3))
        points = selectors.growth_by_month(world.network, months=4)
    assert [(p.month, p.broad) for p in points] == [
        (D(2025, 11, 1), 0),
        (D(2025, 12, 1), 1),
        (D(2026, 1, 1), 1),
        (D(2026, 2, 1), 2),  # the current month counts up to today
    ]


# --- ledger totals -------------------------------------------------------------------------------


@pytest.fixture
def ledger(world: World) -> dict[str, Partnership]:
    stad = make_partnership(world.network, "Stad Borgloon", since=D(2025, 1, 1))
    club = make_partnership(world.network, "Sportclub", since=D(2025, 1, 1))
    make_contribution(stad, kind="money", quantity="2500", value_eur=None, on=D(2025, 1, 15))
    make_contribution(stad, kind="hours", quantity="16", value_eur="720", on=D(2025, 1, 20))
    make_contribution(stad, kind="hours", quantity="8", value_eur="360", on=D(2025, 2, 5))
    wrong = make_contribution(stad, kind="rooms", quantity="40", value_eur="4000", on=D(2025, 2, 10))
    services.correct_contribution(entry=wrong, reason="Entered twice", by=None)
    make_contribution(stad, kind="rooms", quantity="20", value_eur="2000", on=D(2025, 2, 10))
    make_contribution(club, kind="expertise", quantity="4", value_eur="200", on=D(2025, 2, 28))
    make_contribution(club, kind="material", quantity="10", value_eur=None, on=D(2025, 3, 1))
    other = make_partnership(world.other_network, "Stad Genk", since=D(2025, 1, 1))
    make_contribution(other, kind="money", quantity="99999", value_eur=None, on=D(2025, 2, 1))
    return {"stad": stad, "club": club}


def test_ledger_totals_per_partner_kind_and_month(world: World, ledger):
    totals = selectors.ledger_totals(world.network)
    assert [(r["name"], r["value"], r["entries"], r["hours"]) for r in totals.by_partner] == [
        ("Stad Borgloon", Decimal("5580"), 6, Decimal("24")),
        ("Sportclub", Decimal("200"), 2, Decimal("4")),
    ]
    assert [(r["kind"], r["quantity"], r["value"]) for r in totals.by_kind] == [
        ("expertise", Decimal("4"), Decimal("200")),
        ("hours", Decimal("24"), Decimal("1080")),
        ("material", Decimal("10"), None),
        ("money", Decimal("2500"), Decimal("2500")),
        ("rooms", Decimal("20"), Decimal("2000")),  # 40 entered, 40 taken back, 20 entered
    ]
    assert [(r["month"], r["value"]) for r in totals.by_month] == [
        (D(2025, 1, 1), Decimal("3220")),
        (D(2025, 2, 1), Decimal("2560")),
        (D(2025, 3, 1), None),
    ]
    assert totals.total_value == Decimal("5780")


def test_ledger_totals_for_a_period(world: World, ledger):
    totals = selectors.ledger_totals(world.network, D(2025, 2, 1), D(2025, 2, 28))
    assert [(r["name"], r["value"]) for r in totals.by_partner] == [
        ("Stad Borgloon", Decimal("2360")),
        ("Sportclub", Decimal("200")),
    ]
    assert totals.total_value == Decimal("2560")


def test_the_cofinancing_share_is_the_recorded_value_against_budget_times_rate(world: World, ledger):
    assert selectors.ledger_totals(world.network).cofinancing_share is None  # no budget yet
    update_network_profile(network=world.network, by=None, budget=Decimal("23120"), co_financing_rate=Decimal("50"))
    world.network.refresh_from_db()
    totals = selectors.ledger_totals(world.network)
    assert totals.required_cofinancing == Decimal("11560.00")
    assert totals.cofinancing_share == Decimal("50.0")  # 5780 of 11560
    update_network_profile(network=world.network, by=None, co_financing_rate=Decimal("20"))
    world.network.refresh_from_db()
    assert selectors.ledger_totals(world.network).cofinancing_share == Decimal("125.0")  # 5780 of 4624


def test_the_ledger_marks_the_corrected_entries(world: World, ledger):
    rows = list(selectors.ledger(world.network))
    corrected = [(r.kind, r.quantity) for r in rows if r.correction_exists]
    corrections = [(r.kind, r.quantity) for r in rows if r.corrects_id]
    assert corrected == [("rooms", Decimal("40"))] and corrections == [("rooms", Decimal("-40"))]
    assert len(rows) == 8


# --- history as of a past date -------------------------------------------------------------------


def test_a_partnership_is_read_back_as_it_was_on_a_past_date(world: World):
    with time_machine.travel(at(D(2025, 1, 10)), tick=False):
        partnership = make_partnership(
            world.network, "Link in de Kabel vzw", since=D(2025, 1, 10), reasons=["learning"], offers=["expertise"]
        )
    with time_machine.travel(at(D(2025, 3, 1)), tick=False):
        services.update_partnership(partnership=partnership, reasons=["mission", "local"], by=None)
    with time_machine.travel(at(D(2025, 5, 1)), tick=False):
        services.change_status(partnership=partnership, to_status=Status.PAUSED, reason="Reorganisation", by=None)
    _admit(world, partnership, D(2025, 8, 1))

    def as_of(day: datetime.date):
        return partnership.history.as_of(at(day, 18))

    first = as_of(D(2025, 2, 1))
    assert (first.tier, first.status, first.status_since, first.reasons) == (
        Tier.BROAD,
        Status.ACTIVE,
        D(2025, 1, 10),
        ["learning"],
    )
    second = as_of(D(2025, 4, 1))
    assert (second.tier, second.status, second.reasons) == (Tier.BROAD, Status.ACTIVE, ["mission", "local"])
    third = as_of(D(2025, 6, 1))
    assert (third.tier, third.status, third.status_since) == (Tier.BROAD, Status.PAUSED, D(2025, 5, 1))
    now = as_of(D(2025, 9, 1))
    # Admitted to the core: active again.
    assert (now.tier, now.status, now.reasons) == (Tier.CORE, Status.ACTIVE, ["mission", "local"])

    # The whole network, as it was: the class-level history answers the same.
    then = Partnership.history.as_of(at(D(2025, 4, 1), 18))
    assert [(p.name, p.tier, p.reasons) for p in then] == [("Link in de Kabel vzw", "broad", ["mission", "local"])]
    partnership.refresh_from_db()
    assert partnership.tier == Tier.CORE and partnership.reasons == ["mission", "local"]


def test_history_before_a_partnership_existed_is_empty(world: World):
    with time_machine.travel(at(D(2025, 1, 10)), tick=False):
        partnership = make_partnership(world.network, "Late vzw", since=D(2025, 1, 10))
    with pytest.raises(Partnership.DoesNotExist):
        partnership.history.as_of(at(D(2025, 1, 9)))
    assert list(Partnership.history.as_of(at(D(2025, 1, 9)))) == []
