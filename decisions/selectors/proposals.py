"""Reads of proposals: a network's, one with everything its page shows, the list's groups; who may answer."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from decisions.models import (
    DECIDED_STATES,
    ELECTORATE_ROLES,
    ConsentRound,
    DecisionSettings,
    Delivery,
    NotificationPreference,
    Proposal,
    ProposalState,
    ProposalVersion,
)
from decisions.selectors.rounds import awaiting_answer, open_round_progress
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
