"""One permission vocabulary for the whole product.

Roles on a :class:`~ecosystem.models.Membership` decide what a person may do in a network;
``ROLE_PERMISSIONS`` is the only table that says so. django-guardian stores the resulting
object permissions per (user, network), kept in sync by :func:`sync_permissions`, which the
membership services call whenever a role is given or ended.

- ``visible(user, queryset)``: the networks (or network-scoped objects) a user may see at all.
  Outside them a page answers 404: an outsider does not learn that a network exists.
- ``can(user, action, obj)``: may this user do ``action`` on ``obj`` (a network, or anything with a
  ``.network``)? Read from the store on every call, so an ended role stops working on the next request.
- ``require(user, action, obj)``: ``can`` or raise ``PermissionDenied`` (403).

Superusers get no network rights from this table: they use the Django admin.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from ecosystem.models import Membership, Network, Person, Role, User

VIEW_NETWORK = "view_network"
CHANGE_NETWORK = "change_network"
VIEW_MEMBERS = "view_members"
MANAGE_MEMBERS = "manage_members"
VIEW_CONTACT_DETAILS = "view_contact_details"

_READ_MEMBERS = {VIEW_NETWORK, VIEW_MEMBERS}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({*_READ_MEMBERS, CHANGE_NETWORK, MANAGE_MEMBERS, VIEW_CONTACT_DETAILS}),
    Role.COALITION_MEMBER: frozenset({*_READ_MEMBERS, VIEW_CONTACT_DETAILS}),
    Role.BROAD_PARTNER: frozenset(_READ_MEMBERS),
    Role.FACILITATOR: frozenset({*_READ_MEMBERS, VIEW_CONTACT_DETAILS}),
    # A funder reads the accountability view and nothing else: only view_* rights, never a change,
    # and no persons' contact details (a test holds the table to this).
    Role.FUNDER: frozenset({VIEW_NETWORK}),
    Role.OBSERVER: frozenset({VIEW_NETWORK}),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())


def permissions_for_roles(roles: set[str] | list[str]) -> frozenset[str]:
    return frozenset().union(*(ROLE_PERMISSIONS[role] for role in roles))


def _network_of(obj: Any) -> Network:
    network = obj.network
    if not isinstance(network, Network):
        raise TypeError(f"{obj!r} is not scoped to a network")
    return network


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` on ``obj``? ``obj`` is a network or carries ``.network``."""
    if action not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {action!r}")
    if not user.is_authenticated or not user.is_active:
        return False
    # get_user_perms reads only this user's own rows: no superuser shortcut, no global permissions.
    return action in ObjectPermissionChecker(user).get_user_perms(_network_of(obj))


def require(user: Any, action: str, obj: Any) -> None:
    """Raise ``PermissionDenied`` (403) unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied


def visible(user: Any, queryset: QuerySet) -> QuerySet:
    """The part of ``queryset`` (networks, or objects with a ``network`` field) that ``user`` may see."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    networks = get_objects_for_user(
        user, f"ecosystem.{VIEW_NETWORK}", klass=Network, accept_global_perms=False, with_superuser=False
    )
    if queryset.model is Network:
        return queryset.filter(pk__in=networks.values("pk"))
    return queryset.filter(network__in=networks.values("pk"))


def sync_permissions(person: Person) -> None:
    """Make guardian's store say exactly what the person's active roles allow, in every network.

    Called by the membership services after each change, inside their transaction.
    """
    # Read the login afresh: the caller's copy of the person may predate link_user.
    user = User.objects.filter(person__pk=person.pk).first()
    if user is None:
        return
    wanted: dict[int, set[str]] = {}
    for membership in Membership.objects.active().filter(person=person).select_related("network"):
        wanted.setdefault(membership.network_id, set()).update(ROLE_PERMISSIONS[membership.role])
    held = get_objects_for_user(
        user,
        [f"ecosystem.{p}" for p in ALL_PERMISSIONS],
        klass=Network,
        any_perm=True,
        accept_global_perms=False,
        with_superuser=False,
    )
    networks = {n.pk: n for n in Network.objects.filter(pk__in={*wanted, *held.values_list("pk", flat=True)})}
    for network_id, network in networks.items():
        have = set(ObjectPermissionChecker(user).get_user_perms(network)) & ALL_PERMISSIONS
        want = wanted.get(network_id, set())
        for perm in want - have:
            assign_perm(f"ecosystem.{perm}", user, network)
        for perm in have - want:
            remove_perm(f"ecosystem.{perm}", user, network)


def roles_in(person: Person | None, network: Network) -> list[str]:
    """The roles a person holds now in a network, for the "you act here as" line."""
    if person is None:
        return []
    return sorted(Membership.objects.active().filter(person=person, network=network).values_list("role", flat=True))
