"""Proposals and rounds built through the decisions services, so tests exercise the real rules."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from decisions import services
from decisions.models import Answer, AnswerKind, ConsentRound, Proposal, ProposalKind, ProposalState
from tests.conftest import World, add_council

_seq = itertools.count(1)


def make_proposal(world: World, *, by: str = "coalition", state: str = ProposalState.REACTIONS, **fields):
    """A proposal by persona ``by``, brought through the services to ``state`` (draft, questions or reactions)."""
    n = next(_seq)
    fields.setdefault("title", f"Proposal {n}")
    fields.setdefault("driver", "We need a place to meet on Wednesdays.")
    fields.setdefault("text", "We meet in the library on Wednesdays, from September on.")
    proposal = services.create_proposal(network=world.network, by=world.user(by), **fields)
    if state in (ProposalState.QUESTIONS, ProposalState.REACTIONS):
        proposal = services.start_questions(proposal=proposal, by=world.user(by))
    if state == ProposalState.REACTIONS:
        proposal = services.start_reactions(proposal=proposal, by=world.user(by))
    return proposal


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def make_round(world: World, proposal=None, *, by: str = "coalition", days: float = 7, **fields) -> ConsentRound:
    """An open consent round on ``proposal`` (a new one by ``by`` if not given), ``days`` until its deadline."""
    proposal = proposal or make_proposal(world, by=by, **fields)
    return services.open_consent_round(proposal=proposal, deadline=in_days(days), by=world.user(by))


def answer(world: World, round: ConsentRound, persona: str, kind: str, reason: str = "") -> Answer:
    return services.submit_answer(round=round, kind=kind, reason=reason, by=world.user(persona))


def admit_by_consent(world: World, partnership, *, by: str = "coalition") -> Proposal:
    """A real admission to the core: an "admit partner" proposal through a round in which the council
    consents, so the effect runs as it does for users (the council is added if the world has none)."""
    add_council(world)
    round = make_round(
        world, by=by, kind=ProposalKind.ADMIT_PARTNER, subject=partnership, title=f"Admit {partnership.name}"
    )
    for persona in ("coordinator", "coalition", "member2", "member3"):
        answer(world, round, persona, AnswerKind.CONSENT)
    proposal = Proposal.objects.get(pk=round.proposal_id)
    assert proposal.state == ProposalState.ADOPTED, proposal.outcome
    return proposal
