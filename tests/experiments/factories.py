"""Experiments built through the services (and adopted through real consent rounds)."""

from __future__ import annotations

import itertools

from decisions import services as decision_services
from decisions.models import AnswerKind, ProposalKind
from ecosystem.models import Stage
from experiments import services
from experiments.models import Experiment
from tests.conftest import World
from tests.decisions.factories import answer, in_days

_seq = itertools.count(1)


def fit_all(world: World) -> dict[int, str]:
    return {p.pk: "It fits: we learn by doing." for p in world.network.principles.filter(archived_at__isnull=True)}


def make_experiment(world: World, *, by: str = "coalition", fit: bool = True, **fields) -> Experiment:
    """A candidate by persona ``by`` (its trekker), with a fit statement for every principle unless ``fit=False``."""
    fields.setdefault("title", f"Experiment {next(_seq)}")
    fields.setdefault("question", "Do young people come back when they repair their own bike?")
    return services.start_experiment(
        network=world.network, by=world.user(by), fit=fit_all(world) if fit else None, **fields
    )


def decide(council: World, experiment: Experiment, kind: str = ProposalKind.ADOPT_EXPERIMENT):
    """Propose (as the coalition member), open a round, let member2 and member3 consent, close it."""
    proposal = services.propose(
        experiment=experiment, kind=kind, by=council.user("coalition"), title="Adopt it", driver="Why", text="What"
    )
    by = council.user("coalition")
    proposal = decision_services.start_questions(proposal=proposal, by=by)
    round = decision_services.open_consent_round(proposal=proposal, deadline=in_days(7), by=by)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.CONSENT)
    return decision_services.close_round(round=round, now=round.deadline)


def adopted(council: World, *, stage: str = Stage.HYPOTHESIS, **fields) -> Experiment:
    """An experiment of the ecosystem, moved by its trekker (the coalition member) to ``stage``."""
    experiment = make_experiment(council, **fields)
    decide(council, experiment)
    order = [Stage.HYPOTHESIS, Stage.CATALYSING, Stage.EXPERIMENTATION]
    for to_stage in order[1 : order.index(stage) + 1] if stage in order else order[1:]:
        services.move_experiment(experiment=experiment, to_stage=to_stage, why="Ready", by=council.user("coalition"))
    if stage == Stage.MAINSTREAMING:
        decide(council, experiment, ProposalKind.EXPERIMENT_TO_MAINSTREAMING)
    experiment.refresh_from_db()
    return experiment
