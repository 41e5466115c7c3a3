"""Reads of the shared network model, shaped once so a page's query count does not grow with data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from ecosystem.models import Membership, Network, Person, StageChange, User


@dataclass
class NetworkRoles:
    network: Network
    roles: list[str] = field(default_factory=list)


def my_networks(user: User) -> list[NetworkRoles]:
    """The networks a user holds an active role in, each with the roles held (one query)."""
    person = getattr(user, "person", None)
    if person is None:
        return []
    rows: dict[int, NetworkRoles] = {}
    for membership in (
        Membership.objects.active().filter(person=person).select_related("network").order_by("network__name", "role")
    ):
        entry = rows.setdefault(membership.network_id, NetworkRoles(membership.network))
        entry.roles.append(membership.get_role_display())
    return list(rows.values())


def members_of(network: Network) -> QuerySet[Person]:
    """Persons with an active role in the network, each with ``current_roles`` prefetched."""
    active = Membership.objects.active().filter(network=network).order_by("role")
    return (
        Person.objects.filter(memberships__in=active)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=active, to_attr="current_roles"))
        .order_by("full_name")
    )


def ended_memberships(network: Network) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(network=network, end_date__isnull=False)
        .select_related("person")
        .order_by("-end_date", "person__full_name")
    )


def stage_history(network: Network) -> QuerySet[StageChange]:
    return network.stage_changes.select_related("changed_by").order_by("-changed_at", "-id")


def current_principles(network: Network) -> QuerySet:
    return network.principles.filter(archived_at__isnull=True).order_by("position")
