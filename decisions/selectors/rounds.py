"""Reads of consent rounds: who answered what, which answers count (one per voice), the inbox."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from decisions import voices
from decisions.models import (
    Answer,
    AnswerKind,
    ConsentRound,
    Elector,
)
from ecosystem.models import Network, Person

# --- Round progress ---------------------------------------------------------------------------------


@dataclass
class ElectorRow:
    person: Person
    role: str
    answer: Answer | None  # the current answer, or None when the person has not answered
    voice_label: str = ""  # the organisation this person answers for, with one voice per organisation
    voice_answered: bool = False  # their voice counts: they, or the one they share it with, answered


@dataclass
class RoundProgress:
    round: ConsentRound
    rows: list[ElectorRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def answered(self) -> list[ElectorRow]:
        return [row for row in self.rows if row.answer is not None]

    @property
    def not_answered(self) -> list[ElectorRow]:
        """Whose voice is still missing (a deputy whose representative answered is not waited for)."""
        return [row for row in self.rows if not row.voice_answered]

    @property
    def voices_answered(self) -> int:
        """How many answers count (with one voice per organisation: voices, not persons)."""
        return sum(self.counts.values())

    @property
    def quorum_reached(self) -> bool:
        return self.voices_answered >= self.round.quorum


def counted_answers(round: ConsentRound) -> list[Answer]:
    """The answers that count in a round: one per voice (``voices.answers_per_voice``), oldest first,
    each with ``.voice``. Two queries."""
    seats = Elector.objects.filter(round=round).only("person_id", "voice", "speaks_for_id")
    answers = Answer.objects.filter(round=round, is_current=True).select_related("person").order_by("created_at", "id")
    counted = voices.answers_per_voice(seats, answers)
    return sorted(counted.values(), key=lambda a: (a.created_at, a.pk))


def round_progress(round: ConsentRound) -> RoundProgress:
    """Who is eligible in the round, who answered what (current answers), who has not: two queries.

    Whether others' answers may be shown (``hide_answers_until_close``) is the page's decision.
    """
    electors = list(Elector.objects.filter(round=round).select_related("person").order_by("person__full_name"))
    current = {a.person_id: a for a in Answer.objects.filter(round=round, is_current=True).order_by("created_at", "id")}
    counted = voices.answers_per_voice(electors, current.values())
    rows = [
        ElectorRow(
            person=e.person,
            role=e.role,
            answer=current.get(e.person_id),
            voice_label=e.voice_label,
            voice_answered=e.voice in counted,
        )
        for e in electors
    ]
    counts = dict.fromkeys(AnswerKind.values, 0)
    for answer in counted.values():
        counts[answer.kind] += 1
    return RoundProgress(round=round, rows=rows, counts=counts)


@dataclass
class _Given:
    """An answer as the list reads it: who, in which seat (the counted one gets ``voice``)."""

    person_id: int
    voice: str
    speaks_for_id: int | None


def open_round_progress(network: Network) -> dict[int, int]:
    """For each proposal of the network in a round: how many voices answered, in one query.

    Counted as the round counts them (``voices.answers_per_voice``), not in persons.
    """
    seat = Elector.objects.filter(round=OuterRef("round"), person=OuterRef("person"))
    given = (
        Answer.objects.filter(round__proposal__network=network, round__closed_at__isnull=True, is_current=True)
        .annotate(
            seat_voice=Subquery(seat.values("voice")[:1]), seat_speaks_for=Subquery(seat.values("speaks_for")[:1])
        )
        .values_list("round__proposal_id", "person_id", "seat_voice", "seat_speaks_for")
    )
    by_proposal: dict[int, list[_Given]] = {}
    for proposal_id, person_id, voice, speaks_for_id in given:
        if voice is not None:  # answered from a seat of the round's electorate
            by_proposal.setdefault(proposal_id, []).append(_Given(person_id, voice, speaks_for_id))
    return {pk: len(voices.answers_per_voice(rows, rows)) for pk, rows in by_proposal.items()}


def answer_history(round: ConsentRound) -> QuerySet[Answer]:
    """Every answer given in the round, also the ones later changed, oldest first."""
    return Answer.objects.filter(round=round).select_related("person", "version").order_by("created_at", "id")


def awaiting_answer(person: Person, *, now: datetime.datetime | None = None) -> QuerySet[ConsentRound]:
    """Open rounds, in every network, in which this person may answer and has not yet: the inbox."""
    now = now or timezone.now()
    answered = Answer.objects.filter(round=OuterRef("pk"), person=person, is_current=True)
    # A deputy is not waited for once the representative they stand in for has answered.
    represented = Elector.objects.filter(round=OuterRef("round"), person=person).values("speaks_for")
    stood_in_for = Answer.objects.filter(round=OuterRef("pk"), is_current=True, person__in=Subquery(represented))
    return (
        ConsentRound.objects.filter(closed_at__isnull=True, deadline__gt=now, electors__person=person)
        .exclude(Exists(answered))
        .exclude(Exists(stood_in_for))
        .select_related("proposal__network", "proposal__proposer", "version")
        .order_by("deadline", "pk")
    )
