"""The one table of an experiment's life: which step is allowed from where, by whom, with which refusal.

Services call :func:`require_step`; pages call :func:`allowed_steps`. Nothing else re-derives a rule.

An experiment's place is its *standing* (candidate, the ecosystem's, stopped) and its Hannon stage.
Going back a stage is allowed (and recorded like any move); forward goes one stage at a time; into
mainstreaming only by an adopted decision, as does becoming the ecosystem's. Stopping is possible from
any stage; a stopped experiment is reopened as a new candidate that links to it.

When ``ecosystem/lifecycle.py`` (the generic Step, require_step, allowed_steps) lands, this table
keeps its rows and takes its machinery from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Stage
from ecosystem.permissions import MANAGE_EXPERIMENTS, RUN_EXPERIMENTS, Rights, rights_in

if TYPE_CHECKING:
    from experiments.models import Experiment

# Who takes a step.
TREKKER = "trekker"  # the experiment's trekker (who may run experiments), or a coordinator
DECISION = "decision"  # only the system, carrying out an adopted consent decision
RUNNER = "runner"  # anyone who may run experiments in the network

ALL_STAGES = frozenset(Stage.values)
LIVE = frozenset({"candidate", "adopted"})


@dataclass(frozen=True)
class Step:
    allowed_from: frozenset[str]  # stages
    standings: frozenset[str]
    actor: str
    refusal: Promise


STEPS: dict[str, Step] = {
    "to_hypothesis": Step(
        ALL_STAGES - {Stage.HYPOTHESIS},
        LIVE,
        TREKKER,
        _("The experiment is forming its hypothesis and vision already."),
    ),
    "to_catalysing": Step(
        ALL_STAGES - {Stage.CATALYSING},
        LIVE,
        TREKKER,
        _("An experiment moves forward one stage at a time."),
    ),
    "to_experimentation": Step(
        frozenset({Stage.CATALYSING, Stage.MAINSTREAMING}),
        LIVE,
        TREKKER,
        _("An experiment moves forward one stage at a time."),
    ),
    "to_mainstreaming": Step(
        frozenset({Stage.EXPERIMENTATION}),
        frozenset({"adopted"}),
        DECISION,
        _("Only an experiment of the ecosystem in dynamic experimentation can move to mainstreaming."),
    ),
    "adopt": Step(
        ALL_STAGES - {Stage.MAINSTREAMING},
        frozenset({"candidate"}),
        DECISION,
        _("Only a candidate experiment can be adopted into the ecosystem."),
    ),
    "edit": Step(ALL_STAGES, LIVE, TREKKER, _("A stopped experiment is not changed any more.")),
    "change_trekker": Step(ALL_STAGES, LIVE, TREKKER, _("A stopped experiment has no trekker to change.")),
    "record": Step(ALL_STAGES, LIVE, TREKKER, _("A stopped experiment records nothing more.")),
    "stop": Step(ALL_STAGES, LIVE, TREKKER, _("The experiment is stopped already.")),
    "reopen": Step(ALL_STAGES, frozenset({"stopped"}), RUNNER, _("Only a stopped experiment can be reopened.")),
}


def move_step(to_stage: str) -> str:
    return f"to_{to_stage}"


def is_allowed(step: str, experiment: Experiment) -> bool:
    rule = STEPS[step]
    return experiment.stage in rule.allowed_from and experiment.standing in rule.standings


def may_act(step: str, experiment: Experiment, rights: Rights, person: Any) -> bool:
    """May the holder of ``rights`` (who is ``person``) take ``step`` on this experiment?"""
    actor = STEPS[step].actor
    if actor == DECISION:
        return False
    if actor == RUNNER:
        return RUN_EXPERIMENTS in rights
    is_trekker = person is not None and experiment.trekker_id == person.pk
    return MANAGE_EXPERIMENTS in rights or (RUN_EXPERIMENTS in rights and is_trekker)


def require_step(step: str, experiment: Experiment, *, by: Any, decision: Any = None) -> None:
    """Refuse (``ValidationError`` with the table's words) a step not allowed from where the experiment
    is; refuse (``PermissionDenied``) an actor the table does not name. ``by=None`` is the system: it
    may take a decision's step only with the adopted decision in hand."""
    rule = STEPS[step]
    if not is_allowed(step, experiment):
        raise ValidationError(str(rule.refusal), code="step_not_allowed")
    if rule.actor == DECISION:
        if by is not None or decision is None or not decision.is_adopted:
            raise PermissionDenied(_("Only an adopted consent decision can do this."))
        return
    if by is None:
        return
    if not may_act(step, experiment, rights_in(by, experiment.network), getattr(by, "person", None)):
        raise PermissionDenied


def allowed_steps(experiment: Experiment, rights: Rights, person: Any) -> set[str]:
    """The steps this reader may take now: what the page offers."""
    return {step for step in STEPS if is_allowed(step, experiment) and may_act(step, experiment, rights, person)}
