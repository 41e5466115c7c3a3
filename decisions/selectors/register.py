"""Reads of the decision register and of the decisions due for review."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from decisions.models import (
    DECIDED_STATES,
    Answer,
    AnswerKind,
    ConsentRound,
    Proposal,
    ProposalState,
    ProposalVersion,
)
from ecosystem.models import Network

# --- The register and reviews ---------------------------------------------------------------------


def decisions_due_for_review(network: Network, on: datetime.date | None = None) -> QuerySet[Proposal]:
    """Adopted decisions of the network whose review date has come by ``on`` (today by default).

    For the coordinator's dashboard and the agenda of the next reflection session.
    """
    on = on or timezone.localdate()
    return (
        Proposal.objects.filter(network=network, state=ProposalState.ADOPTED, review_date__lte=on)
        .select_related("proposer")
        .order_by("review_date", "pk")
    )


def decision_register(
    network: Network, *, states: list[str] | None = None, kind: str = "", year: int | None = None, q: str = ""
) -> QuerySet[Proposal]:
    """Every decision of the network (adopted, not adopted, withdrawn, lapsed) with its versions,
    rounds and all their answers, in a fixed number of queries. Newest decision first.

    Filtered by outcome (``states``), ``kind``, the ``year`` it was decided (or ended) and text ``q``
    in its title, driver or outcome."""
    proposals = Proposal.objects.filter(network=network, state__in=states or DECIDED_STATES)
    if kind:
        proposals = proposals.filter(kind=kind)
    if year:
        proposals = proposals.filter(Q(decided_at__year=year) | Q(decided_at__isnull=True, state_changed_at__year=year))
    if q:
        proposals = proposals.filter(Q(title__icontains=q) | Q(driver__icontains=q) | Q(outcome__icontains=q))
    return (
        proposals.select_related("proposer")
        .prefetch_related(
            Prefetch("versions", queryset=ProposalVersion.objects.order_by("number")),
            Prefetch(
                "rounds",
                queryset=ConsentRound.objects.select_related("version")
                .prefetch_related(
                    Prefetch("answers", queryset=Answer.objects.select_related("person").order_by("created_at", "id"))
                )
                .order_by("number"),
            ),
        )
        .order_by(F("decided_at").desc(nulls_last=True), "-state_changed_at", "-pk")
    )


@dataclass
class RegisterRound:
    round: ConsentRound
    answers: list[Answer]  # the current answers, in the order given
    counts: dict[str, int | None]

    @property
    def answered(self) -> int:
        """The answers that counted at closing (voices, with one voice per organisation); so far, while open."""
        return self.round.answered_count if self.round.answered_count is not None else len(self.answers)


@dataclass
class RegisterEntry:
    proposal: Proposal
    versions: int
    rounds: list[RegisterRound]
    due_for_review: bool


def register_entry(proposal: Proposal, today: datetime.date) -> RegisterEntry:
    """One decision as the register shows it, from what ``decision_register`` prefetched (no query)."""
    rounds = []
    for round in proposal.rounds.all():
        answers = [a for a in round.answers.all() if a.is_current]
        if round.answered_count is not None:  # the tally the round closed with (it counts voices)
            counts: dict[str, int | None] = {
                AnswerKind.CONSENT: round.consent_count,
                AnswerKind.CONCERN: round.concern_count,
                AnswerKind.OBJECTION: round.objection_count,
                AnswerKind.STAND_ASIDE: round.stand_aside_count,
            }
        else:
            tally = Counter(answer.kind for answer in answers)
            counts = {kind: tally[kind] for kind in AnswerKind.values}
        rounds.append(RegisterRound(round, answers, counts))
    return RegisterEntry(proposal, len(proposal.versions.all()), rounds, proposal.is_due_for_review(today))
