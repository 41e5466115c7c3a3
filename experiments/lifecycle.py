"""The one table of an experiment's life: which step is allowed from where, by whom, with which refusal.

Built on ``ecosystem/lifecycle.py``: services call :func:`require_step`; pages call :func:`allowed_steps`
and their templates ask ``steps.stop``. Nothing else re-derives a rule.

An experiment's state is its *standing* (candidate, the ecosystem's, stopped) with its Hannon stage,
spelled ``"candidate:hypothesis"``. Going back a stage is allowed (and recorded like any move);
forward goes one stage at a time; into mainstreaming only by an adopted decision, as does becoming the
ecosystem's. Stopping is possible from any stage; a stopped experiment is reopened as a new candidate
that links to it.

Actors: ``trekker`` (the experiment's trekker, who may run experiments, or a coordinator, who manages
them), ``runner`` (anyone who may run experiments in the network), ``decision`` (only the system,
carrying out an adopted consent decision: no viewer counts as it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from ecosystem import lifecycle
from ecosystem.lifecycle import AllowedSteps, Step
from ecosystem.models import Stage
from ecosystem.permissions import MANAGE_EXPERIMENTS, RUN_EXPERIMENTS, Rights, rights_in

if TYPE_CHECKING:
    from experiments.models import Experiment

TREKKER, RUNNER, DECISION = "trekker", "runner", "decision"
LIVE = ("candidate", "adopted")


def states(standings: Iterable[str], stages: Iterable[str] = Stage.values) -> frozenset[str]:
    stages = list(stages)
    return frozenset(f"{standing}:{stage}" for standing in standings for stage in stages)


def state_of(experiment: Experiment) -> str:
    return f"{experiment.standing}:{experiment.stage}"


FORWARD_ONLY = _("An experiment moves forward one stage at a time.")
STEPS: dict[str, Step] = {
    "to_hypothesis": Step(
        states(LIVE, set(Stage.values) - {Stage.HYPOTHESIS}),
        TREKKER,
        _("The experiment is forming its hypothesis and vision already."),
    ),
    "to_catalysing": Step(states(LIVE, set(Stage.values) - {Stage.CATALYSING}), TREKKER, FORWARD_ONLY),
    "to_experimentation": Step(states(LIVE, {Stage.CATALYSING, Stage.MAINSTREAMING}), TREKKER, FORWARD_ONLY),
    "to_mainstreaming": Step(
        states(["adopted"], {Stage.EXPERIMENTATION}),
        DECISION,
        _("Only an experiment of the ecosystem in dynamic experimentation can move to mainstreaming."),
    ),
    "adopt": Step(
        states(["candidate"], set(Stage.values) - {Stage.MAINSTREAMING}),
        DECISION,
        _("Only a candidate experiment can be adopted into the ecosystem."),
    ),
    "edit": Step(states(LIVE), TREKKER, _("A stopped experiment is not changed any more.")),
    "change_trekker": Step(states(LIVE), TREKKER, _("A stopped experiment has no trekker to change.")),
    "record": Step(states(LIVE), TREKKER, _("A stopped experiment records nothing more.")),
    "stop": Step(states(LIVE), TREKKER, _("The experiment is stopped already.")),
    "reopen": Step(states(["stopped"]), RUNNER, _("Only a stopped experiment can be reopened.")),
}


def move_step(to_stage: str) -> str:
    return f"to_{to_stage}"


def is_allowed(step: str, experiment: Experiment) -> bool:
    return state_of(experiment) in STEPS[step].allowed_from


def actors(experiment: Experiment, rights: Rights | frozenset[str], person: Any) -> frozenset[str]:
    """What the holder of ``rights`` (who is ``person``) counts as for this experiment."""
    names = set()
    if RUN_EXPERIMENTS in rights:
        names.add(RUNNER)
    is_trekker = person is not None and experiment.trekker_id == person.pk
    if MANAGE_EXPERIMENTS in rights or (RUN_EXPERIMENTS in rights and is_trekker):
        names.add(TREKKER)
    return frozenset(names)


def may_act(step: str, experiment: Experiment, rights: Rights | frozenset[str], person: Any) -> bool:
    return STEPS[step].actor in actors(experiment, rights, person)


def require_step(step: str, experiment: Experiment, *, by: Any, decision: Any = None) -> None:
    """Refuse (``ValidationError`` with the table's words) a step not allowed from where the experiment
    is; refuse (``PermissionDenied``) an actor the table does not name. ``by=None`` is the system: it
    may take a decision's step only with the adopted decision in hand."""
    lifecycle.require_step(STEPS, step, state_of(experiment))
    if STEPS[step].actor == DECISION:
        if by is not None or decision is None or not decision.is_adopted:
            raise PermissionDenied(_("Only an adopted consent decision can do this."))
        return
    if by is None:
        return
    if not may_act(step, experiment, rights_in(by, experiment.network), getattr(by, "person", None)):
        raise PermissionDenied


def allowed_steps(experiment: Experiment, rights: Rights | frozenset[str], person: Any) -> AllowedSteps:
    """The steps this reader may take now: what the page offers."""
    return lifecycle.allowed_steps(STEPS, state_of(experiment), actors(experiment, rights, person))
