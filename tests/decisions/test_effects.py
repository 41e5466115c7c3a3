"""Effects by kind: carried out in the transaction that adopts, all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from decisions import effects, services
from decisions.models import AnswerKind, Proposal, ProposalKind, ProposalState, RoundReason, RoundResult
from ecosystem import services as ecosystem_services
from ecosystem.models import GovernanceForm, Network, Principle, Stage, StageChange
from tests.decisions.conftest import in_site_language
from tests.decisions.factories import answer, make_proposal, make_round


def _adopt(council, round):
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.CONSENT)
    return services.close_round(round=round, now=round.deadline)


def test_an_adopted_stage_change_moves_the_network_in_the_same_transaction(council):
    round = make_round(
        council,
        title="To catalysing",
        kind=ProposalKind.CHANGE_NETWORK_STAGE,
        effect_params={"to_stage": Stage.CATALYSING, "evidence": "Six partners signed"},
    )
    round = _adopt(council, round)
    assert round.result == RoundResult.ADOPTED
    network = Network.objects.get(pk=council.network.pk)
    assert network.stage == Stage.CATALYSING
    change = StageChange.objects.get(network=network)
    assert change.changed_by == council.persons["coalition"], "the proposer is recorded as who changed it"
    assert change.reason == in_site_language("Consent decision: %(title)s", title="To catalysing")
    assert change.evidence == "Six partners signed"


def test_an_effect_no_longer_possible_leaves_the_proposal_not_adopted_and_says_why(council):
    round = make_round(council, kind=ProposalKind.CHANGE_NETWORK_STAGE, effect_params={"to_stage": Stage.CATALYSING})
    ecosystem_services.change_network_stage(
        network=council.network, to_stage=Stage.CATALYSING, reason="Meanwhile", by=None
    )
    round = _adopt(council, round)
    proposal = Proposal.objects.get(pk=round.proposal_id)
    assert (round.result, round.reasons) == (RoundResult.NOT_ADOPTED, [RoundReason.EFFECT_FAILED])
    assert proposal.state == ProposalState.NOT_ADOPTED
    refusal = in_site_language("The network is already in this stage.")
    assert round.effect_error == refusal
    assert in_site_language("The decision could not be carried out: %(error)s", error=refusal) in proposal.outcome
    assert StageChange.objects.count() == 1
    assert proposal.review_date is None


def test_an_effect_that_fails_halfway_leaves_nothing_behind(council, monkeypatch):
    def half_then_refuse(proposal):
        ecosystem_services.update_network_profile(network=proposal.network, by=None, site="Half done")
        raise ValidationError("The partner left meanwhile.")

    monkeypatch.setitem(effects._effects, ProposalKind.BUDGET, effects.Effect(apply=half_then_refuse))
    round = _adopt(council, make_round(council, kind=ProposalKind.BUDGET))
    assert round.result == RoundResult.NOT_ADOPTED
    assert round.effect_error == "The partner left meanwhile."
    assert Network.objects.get(pk=council.network.pk).site == ""


def test_a_governance_change_sets_form_and_principles_as_the_system(council):
    """The coalition member who proposed it may not change the network; the adopted decision may."""
    round = make_round(
        council,
        kind=ProposalKind.CHANGE_GOVERNANCE,
        effect_params={"governance_form": GovernanceForm.NAO, "principles": ["Learn by doing", "Share the R"]},
    )
    _adopt(council, round)
    network = Network.objects.get(pk=council.network.pk)
    assert network.governance_form == GovernanceForm.NAO
    current = Principle.objects.filter(network=network, archived_at__isnull=True).order_by("position")
    assert list(current.values_list("text", flat=True)) == ["Learn by doing", "Share the R"]
    proposed_by = in_site_language("Proposed by %(proposer)s.", proposer="Coalition Person")
    assert proposed_by in Proposal.objects.get(pk=round.proposal_id).outcome


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        (ProposalKind.CHANGE_NETWORK_STAGE, {}),
        (ProposalKind.CHANGE_NETWORK_STAGE, {"to_stage": "nirvana"}),
        (ProposalKind.CHANGE_NETWORK_STAGE, {"to_stage": Stage.HYPOTHESIS}),  # where it is already
        (ProposalKind.CHANGE_GOVERNANCE, {}),
        (ProposalKind.CHANGE_GOVERNANCE, {"governance_form": "anarchy"}),
        (ProposalKind.CHANGE_GOVERNANCE, {"principles": "not a list"}),
        (ProposalKind.CHANGE_GOVERNANCE, {"principles": ["  "]}),
        (ProposalKind.CHANGE_GOVERNANCE, {"budget": 100}),
    ],
)
def test_a_proposal_whose_effect_could_never_work_is_refused(world, kind, params):
    with pytest.raises(ValidationError):
        make_proposal(world, state=ProposalState.DRAFT, kind=kind, effect_params=params)
    assert not Proposal.objects.exists()


def test_another_app_registers_its_effect_and_gets_the_subject(council, monkeypatch):
    """How an app adds its kinds (as partners/ adds admit_partner) without decisions/ importing it; here in
    place of experiments/ (which registers adopt_experiment in its ready)."""
    monkeypatch.setattr(effects, "_effects", {k: v for k, v in effects._effects.items() if k != "adopt_experiment"})
    carried_out = []

    def check(network, subject, params):
        if subject is None:
            raise ValidationError("Say which experiment.")

    effects.register_effect(ProposalKind.ADOPT_EXPERIMENT, carried_out.append, check=check)
    with pytest.raises(ValidationError):
        make_proposal(council, state=ProposalState.DRAFT, kind=ProposalKind.ADOPT_EXPERIMENT)
    # Any object of the network will do for the test; experiments/ passes the experiment.
    round = make_round(council, kind=ProposalKind.ADOPT_EXPERIMENT, subject=council.network)
    _adopt(council, round)
    assert [p.pk for p in carried_out] == [round.proposal_id]
    assert carried_out[0].subject == council.network


def test_the_registry_refuses_unknown_kinds_and_a_second_different_effect(monkeypatch):
    monkeypatch.setattr(effects, "_effects", dict(effects._effects))
    with pytest.raises(ImproperlyConfigured):
        effects.register_effect("coup", print)
    with pytest.raises(ImproperlyConfigured):
        effects.register_effect(ProposalKind.CHANGE_NETWORK_STAGE, print)
    # ready() may run twice: the same registration again is harmless.
    effects.register_effect(
        ProposalKind.CHANGE_NETWORK_STAGE, effects.change_network_stage, check=effects.check_network_stage
    )


def test_the_effect_sees_the_adoption_written_and_a_refusal_rolls_both_back(council, monkeypatch):
    """No pretending: the adoption is in the database when the effect runs, not only in memory."""
    seen = []

    def read_then_refuse(proposal):
        stored = Proposal.objects.get(pk=proposal.pk)
        seen.append((stored.state, stored.rounds.get().result))
        raise ValidationError("The partner left meanwhile.")

    monkeypatch.setitem(effects._effects, ProposalKind.BUDGET, effects.Effect(apply=read_then_refuse))
    round = _adopt(council, make_round(council, kind=ProposalKind.BUDGET))
    assert seen == [(ProposalState.ADOPTED, RoundResult.ADOPTED)]
    proposal = Proposal.objects.get(pk=round.proposal_id)
    assert (proposal.state, round.result, round.reasons) == (
        ProposalState.NOT_ADOPTED,
        RoundResult.NOT_ADOPTED,
        [RoundReason.EFFECT_FAILED],
    )
    assert not proposal.history.filter(state=ProposalState.ADOPTED).exists()
    assert proposal.review_date is None


def test_the_outcome_statement_is_the_templates_in_the_site_language(council):
    round = make_round(council, title="Meet on Wednesdays")
    answer(council, round, "member2", AnswerKind.CONCERN, "Parking")
    answer(council, round, "member3", AnswerKind.OBJECTION, "Not on\nWednesdays")
    services.close_round(round=round, now=round.deadline)
    outcome = Proposal.objects.get(pk=round.proposal_id).outcome.split("\n")
    objection = in_site_language("Objection by %(person)s: %(reason)s", person="Member3 Person", reason="Not on")
    assert objection in outcome
    assert "Wednesdays" in outcome  # the reason's own line break is kept
    assert in_site_language("Concerns, for the review:") in outcome
    assert "- Member2 Person: Parking" in outcome
    assert outcome[-1] == in_site_language("Proposed by %(proposer)s.", proposer="Coalition Person")
    assert "" not in outcome
