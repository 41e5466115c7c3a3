"""Writes of consent decisions: one function per transition. Views, tasks, commands and tests call these.

A package by concern (``proposals``, ``discussion``, ``rounds``, ``periodic``, ``preferences``), re-exported
here so that callers write ``services.open_consent_round(...)``.

Each service is atomic, checks the proposal's state (the step table in ``decisions/lifecycle.py``)
and the acting login's rights before it changes anything, locks what it changes, and records who and
when. Who acts is spelled as everywhere (``ecosystem/permissions.py``): ``by`` is the login acting,
checked and recorded; ``by=None`` is the system (a task, ``seed_demo``), and a service in which a
person must be recorded then takes ``on_behalf_of=`` that person.

The life of a proposal::

    draft ──start_questions──▶ questions ──start_reactions──▶ reactions
                                   │                              │
                                   └──────open_consent_round──────┴──▶ consent_round ──close_round──▶ adopted
                                                                            │                         not_adopted
                                                                            │                         lapsed
    new_version: in draft, questions and reactions it revises the text; after a round that did not
    adopt (not_adopted), or during a round with an objection (the round is superseded), it brings the
    proposal back to reactions, or straight into a new round when given a deadline.
    withdraw_proposal: by the proposer, from any state that is not final.

Locks are always taken in the same order, proposal row first and then its open round, so that two
transitions on one proposal queue behind each other instead of deadlocking.

**Adopted, not adopted or lapsed** (decided by :func:`close_round`, at the deadline or as soon as
everyone eligible has answered):

- *adopted* when there is no standing objection, the quorum answered (``ceil(quorum_fraction ×
  electorate)``, fixed when the round opened; stand aside counts as an answer), at least two persons
  other than the proposer consented (consent with a concern counts as consent), and the kind's effect
  could be carried out;
- *lapsed* when the quorum was not reached and nobody objected: the deadline passed without enough
  people caring to answer; nothing to integrate, so the proposal ends (a new proposal may follow);
- *not adopted* otherwise (an objection, with or without the quorum; too few consents; the effect
  no longer possible): the proposer may integrate what was said into a new version.

An early close (everyone answered) always has the quorum, so a round lapses only at its deadline.
"""

from decisions.services.discussion import add_reaction, answer_question, ask_question
from decisions.services.periodic import REMINDER_BEFORE, close_due_rounds, send_deadline_reminders
from decisions.services.preferences import SETTINGS_FIELDS, set_notification_preference, update_decision_settings
from decisions.services.proposals import (
    create_proposal,
    new_version,
    set_review_date,
    start_questions,
    start_reactions,
    withdraw_proposal,
)
from decisions.services.rounds import close_round, open_consent_round, submit_answer

__all__ = [
    "REMINDER_BEFORE",
    "SETTINGS_FIELDS",
    "add_reaction",
    "answer_question",
    "ask_question",
    "close_due_rounds",
    "close_round",
    "create_proposal",
    "new_version",
    "open_consent_round",
    "send_deadline_reminders",
    "set_notification_preference",
    "set_review_date",
    "start_questions",
    "start_reactions",
    "submit_answer",
    "update_decision_settings",
    "withdraw_proposal",
]
