"""Admission to the core as the effect of an adopted consent decision (partners/effects.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from decisions import services as decision_services
from decisions.models import AnswerKind, ProposalKind, ProposalState, RoundResult
from partners import services
from partners.models import PartnershipEvent, Status, Tier
from tests.decisions.factories import answer, make_round
from tests.factories import make_partnership


def _consent_all(world, round, *personas):
    for persona in personas:
        answer(world, round, persona, AnswerKind.CONSENT)


def test_an_adopted_admission_makes_the_partner_core_in_the_same_transaction(council):
    partnership = make_partnership(council.network, "Bibliotheek", status=Status.PROSPECTIVE)
    round = make_round(council, kind=ProposalKind.ADMIT_PARTNER, subject=partnership, title="Bibliotheek in de kern")
    _consent_all(council, round, "coordinator", "coalition", "member2", "member3")

    round.refresh_from_db()
    assert round.result == RoundResult.ADOPTED
    partnership.refresh_from_db()
    assert (partnership.tier, partnership.status) == (Tier.CORE, Status.ACTIVE)
    event = partnership.events.get(tier=Tier.CORE)
    assert event.decision_ref == f"Proposal:{round.proposal_id}"
    assert event.by == council.persons["coalition"]


def test_a_partner_who_left_meanwhile_is_not_admitted_and_the_outcome_says_why(council):
    partnership = make_partnership(council.network, "Sportclub")
    round = make_round(council, kind=ProposalKind.ADMIT_PARTNER, subject=partnership)
    services.change_status(partnership=partnership, to_status=Status.LEFT, by=None, reason="Stopped")
    _consent_all(council, round, "coordinator", "coalition", "member2", "member3")

    round.refresh_from_db()
    round.proposal.refresh_from_db()
    assert round.result == RoundResult.NOT_ADOPTED
    assert round.proposal.state == ProposalState.NOT_ADOPTED
    assert "Sportclub" in round.effect_error
    partnership.refresh_from_db()
    assert partnership.tier == Tier.BROAD
    assert not PartnershipEvent.objects.filter(partnership=partnership, tier=Tier.CORE).exists()


@pytest.mark.parametrize("case", ["core already", "left", "other network", "not a partner"])
def test_an_admission_that_could_never_work_cannot_be_proposed(council, case):
    partnership = make_partnership(council.network, "Kinderopvang")
    subject = partnership
    if case == "core already":
        services.admit_to_core(partnership=partnership, decision=_Adopted(council.network), by=None)
    elif case == "left":
        services.change_status(partnership=partnership, to_status=Status.LEFT, by=None)
    elif case == "other network":
        subject = make_partnership(council.other_network, "Elders")
    else:
        subject = council.persons["coalition"]
    with pytest.raises(ValidationError):
        decision_services.create_proposal(
            network=council.network,
            by=council.user("coalition"),
            title="Admit",
            driver="Need",
            text="Text",
            kind=ProposalKind.ADMIT_PARTNER,
            subject=subject,
        )


class _Adopted:
    is_adopted = True
    pk = "test"

    def __init__(self, network):
        self.network_id = network.pk
