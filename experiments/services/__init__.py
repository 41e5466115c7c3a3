"""Writes of experiments: one function per step of ``experiments/lifecycle.py`` (``steps``), the records of
reach and lessons (``records``) and the proposals drafted from an experiment (``proposals``); re-exported
here so that callers write ``services.move_experiment(...)``.

Each is atomic, locks the experiment, asks the step table (``require_step``) before it changes
anything, and leaves an event with who, when, why and the evidence. ``by`` is the login acting;
``None`` is the system (``seed_demo``, or an adopted decision's effect, which passes the decision).
"""

from experiments.services.proposals import propose
from experiments.services.records import record_lesson, record_reach
from experiments.services.steps import (
    EDITABLE,
    adopt_experiment,
    change_trekker,
    move_experiment,
    refuse_missing_fit,
    reopen_experiment,
    start_experiment,
    stop_experiment,
    update_experiment,
)

__all__ = [
    "EDITABLE",
    "adopt_experiment",
    "change_trekker",
    "move_experiment",
    "propose",
    "record_lesson",
    "record_reach",
    "refuse_missing_fit",
    "reopen_experiment",
    "start_experiment",
    "stop_experiment",
    "update_experiment",
]
