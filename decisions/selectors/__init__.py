"""Reads of consent decisions, shaped once so a page's query count does not grow with the data.

Selectors do not check rights: the view resolves the network and its right first (``NetworkMixin``),
then looks every object up *inside* that network through these functions. A package by concern
(``proposals``, ``rounds``, ``register``), re-exported here: callers write ``selectors.round_progress(...)``.
"""

from decisions.selectors.proposals import (
    decision_settings_for,
    delivery_for,
    eligible_voters,
    in_electorate,
    latest_version,
    proposal_groups,
    proposal_in,
    proposals_about,
    proposals_by_state,
    proposals_of,
)
from decisions.selectors.register import (
    RegisterEntry,
    RegisterRound,
    decision_register,
    decisions_due_for_review,
    register_entry,
)
from decisions.selectors.rounds import (
    ElectorRow,
    RoundProgress,
    answer_history,
    awaiting_answer,
    counted_answers,
    open_round_progress,
    round_progress,
)

__all__ = [
    "ElectorRow",
    "RegisterEntry",
    "RegisterRound",
    "RoundProgress",
    "answer_history",
    "awaiting_answer",
    "counted_answers",
    "decision_register",
    "decision_settings_for",
    "decisions_due_for_review",
    "delivery_for",
    "eligible_voters",
    "in_electorate",
    "latest_version",
    "open_round_progress",
    "proposal_groups",
    "proposal_in",
    "proposals_about",
    "proposals_by_state",
    "proposals_of",
    "register_entry",
    "round_progress",
]
