"""Reads of consent decisions, shaped once so a page's query count does not grow with the data.

Selectors do not check rights: the view resolves the network and its right first (``NetworkMixin``),
then looks every object up *inside* that network through these functions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from decisions import voices
from decisions.models import (
    DECIDED_STATES,
    ELECTORATE_ROLES,
    Answer,
    AnswerKind,
    ConsentRound,
    DecisionSettings,
    Delivery,
    Elector,
    NotificationPreference,
    Proposal,
    ProposalState,
    ProposalVersion,
)
from ecosystem.models import Membership, Network, Person, Role

# When one person holds several roles that make them eligible, the round records the first of these.
_ROLE_PRECEDENCE = (Role.COORDINATOR, Role.COALITION_MEMBER, Role.BROAD_PARTNER)


def decision_settings_for(network: Network) -> DecisionSettings:
    """The network's decision settings; the defaults (unsaved) when it never changed them."""
    return DecisionSettings.objects.filter(network=network).first() or DecisionSettings(network=network)


def delivery_for(persons: list[Person]) -> dict[int, str]:
    """How each person wants their e-mail (one query); persons without a preference get it at once."""
    chosen = dict(
        NotificationPreference.objects.filter(person__in=[p.pk for p in persons]).values_list("person_id", "delivery")
    )
    return {p.pk: chosen.get(p.pk, Delivery.IMMEDIATE) for p in persons}


def eligible_voters(network: Network, electorate: str) -> dict[int, str]:
    """Who may answer now in a round of this electorate: person id → the role that makes them eligible.

    Active memberships only: coordinators and coalition members, and for the whole network also the
    broad-partner representatives. Funders, facilitators and observers never answer.
    """
    roles = ELECTORATE_ROLES[electorate]
    eligible: dict[int, str] = {}
    memberships = Membership.objects.active().filter(network=network, role__in=roles).values_list("person_id", "role")
    for person_id, role in memberships:
        current = eligible.get(person_id)
        if current is None or _ROLE_PRECEDENCE.index(role) < _ROLE_PRECEDENCE.index(current):
            eligible[person_id] = role
    return eligible


def in_electorate(person: Person, proposal: Proposal) -> bool:
    """Whether the person could answer on this proposal now (used to mark a reaction as advice)."""
    return person.pk in eligible_voters(proposal.network, proposal.electorate)


def latest_version(proposal: Proposal) -> ProposalVersion:
    version = proposal.versions.order_by("-number").first()
    assert version is not None, "a proposal is created with its first version"
    return version


def proposals_of(network: Network, *, states: list[str] | None = None) -> QuerySet[Proposal]:
    """A network's proposals, newest first, each with ``version_count``, and ``open_deadline`` and
    ``open_electorate_size`` of its open round."""
    open_rounds = ConsentRound.objects.filter(proposal=OuterRef("pk"), closed_at__isnull=True)
    proposals = (
        Proposal.objects.filter(network=network)
        .select_related("proposer")
        .annotate(
            version_count=Count("versions", distinct=True),
            open_deadline=Subquery(open_rounds.values("deadline")[:1]),
            open_electorate_size=Subquery(open_rounds.values("electorate_size")[:1]),
        )
        .order_by("-created_at", "-id")
    )
    if states is not None:
        proposals = proposals.filter(state__in=states)
    return proposals


def proposals_by_state(network: Network) -> dict[str, list[Proposal]]:
    """Every state (in lifecycle order) with the network's proposals in it, in one query."""
    grouped: dict[str, list[Proposal]] = {state: [] for state in ProposalState.values}
    for proposal in proposals_of(network):
        grouped[proposal.state].append(proposal)
    return grouped


def proposal_groups(network: Network, person: Person | None) -> dict[str, list[Proposal]]:
    """The list page's groups, in a fixed number of queries: ``open`` (soonest deadline first, each
    with ``answered`` voices of ``electorate_size`` and ``awaits_me``), ``questions``, ``reactions``,
    ``draft`` and ``decided`` (latest first, each with ``due_for_review``)."""
    grouped = proposals_by_state(network)
    progress = open_round_progress(network)
    awaiting = set()
    if person is not None:
        awaiting = set(awaiting_answer(person).filter(proposal__network=network).values_list("proposal_id", flat=True))
    deadline = {p.pk: vars(p)["open_deadline"] for p in grouped[ProposalState.CONSENT_ROUND]}  # an annotation
    in_round = sorted(grouped[ProposalState.CONSENT_ROUND], key=lambda p: (deadline[p.pk] is None, deadline[p.pk]))
    for proposal in in_round:  # read by the template as attributes, like the queryset's annotations
        size = vars(proposal)["open_electorate_size"]
        vars(proposal).update(
            answered=progress.get(proposal.pk, 0), electorate_size=size, awaits_me=proposal.pk in awaiting
        )
    decided = [p for state in DECIDED_STATES for p in grouped[state]]
    decided.sort(key=lambda p: p.decided_at or p.state_changed_at, reverse=True)
    for proposal in decided:
        vars(proposal).update(due_for_review=proposal.is_due_for_review(timezone.localdate()))
    return {
        "open": in_round,
        "questions": grouped[ProposalState.QUESTIONS],
        "reactions": grouped[ProposalState.REACTIONS],
        "draft": grouped[ProposalState.DRAFT],
        "decided": decided,
    }


def proposal_in(network: Network, proposal_id: int) -> Proposal:
    """A proposal of this network with everything its page shows, in a fixed number of queries.

    Raises ``Proposal.DoesNotExist`` for a proposal of another network (the view answers 404).
    """
    return (
        Proposal.objects.filter(network=network)
        .select_related("network", "proposer", "state_changed_by")
        .prefetch_related(
            Prefetch("versions", queryset=ProposalVersion.objects.select_related("created_by").order_by("number")),
            "questions__asked_by",
            "questions__answered_by",
            "reactions__by",
            Prefetch(
                "rounds",
                queryset=ConsentRound.objects.select_related("version", "opened_by").order_by("number"),
            ),
        )
        .get(pk=proposal_id)
    )


def proposals_about(obj: object) -> QuerySet[Proposal]:
    """The proposals whose subject is ``obj`` (a partnership, an experiment), newest first."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(obj)  # type: ignore[arg-type]
    return Proposal.objects.filter(content_type=content_type, object_id=obj.pk).order_by(  # type: ignore[attr-defined]
        "-created_at", "-id"
    )


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
