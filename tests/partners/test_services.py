"""The partner services: who may register whom, the status lifecycle, core only by an adopted decision,
and a ledger that is corrected by counter-entries, never edited.
"""

from __future__ import annotations

import datetime
import inspect
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from decisions import services as decision_services
from decisions.models import AnswerKind, ProposalKind
from partners import services
from partners.models import (
    STATUS_FLOW,
    Contribution,
    ContributionKind,
    EventKind,
    Organisation,
    Partnership,
    PartnershipEvent,
    Status,
    Tier,
)
from partners.selectors import already_partners
from tests.conftest import World, add_council
from tests.decisions.factories import admit_by_consent, answer, make_round
from tests.factories import make_contribution, make_partnership

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
A_YEAR_AGO = TODAY - datetime.timedelta(days=365)


@pytest.fixture(autouse=True)
def _refusals_in_english():
    """Services raise refusals in the active language; these tests read them by their English msgid."""
    with translation.override("en"):
        yield


@dataclass
class Decision:
    """A forged decision: what admit_to_core must refuse unless it is a real adoption of the network."""

    network_id: int
    is_adopted: bool = True
    pk: int = 7


def _organisation(name: str = "Jeugdhuis 't Biejke vzw") -> Organisation:
    return services.find_or_create_organisation(name=name)[0]


def _partnership_state(partnership: Partnership) -> tuple:
    partnership.refresh_from_db()
    return partnership.tier, partnership.status, partnership.status_since, partnership.events.count()


# --- register_partner ----------------------------------------------------------------------------


def test_a_coalition_member_registers_a_prospective_partner(world: World):
    partnership = services.register_partner(
        network=world.network, by=world.user("coalition"), organisation=_organisation(), status=Status.PROSPECTIVE
    )
    assert (partnership.tier, partnership.status) == (Tier.BROAD, Status.PROSPECTIVE)
    event = partnership.events.get()
    assert event.kind == EventKind.JOINED and event.by == world.persons["coalition"]


def test_a_coalition_member_cannot_register_an_active_partner(world: World):
    with pytest.raises(PermissionDenied):
        services.register_partner(
            network=world.network, by=world.user("coalition"), organisation=_organisation(), status=Status.ACTIVE
        )
    assert not Partnership.objects.exists()


def test_a_coordinator_registers_an_active_broad_partner(world: World):
    partnership = services.register_partner(
        network=world.network,
        by=world.user("coordinator"),
        organisation=_organisation(),
        status=Status.ACTIVE,
        since=A_YEAR_AGO,
        reasons=["local", "learning"],
        offers=["capacity"],
        reason="Signed the partnership agreement",
    )
    partnership.refresh_from_db()
    assert (partnership.tier, partnership.status, partnership.status_since) == (Tier.BROAD, Status.ACTIVE, A_YEAR_AGO)
    assert partnership.reasons == ["local", "learning"] and partnership.offers == ["capacity"]
    event = partnership.events.get()
    assert (event.on, event.status, event.by, event.reason) == (
        A_YEAR_AGO,
        Status.ACTIVE,
        world.persons["coordinator"],
        "Signed the partnership agreement",
    )


@pytest.mark.parametrize("persona", ["funder", "broad_partner", "facilitator", "observer", "outsider"])
@pytest.mark.parametrize("status", [Status.PROSPECTIVE, Status.ACTIVE])
def test_others_cannot_register_a_partner(world: World, persona: str, status: str):
    with pytest.raises(PermissionDenied):
        services.register_partner(
            network=world.network, by=world.user(persona), organisation=_organisation(), status=status
        )
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("status", [Status.PROSPECTIVE, Status.ACTIVE])
def test_a_new_partner_is_never_core(world: World, status: str):
    partnership = services.register_partner(
        network=world.network, by=world.user("coordinator"), organisation=_organisation(), status=status
    )
    assert partnership.tier == Tier.BROAD
    assert partnership.events.get().tier == Tier.BROAD
    with pytest.raises(TypeError):
        services.register_partner(network=world.network, by=None, organisation=_organisation("Other"), tier=Tier.CORE)


@pytest.mark.parametrize("status", [Status.PAUSED, Status.LEFT, "core"])
def test_a_new_partner_starts_prospective_or_active(world: World, status: str):
    with pytest.raises(ValidationError):
        services.register_partner(network=world.network, by=None, organisation=_organisation(), status=status)
    assert not Partnership.objects.exists()


def test_an_organisation_is_registered_once_per_network(world: World):
    services.register_partner(network=world.network, by=None, organisation=_organisation("Stad Borgloon"))
    same, created = services.find_or_create_organisation(name="  stad   BORGLOON ")
    assert not created
    with pytest.raises(ValidationError, match="already a partner"):
        services.register_partner(network=world.network, by=None, organisation=same, status=Status.ACTIVE)
    assert Partnership.objects.count() == 1
    # The same organisation may take part in another network.
    services.register_partner(network=world.other_network, by=None, organisation=same)
    assert same.partnerships.count() == 2


def test_a_person_is_registered_once_per_network(world: World):
    person = world.persons["facilitator"]
    services.register_partner(network=world.network, by=None, person=person)
    with pytest.raises(ValidationError):
        services.register_partner(network=world.network, by=None, person=person)
    assert Partnership.objects.filter(person=person).count() == 1


def test_a_partner_is_an_organisation_or_a_person_not_both(world: World):
    with pytest.raises(ValidationError):
        services.register_partner(
            network=world.network, by=None, organisation=_organisation(), person=world.persons["facilitator"]
        )
    with pytest.raises(ValidationError):
        services.register_partner(network=world.network, by=None)
    assert not Partnership.objects.exists()


def test_a_partner_cannot_join_in_the_future(world: World):
    with pytest.raises(ValidationError, match="future"):
        services.register_partner(
            network=world.network, by=world.user("coordinator"), organisation=_organisation(), since=TOMORROW
        )
    assert not Partnership.objects.exists() and not PartnershipEvent.objects.exists()


@pytest.mark.parametrize("field", ["reasons", "offers"])
def test_unknown_reasons_and_offers_are_refused(world: World, field: str):
    with pytest.raises(ValidationError, match="fun"):
        services.register_partner(
            network=world.network, by=None, organisation=_organisation(), **{field: ["learning", "fun"]}
        )
    assert not Partnership.objects.exists()


# --- change_status -------------------------------------------------------------------------------

_ALL_MOVES = [(a, b) for a in Status.values for b in Status.values]
ALLOWED = [move for move in _ALL_MOVES if move[1] in STATUS_FLOW[move[0]]]
REFUSED = [move for move in _ALL_MOVES if move[1] not in STATUS_FLOW[move[0]]]


def _partner_in(world: World, status: str) -> Partnership:
    """A partnership that reached ``status`` through the services, its last change a year ago."""
    partnership = make_partnership(
        world.network, status=Status.PROSPECTIVE if status == Status.PROSPECTIVE else Status.ACTIVE, since=A_YEAR_AGO
    )
    if status in (Status.PAUSED, Status.LEFT):
        services.change_status(partnership=partnership, to_status=status, on=A_YEAR_AGO, by=None)
    partnership.refresh_from_db()
    assert partnership.status == status
    return partnership


def test_the_flow_is_the_one_the_product_promises():
    assert ALLOWED == [
        ("prospective", "active"),
        ("prospective", "left"),
        ("active", "paused"),
        ("active", "left"),
        ("paused", "active"),
        ("paused", "left"),
        ("left", "active"),
    ]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_status_change_is_recorded_with_who_when_and_why(world: World, from_status, to_status):
    partnership = _partner_in(world, from_status)
    on = TODAY - datetime.timedelta(days=30)
    event = services.change_status(
        partnership=partnership,
        to_status=to_status,
        on=on,
        reason="Agreed at the meeting",
        by=world.user("coordinator"),
    )
    partnership.refresh_from_db()
    assert (partnership.status, partnership.status_since, partnership.tier) == (to_status, on, Tier.BROAD)
    assert event == partnership.events.last()
    assert (event.kind, event.status, event.tier, event.on) == (EventKind.STATUS, to_status, Tier.BROAD, on)
    assert (event.by, event.reason) == (world.persons["coordinator"], "Agreed at the meeting")
    assert event.recorded_at is not None


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_every_other_status_change_is_refused(world: World, from_status, to_status):
    partnership = _partner_in(world, from_status)
    before = _partnership_state(partnership)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.change_status(partnership=partnership, to_status=to_status, by=world.user("coordinator"))
    assert _partnership_state(partnership) == before


def test_a_partner_who_left_comes_back(world: World):
    partnership = make_partnership(world.network, since=A_YEAR_AGO)
    services.change_status(partnership=partnership, to_status=Status.LEFT, on=A_YEAR_AGO, by=None)
    services.change_status(partnership=partnership, to_status=Status.ACTIVE, reason="Back after a year", by=None)
    partnership.refresh_from_db()
    assert (partnership.status, partnership.status_since) == (Status.ACTIVE, TODAY)
    assert list(partnership.events.values_list("status", flat=True)) == ["active", "left", "active"]


def test_an_unknown_status_is_refused(world: World):
    partnership = make_partnership(world.network)
    with pytest.raises(ValidationError):
        services.change_status(partnership=partnership, to_status="core", by=None)
    assert partnership.events.count() == 1


def test_a_status_change_cannot_be_in_the_future_or_before_the_current_status(world: World):
    partnership = make_partnership(world.network, since=TODAY - datetime.timedelta(days=10))
    before = _partnership_state(partnership)
    with pytest.raises(ValidationError, match="future"):
        services.change_status(partnership=partnership, to_status=Status.PAUSED, on=TOMORROW, by=None)
    with pytest.raises(ValidationError, match="before"):
        services.change_status(partnership=partnership, to_status=Status.PAUSED, on=A_YEAR_AGO, by=None)
    assert _partnership_state(partnership) == before


@pytest.mark.parametrize("persona", ["coalition", "broad_partner", "funder", "outsider"])
def test_only_a_coordinator_changes_a_status(world: World, persona: str):
    partnership = make_partnership(world.network)
    with pytest.raises(PermissionDenied):
        services.change_status(partnership=partnership, to_status=Status.PAUSED, by=world.user(persona))
    assert _partnership_state(partnership)[1] == Status.ACTIVE


# --- admission to the core -----------------------------------------------------------------------


def test_an_adopted_decision_admits_a_prospective_partner_to_the_core(world: World):
    partnership = make_partnership(world.network, status=Status.PROSPECTIVE, since=A_YEAR_AGO)

    decision = admit_by_consent(world, partnership, by="coalition")

    partnership.refresh_from_db()
    assert (partnership.tier, partnership.status, partnership.status_since) == (Tier.CORE, Status.ACTIVE, TODAY)
    event = partnership.events.get(tier=Tier.CORE)
    assert (event.kind, event.status, event.on) == (EventKind.TIER, Status.ACTIVE, TODAY)
    assert event.decision_ref == f"Proposal:{decision.pk}"
    assert event.by == world.persons["coalition"]  # on behalf of the proposer
    assert partnership.events.count() == 2


def test_an_active_broad_partner_keeps_its_status_date_when_admitted(world: World):
    partnership = make_partnership(world.network, since=A_YEAR_AGO)
    admit_by_consent(world, partnership)
    partnership.refresh_from_db()
    assert (partnership.tier, partnership.status, partnership.status_since) == (Tier.CORE, Status.ACTIVE, A_YEAR_AGO)


def test_a_paused_partner_admitted_is_active_again(world: World):
    partnership = _partner_in(world, Status.PAUSED)
    admit_by_consent(world, partnership)
    partnership.refresh_from_db()
    assert (partnership.tier, partnership.status, partnership.status_since) == (Tier.CORE, Status.ACTIVE, TODAY)


def test_the_admission_is_dated_on_the_day_the_decision_was_adopted(world: World):
    """A round closed by the periodic task the morning after its deadline adopted it on its closing day."""
    add_council(world)
    partnership = make_partnership(world.network, status=Status.PROSPECTIVE, since=A_YEAR_AGO)
    round = make_round(world, kind=ProposalKind.ADMIT_PARTNER, subject=partnership, days=1)
    for persona in ("coordinator", "coalition", "member2"):
        answer(world, round, persona, AnswerKind.CONSENT)
    closed_on = round.deadline + datetime.timedelta(minutes=5)

    decision_services.close_round(round=round, now=closed_on)

    event = partnership.events.get(tier=Tier.CORE)
    assert event.on == timezone.localdate(closed_on)
    partnership.refresh_from_db()
    assert partnership.status_since == timezone.localdate(closed_on)


def test_no_login_admits_to_the_core_even_with_an_adopted_decision(world: World):
    partnership = make_partnership(world.network, status=Status.PROSPECTIVE, since=A_YEAR_AGO)
    decision = admit_by_consent(world, make_partnership(world.network, "Another partner"))
    before = _partnership_state(partnership)
    with pytest.raises(PermissionDenied):
        services.admit_to_core(partnership=partnership, decision=decision, by=world.user("coordinator"))
    assert _partnership_state(partnership) == before


@dataclass
class Unadopted:
    """A decision object that never says it is adopted (no ``is_adopted`` at all)."""

    network_id: int
    pk: int = 8


@pytest.mark.parametrize(
    "make_decision",
    [
        pytest.param(lambda w: Decision(network_id=w.network.pk, is_adopted=False), id="not-adopted"),
        pytest.param(lambda w: Unadopted(network_id=w.network.pk), id="no-adoption-at-all"),
        pytest.param(lambda w: Decision(network_id=w.other_network.pk), id="another-networks-decision"),
    ],
)
@pytest.mark.parametrize("status", [Status.PROSPECTIVE, Status.ACTIVE, Status.PAUSED])
def test_the_core_is_not_reached_without_an_adopted_decision_of_the_network(world: World, make_decision, status):
    partnership = _partner_in(world, status)
    before = _partnership_state(partnership)
    with pytest.raises(ValidationError):
        services.admit_to_core(partnership=partnership, decision=make_decision(world), by=None)
    assert _partnership_state(partnership) == before
    assert not PartnershipEvent.objects.filter(tier=Tier.CORE).exists()


def test_a_partner_who_left_is_not_admitted(world: World):
    partnership = _partner_in(world, Status.LEFT)
    before = _partnership_state(partnership)
    decision = admit_by_consent(world, make_partnership(world.network, "Another partner"))
    with pytest.raises(ValidationError, match="left"):
        services.admit_to_core(partnership=partnership, decision=decision, by=None)
    assert _partnership_state(partnership) == before


def test_a_core_partner_is_not_admitted_twice(world: World):
    partnership = make_partnership(world.network)
    decision = admit_by_consent(world, partnership)
    before = _partnership_state(partnership)
    with pytest.raises(ValidationError, match="core partner already"):
        services.admit_to_core(partnership=partnership, decision=decision, by=None)
    assert _partnership_state(partnership) == before


def test_no_other_service_takes_a_tier():
    takes_tier = sorted(
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__.startswith(services.__name__) and "tier" in inspect.signature(function).parameters
    )
    assert takes_tier == []


@pytest.mark.parametrize("field", ["tier", "status", "status_since", "network"])
def test_update_partnership_does_not_change_tier_or_status(world: World, field: str):
    partnership = make_partnership(world.network)
    before = _partnership_state(partnership)
    value = {"tier": Tier.CORE, "status": Status.LEFT, "status_since": A_YEAR_AGO, "network": world.other_network}
    with pytest.raises(TypeError):
        services.update_partnership(partnership=partnership, by=None, **{field: value[field]})
    assert _partnership_state(partnership) == before


# --- the ledger ----------------------------------------------------------------------------------


def test_a_contribution_is_recorded_with_who_and_when(world: World):
    partnership = make_partnership(world.network)
    entry = services.record_contribution(
        partnership=partnership,
        kind=ContributionKind.HOURS,
        quantity=Decimal("6.5"),
        value_eur=Decimal("292.50"),
        on=A_YEAR_AGO,
        note="Workshop",
        by=world.user("coordinator"),
    )
    entry.refresh_from_db()
    assert (entry.kind, entry.quantity, entry.value_eur, entry.on) == (
        "hours",
        Decimal("6.5"),
        Decimal("292.5"),
        A_YEAR_AGO,
    )
    assert (entry.recorded_by, entry.note, entry.unit) == (world.persons["coordinator"], "Workshop", "hours")


def test_money_counts_at_its_amount(world: World):
    partnership = make_partnership(world.network)
    entry = services.record_contribution(
        partnership=partnership,
        kind=ContributionKind.MONEY,
        quantity=Decimal("2500"),
        value_eur=Decimal("1"),
        on=TODAY,
        by=None,
    )
    entry.refresh_from_db()
    assert entry.value_eur == Decimal("2500")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": Decimal("0")}, "more than zero"),
        ({"quantity": Decimal("-3")}, "more than zero"),
        ({"on": TOMORROW}, "future"),
        ({"kind": "coffee"}, "Unknown kind"),
        ({"value_eur": Decimal("-1")}, "negative"),
    ],
)
def test_a_bad_contribution_is_refused(world: World, changes: dict, message: str):
    partnership = make_partnership(world.network)
    entry = {"kind": "hours", "quantity": Decimal("4"), "value_eur": Decimal("180"), "on": TODAY, **changes}
    with pytest.raises(ValidationError, match=message):
        services.record_contribution(partnership=partnership, by=None, **entry)
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("persona", ["coalition", "broad_partner", "funder", "outsider"])
def test_only_a_coordinator_records_or_corrects(world: World, persona: str):
    partnership = make_partnership(world.network)
    entry = make_contribution(partnership)
    with pytest.raises(PermissionDenied):
        services.record_contribution(
            partnership=partnership, kind="hours", quantity=Decimal(1), on=TODAY, by=world.user(persona)
        )
    with pytest.raises(PermissionDenied):
        services.correct_contribution(entry=entry, reason="Wrong", by=world.user(persona))
    assert Contribution.objects.count() == 1


def test_a_correction_is_a_counter_entry_on_the_original_date(world: World):
    partnership = make_partnership(world.network, since=A_YEAR_AGO)
    original = make_contribution(partnership, kind="rooms", quantity="40", value_eur="4000", on=A_YEAR_AGO)
    correction = services.correct_contribution(entry=original, reason=" Entered twice ", by=world.user("coordinator"))
    correction.refresh_from_db()
    assert (correction.kind, correction.quantity, correction.value_eur) == ("rooms", Decimal("-40"), Decimal("-4000"))
    assert correction.on == A_YEAR_AGO
    assert correction.corrects == original
    assert correction.recorded_by == world.persons["coordinator"]
    assert "Entered twice" in correction.note
    # The original stays, unchanged, in the ledger; together they count for nothing.
    original_before = Contribution.objects.filter(pk=original.pk).values().get()
    original.refresh_from_db()
    assert Contribution.objects.filter(pk=original.pk).values().get() == original_before
    assert (original.quantity, original.value_eur) == (Decimal("40"), Decimal("4000"))
    assert sum(Contribution.objects.values_list("value_eur", flat=True)) == 0


def test_a_correction_of_an_entry_without_value_has_no_value(world: World):
    entry = make_contribution(make_partnership(world.network), kind="material", quantity="3", value_eur=None)
    correction = services.correct_contribution(entry=entry, reason="Never delivered", by=None)
    assert (correction.quantity, correction.value_eur) == (Decimal("-3"), None)


def test_an_entry_is_corrected_once_and_a_correction_not_at_all(world: World):
    entry = make_contribution(make_partnership(world.network))
    correction = services.correct_contribution(entry=entry, reason="Wrong partner", by=None)
    with pytest.raises(ValidationError, match="corrected already"):
        services.correct_contribution(entry=entry, reason="Again", by=None)
    with pytest.raises(ValidationError, match="cannot be corrected"):
        services.correct_contribution(entry=correction, reason="Undo", by=None)
    assert Contribution.objects.count() == 2


def test_a_correction_says_why(world: World):
    entry = make_contribution(make_partnership(world.network))
    with pytest.raises(ValidationError, match="Say why"):
        services.correct_contribution(entry=entry, reason="   ", by=None)
    assert Contribution.objects.count() == 1


def test_the_ledger_history_holds_every_entry_and_no_edit(world: World):
    entry = make_contribution(make_partnership(world.network), quantity="4", value_eur="180")
    correction = services.correct_contribution(entry=entry, reason="Wrong", by=None)
    right = services.record_contribution(
        partnership=entry.partnership, kind="hours", quantity=Decimal(2), value_eur=Decimal(90), on=TODAY, by=None
    )
    history = list(Contribution.history.order_by("history_date").values_list("id", "history_type", "quantity"))
    assert history == [
        (entry.pk, "+", Decimal("4")),
        (correction.pk, "+", Decimal("-4")),
        (right.pk, "+", Decimal("2")),
    ]
    assert entry.history.count() == 1


# --- already a partner ---------------------------------------------------------------------------


def test_already_partners_asks_about_organisations_of_this_network_only(world: World):
    here = make_partnership(world.network, "Stad Borgloon").organisation
    elsewhere = make_partnership(world.other_network, "Genk Only vzw").organisation
    left = make_partnership(world.network, "Vertrokken vzw", status=Status.ACTIVE)
    services.change_status(partnership=left, to_status=Status.LEFT, by=None)
    services.register_partner(network=world.network, person=world.persons["facilitator"], status=Status.ACTIVE, by=None)
    namesake, _created = services.find_or_create_organisation(name="Facilitator Person")
    nobody, _created = services.find_or_create_organisation(name="Nieuw vzw")

    asked = [here, elsewhere, left.organisation, namesake, nobody]
    assert already_partners(world.network, asked) == {here.pk, left.organisation.pk}
    assert already_partners(world.other_network, asked) == {elsewhere.pk}
    assert already_partners(world.network, []) == set()


def test_the_bulk_add_skips_what_is_already_a_partner_and_adds_the_rest_once(world: World):
    make_partnership(world.network, "Stad Borgloon")

    added, skipped = services.register_organisations(
        network=world.network, by=world.user("coordinator"), names=["STAD borgloon", "Club A", "club A"]
    )

    assert (added, skipped) == (["Club A"], ["STAD borgloon", "club A"])
    assert Partnership.objects.filter(network=world.network).count() == 2


def test_the_bulk_add_checks_the_right_to_manage_partners_before_anything(world: World):
    with pytest.raises(PermissionDenied):
        services.register_organisations(network=world.network, by=world.user("coalition"), names=["Nieuw vzw"])
    assert not Organisation.objects.filter(name="Nieuw vzw").exists()
