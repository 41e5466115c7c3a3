"""Clarifying questions and reactions, before the consent round."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions import selectors
from decisions.lifecycle import STEPS
from decisions.models import (
    ClarifyingQuestion,
    Proposal,
    Reaction,
)
from decisions.services._common import _actor, _lock_proposal, _require_proposer, _text
from ecosystem.lifecycle import require_step
from ecosystem.models import Person, User
from ecosystem.permissions import (
    TAKE_PART_IN_DECISIONS,
    require_unless_system,
)


@transaction.atomic
def ask_question(
    *, proposal: Proposal, text: str, by: User | None, on_behalf_of: Person | None = None
) -> ClarifyingQuestion:
    """Ask the proposer a clarifying question, during questions or reactions. Anyone taking part."""
    require_unless_system(by, TAKE_PART_IN_DECISIONS, proposal.network)
    asker = _actor(by, on_behalf_of)
    proposal = _lock_proposal(proposal)
    require_step(STEPS, "ask", proposal.state)
    return ClarifyingQuestion.objects.create(
        proposal=proposal,
        version=selectors.latest_version(proposal),
        asked_by=asker,
        text=_text(text, "text", _("Write your question.")),
    )


@transaction.atomic
def answer_question(*, question: ClarifyingQuestion, answer: str, by: User | None) -> ClarifyingQuestion:
    """The proposer answers a clarifying question, once, while the proposal is under way."""
    proposal = _lock_proposal(question.proposal)
    actor = _require_proposer(by, proposal)
    question = ClarifyingQuestion.objects.select_for_update().get(pk=question.pk)
    require_step(STEPS, "answer_question", proposal.state)
    if question.answered_at is not None:
        raise ValidationError(_("This question has been answered already."))
    question.answer = _text(answer, "answer", _("Write your answer."))
    question.answered_by = actor or proposal.proposer
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    return question


@transaction.atomic
def add_reaction(*, proposal: Proposal, text: str, by: User | None, on_behalf_of: Person | None = None) -> Reaction:
    """React to the proposal during reactions. Anyone taking part; from outside the electorate
    (a broad partner on a coalition decision) the reaction is advice."""
    require_unless_system(by, TAKE_PART_IN_DECISIONS, proposal.network)
    reactor = _actor(by, on_behalf_of)
    proposal = _lock_proposal(proposal)
    require_step(STEPS, "react", proposal.state)
    return Reaction.objects.create(
        proposal=proposal,
        version=selectors.latest_version(proposal),
        by=reactor,
        text=_text(text, "text", _("Write your reaction.")),
        is_advice=not selectors.in_electorate(reactor, proposal),
    )
