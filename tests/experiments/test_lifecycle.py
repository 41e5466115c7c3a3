"""The rules of an experiment's life, through the services and real consent rounds."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from decisions.models import Proposal, ProposalKind, ProposalState, RoundResult
from ecosystem import services as ecosystem_services
from ecosystem.models import Stage
from experiments import selectors, services
from experiments.lifecycle import STEPS, allowed_steps
from experiments.models import EventKind, Experiment, Standing
from tests.experiments.factories import adopted, decide, make_experiment


def test_a_new_experiment_is_a_candidate_forming_its_hypothesis(world):
    experiment = make_experiment(world)
    assert (experiment.standing, experiment.stage) == (Standing.CANDIDATE, Stage.HYPOTHESIS)
    assert experiment.trekker == world.persons["coalition"]
    assert experiment.events.get().kind == EventKind.STARTED


def test_only_an_adopted_decision_makes_an_experiment_the_ecosystems(council):
    experiment = make_experiment(council)
    with pytest.raises(PermissionDenied):  # not a coordinator, not the system without a decision
        services.adopt_experiment(experiment=experiment, decision=None, by=council.user("coordinator"))  # type: ignore[arg-type]
    round = decide(council, experiment)
    assert round.result == RoundResult.ADOPTED
    experiment.refresh_from_db()
    assert experiment.standing == Standing.ADOPTED
    assert experiment.adopted_by_id == round.proposal_id
    assert experiment.events.filter(kind=EventKind.ADOPTED, decision_id=round.proposal_id).exists()


def test_a_proposal_not_adopted_leaves_the_experiment_a_candidate(council):
    from decisions import services as decision_services
    from decisions.models import AnswerKind
    from tests.decisions.factories import answer, in_days

    experiment = make_experiment(council)
    proposal = services.propose(
        experiment=experiment,
        kind=ProposalKind.ADOPT_EXPERIMENT,
        by=council.user("coalition"),
        title="Adopt",
        driver="Why",
        text="What",
    )
    proposal = decision_services.start_questions(proposal=proposal, by=council.user("coalition"))
    round = decision_services.open_consent_round(proposal=proposal, deadline=in_days(7), by=council.user("coalition"))
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.OBJECTION, "Not safe: no room yet.")
    round = decision_services.close_round(round=round, now=round.deadline)
    assert round.result == RoundResult.NOT_ADOPTED
    assert Experiment.objects.get(pk=experiment.pk).standing == Standing.CANDIDATE


def test_a_proposal_not_yet_decided_adopts_nothing(council):
    """The draft proposal is not a decision: handing it to the service as the system is refused."""
    experiment = make_experiment(council)
    proposal = services.propose(
        experiment=experiment,
        kind=ProposalKind.ADOPT_EXPERIMENT,
        by=council.user("coalition"),
        title="Adopt",
        driver="Why",
        text="What",
    )
    with pytest.raises(PermissionDenied):
        services.adopt_experiment(experiment=experiment, decision=proposal, by=None)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.DRAFT
    assert Experiment.objects.get(pk=experiment.pk).standing == Standing.CANDIDATE


def test_adoption_cannot_be_proposed_without_a_fit_statement_for_each_principle(council):
    ecosystem_services.set_principles(network=council.network, texts=["Learn by doing", "Share the R"], by=None)
    experiment = make_experiment(council, fit=False)
    with pytest.raises(ValidationError, match="Share the R"):
        services.propose(
            experiment=experiment,
            kind=ProposalKind.ADOPT_EXPERIMENT,
            by=council.user("coalition"),
            title="Adopt",
            driver="Why",
            text="What",
        )


def test_a_principle_archived_later_keeps_its_fit_statement(council):
    experiment = make_experiment(council)
    ecosystem_services.set_principles(network=council.network, texts=["Share the R"], by=None)
    statements = experiment.fit_statements.select_related("principle")
    assert [(s.principle.text, s.principle.archived_at is not None) for s in statements] == [("Learn by doing", True)]


def test_no_experiment_reaches_mainstreaming_without_an_adopted_decision(council):
    experiment = adopted(council, stage=Stage.EXPERIMENTATION)
    for persona in ("coalition", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.move_experiment(
                experiment=experiment, to_stage=Stage.MAINSTREAMING, why="We are ready", by=council.user(persona)
            )
    assert Experiment.objects.get(pk=experiment.pk).stage == Stage.EXPERIMENTATION
    round = decide(council, experiment, ProposalKind.EXPERIMENT_TO_MAINSTREAMING)
    assert round.result == RoundResult.ADOPTED
    assert Experiment.objects.get(pk=experiment.pk).stage == Stage.MAINSTREAMING


def test_a_candidate_cannot_be_proposed_for_mainstreaming(council):
    experiment = make_experiment(council)
    with pytest.raises(ValidationError, match="dynamic experimentation"):
        decide(council, experiment, ProposalKind.EXPERIMENT_TO_MAINSTREAMING)


def test_forward_one_stage_at_a_time_back_any_stage_and_recorded(council):
    experiment = adopted(council, stage=Stage.EXPERIMENTATION)
    by = council.user("coalition")
    with pytest.raises(ValidationError, match="forward one stage at a time"):
        services.move_experiment(experiment=make_experiment(council), to_stage=Stage.EXPERIMENTATION, why="x", by=by)
    back = services.move_experiment(experiment=experiment, to_stage=Stage.HYPOTHESIS, why="Start over", by=by)
    assert back.is_step_back and back.by == council.persons["coalition"]


def test_a_move_needs_a_reason_and_only_the_trekker_or_a_coordinator_moves(council):
    experiment = make_experiment(council)
    with pytest.raises(ValidationError):
        services.move_experiment(
            experiment=experiment, to_stage=Stage.CATALYSING, why=" ", by=council.user("coalition")
        )
    for persona in ("member2", "broad_partner", "funder", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.move_experiment(
                experiment=experiment, to_stage=Stage.CATALYSING, why="x", by=council.user(persona)
            )
    services.move_experiment(experiment=experiment, to_stage=Stage.CATALYSING, why="x", by=council.user("coordinator"))


def test_the_stage_history_reads_back_in_order_with_evidence(council):
    experiment = adopted(council, stage=Stage.MAINSTREAMING)
    services.move_experiment(
        experiment=experiment,
        to_stage=Stage.EXPERIMENTATION,
        why="The city's norms slowed us down",
        evidence="Two sessions cancelled",
        links=["https://example.test/report"],
        by=council.user("coordinator"),
    )
    history = [(e.from_stage, e.to_stage, e.evidence, e.links) for e in selectors.stage_history(experiment)]
    assert history == [
        ("", Stage.HYPOTHESIS, "", []),
        (Stage.HYPOTHESIS, Stage.CATALYSING, "", []),
        (Stage.CATALYSING, Stage.EXPERIMENTATION, "", []),
        (Stage.EXPERIMENTATION, Stage.MAINSTREAMING, "What", []),
        (Stage.MAINSTREAMING, Stage.EXPERIMENTATION, "Two sessions cancelled", ["https://example.test/report"]),
    ]


def test_a_link_must_be_a_web_address(council):
    with pytest.raises(ValidationError):
        services.move_experiment(
            experiment=make_experiment(council),
            to_stage=Stage.CATALYSING,
            why="x",
            links=["javascript:alert(1)"],
            by=council.user("coalition"),
        )


@pytest.mark.parametrize("stage", Stage.values)
def test_a_stop_without_lessons_is_refused_from_any_stage(council, stage):
    experiment = adopted(council, stage=stage)
    with pytest.raises(ValidationError):
        services.stop_experiment(experiment=experiment, lessons="  ", by=council.user("coalition"))
    assert Experiment.objects.get(pk=experiment.pk).standing == Standing.ADOPTED
    services.stop_experiment(experiment=experiment, lessons="Evenings do not work.", by=council.user("coalition"))
    experiment.refresh_from_db()
    assert experiment.standing == Standing.STOPPED
    assert experiment.lessons.get().at_stop


def test_a_stopped_experiment_reopens_as_a_new_candidate_linked_to_it(council):
    experiment = make_experiment(council)
    services.stop_experiment(experiment=experiment, lessons="No room.", by=council.user("coalition"))
    with pytest.raises(ValidationError):
        services.move_experiment(
            experiment=experiment, to_stage=Stage.CATALYSING, why="x", by=council.user("coordinator")
        )
    again = services.reopen_experiment(experiment=experiment, by=council.user("member2"), why="A room now")
    assert (again.standing, again.stage, again.reopened_from) == (Standing.CANDIDATE, Stage.HYPOTHESIS, experiment)
    assert again.trekker == council.persons["member2"]
    assert Experiment.objects.get(pk=experiment.pk).standing == Standing.STOPPED


def test_the_trekker_hands_over_and_the_new_trekker_moves_it(council):
    experiment = make_experiment(council)
    services.change_trekker(
        experiment=experiment, trekker=council.persons["broad_partner"], why="I step back", by=council.user("coalition")
    )
    with pytest.raises(PermissionDenied):
        services.move_experiment(
            experiment=experiment, to_stage=Stage.CATALYSING, why="x", by=council.user("coalition")
        )
    services.move_experiment(
        experiment=experiment, to_stage=Stage.CATALYSING, why="x", by=council.user("broad_partner")
    )
    with pytest.raises(ValidationError):
        services.change_trekker(
            experiment=experiment, trekker=council.persons["outsider"], why="", by=council.user("coordinator")
        )


def test_a_funder_never_starts_an_experiment(world):
    with pytest.raises(PermissionDenied):
        make_experiment(world, by="funder")


def test_the_page_offers_the_steps_the_table_allows(council):
    from ecosystem.permissions import rights_in

    experiment = adopted(council, stage=Stage.EXPERIMENTATION)
    trekker = council.persons["coalition"]
    steps = allowed_steps(experiment, rights_in(trekker.user, council.network), trekker)
    assert {name for name in STEPS if name in steps} == {
        "to_hypothesis",
        "to_catalysing",
        "edit",
        "change_trekker",
        "record",
        "stop",
    }
    assert STEPS["to_mainstreaming"].actor == "decision"


def test_the_guidance_names_each_stages_risk_for_the_reflection_app(world):
    experiment = make_experiment(world)
    assert selectors.current_stage_risk(experiment).startswith("Much is still vague")
    assert str(selectors.stage_guidance(Stage.EXPERIMENTATION).risk) == "Risk of losing ambition or momentum."
    assert "limit innovation" in str(selectors.stage_guidance(Stage.MAINSTREAMING).risk)
