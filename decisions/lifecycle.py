"""The life of a proposal as one table: every step, the states it is taken from, who takes it, why not.

The services (``decisions/services/``) call ``require_step(STEPS, name, proposal.state)``; the proposal
page calls :func:`allowed_steps` and its template asks ``steps.open_round``. Neither says it again.

Who takes a step (``actor``):

- ``proposer``: the proposer, while they may still propose in the network;
- ``steer``: the proposer or a coordinator (``manage_proposals``), who move a proposal along its life;
- ``coordinator``: someone with ``manage_proposals``;
- ``participant``: anyone taking part in decisions in the network (``take_part_in_decisions``);
- ``elector``: someone in the open round's electorate (fixed when it opened: the service checks it);
- ``system``: the system itself (closing a round at its deadline, or when everyone answered).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from decisions.models import FINAL_STATES, Proposal, ProposalState
from ecosystem.lifecycle import AllowedSteps, Step
from ecosystem.lifecycle import allowed_steps as _allowed_steps
from ecosystem.models import Person
from ecosystem.permissions import MANAGE_PROPOSALS, PROPOSE, TAKE_PART_IN_DECISIONS

S = ProposalState
UNDER_WAY = frozenset({S.QUESTIONS, S.REACTIONS})

STEPS: dict[str, Step] = {
    "start_questions": Step(frozenset({S.DRAFT}), "steer", _("Only a draft can be opened for clarifying questions.")),
    "start_reactions": Step(
        frozenset({S.QUESTIONS}), "steer", _("Reactions open after the round of clarifying questions.")
    ),
    "open_round": Step(UNDER_WAY, "steer", _("A consent round opens after the clarifying questions or the reactions.")),
    # During a round only to integrate a standing objection: the service checks the answers, the page
    # offers it when it shows the viewer an objection (see allowed_steps).
    "new_version": Step(
        frozenset({S.DRAFT, *UNDER_WAY, S.CONSENT_ROUND, S.NOT_ADOPTED}),
        "proposer",
        _("This proposal has ended; it can no longer get a new version."),
    ),
    "withdraw": Step(
        frozenset(set(S.values) - FINAL_STATES),
        "proposer",
        _("This proposal has ended already; it can no longer be withdrawn."),
    ),
    "ask": Step(UNDER_WAY, "participant", _("Clarifying questions can be asked before the consent round.")),
    "answer_question": Step(
        frozenset({*UNDER_WAY, S.CONSENT_ROUND, S.NOT_ADOPTED}),
        "proposer",
        _("This proposal has ended; its questions can no longer be answered."),
    ),
    "react": Step(frozenset({S.REACTIONS}), "participant", _("Reactions are given in the reactions phase.")),
    "answer": Step(
        frozenset({S.CONSENT_ROUND}), "elector", _("This consent round has closed; answers are no longer accepted.")
    ),
    "close_round": Step(frozenset({S.CONSENT_ROUND}), "system", _("This consent round has closed already.")),
    "set_review_date": Step(frozenset({S.ADOPTED}), "coordinator", _("Only an adopted decision has a review date.")),
}


def actors(proposal: Proposal, *, rights: frozenset[str], person: Person | None) -> frozenset[str]:
    """What a viewer with ``rights`` in the proposal's network counts as, for :data:`STEPS`.

    ``elector`` is left out: whether someone answers in a round is the round's electorate, which
    the page reads from the round itself.
    """
    names = set()
    if person is not None and person.pk == proposal.proposer_id and PROPOSE in rights:
        names.add("proposer")
    if MANAGE_PROPOSALS in rights:
        names.add("coordinator")
    if names:
        names.add("steer")
    if TAKE_PART_IN_DECISIONS in rights:
        names.add("participant")
    return frozenset(names)


def allowed_steps(
    proposal: Proposal, *, rights: frozenset[str], person: Person | None, objection_shown: bool = False
) -> AllowedSteps:
    """The steps this viewer may take on the proposal now, as the services would allow them.

    ``objection_shown``: the viewer sees a standing objection in the open round, so the proposer
    is offered a new version that integrates it.
    """
    allowed = _allowed_steps(STEPS, proposal.state, actors(proposal, rights=rights, person=person))
    if proposal.state == S.CONSENT_ROUND and not objection_shown:
        return allowed.without("new_version")
    return allowed
