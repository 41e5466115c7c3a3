"""One permission vocabulary for the whole product.

**Who acts, one spelling** (every service of every app): ``by`` is the login acting. Its rights are
checked (:func:`require_unless_system`) and it is recorded (:func:`acting_person`). ``by=None`` is the
system only: a task, a management command, the demo, or an adopted decision's effect. When the system
acts and a person must still be recorded (the demo answering as a member, an effect recording the
proposer), the service takes ``on_behalf_of=`` that person; a login cannot act on behalf of another.
Any other person a service needs (whose preference, whom to invite) has its own name, never ``by``.

Roles on a :class:`~ecosystem.models.Membership` decide what a person may do in a network;
``ROLE_PERMISSIONS`` is the only table that says so. django-guardian stores the resulting
object permissions per (user, network), kept in sync by :func:`sync_permissions`, which the
membership services call whenever a role is given or ended.

- ``visible(user, queryset)``: the networks (or network-scoped objects) a user may see at all.
  Outside them a page answers 404: an outsider does not learn that a network exists.
- ``rights_in(user, network)``: every right the user holds there, in one query: what a page reads
  once per request (as pretix's ``request.eventpermset``), for itself and for its template.
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
VIEW_ACCOUNTABILITY = "view_accountability"
# partners/
VIEW_PARTNERS = "view_partners"
REGISTER_PROSPECTS = "register_prospects"
MANAGE_PARTNERS = "manage_partners"
# decisions/ (who may answer a given round also depends on its electorate)
VIEW_PROPOSALS = "view_proposals"
PROPOSE = "propose"
TAKE_PART_IN_DECISIONS = "take_part_in_decisions"
MANAGE_PROPOSALS = "manage_proposals"
# experiments/ (what a trekker may do with their own experiment is checked by experiments.lifecycle)
VIEW_EXPERIMENTS = "view_experiments"
RUN_EXPERIMENTS = "run_experiments"
MANAGE_EXPERIMENTS = "manage_experiments"

_READER = {VIEW_NETWORK, VIEW_ACCOUNTABILITY}
_MEMBER = {*_READER, VIEW_MEMBERS, VIEW_PARTNERS, VIEW_PROPOSALS, VIEW_EXPERIMENTS}
_COALITION = {*_MEMBER, VIEW_CONTACT_DETAILS, REGISTER_PROSPECTS, PROPOSE, TAKE_PART_IN_DECISIONS, RUN_EXPERIMENTS}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {*_COALITION, CHANGE_NETWORK, MANAGE_MEMBERS, MANAGE_PARTNERS, MANAGE_PROPOSALS, MANAGE_EXPERIMENTS}
    ),
    Role.COALITION_MEMBER: frozenset(_COALITION),
    # Broad partners follow, give advice on proposals open to the whole network, and pull experiments.
    Role.BROAD_PARTNER: frozenset({*_MEMBER, TAKE_PART_IN_DECISIONS, RUN_EXPERIMENTS}),
    Role.FACILITATOR: frozenset({*_MEMBER, VIEW_CONTACT_DETAILS}),
    # A funder reads the accountability view and nothing else: only view_* rights, never a change,
    # and no persons' contact details (a test holds the table to this).
    Role.FUNDER: frozenset(_READER),
    Role.OBSERVER: frozenset({*_READER, VIEW_PROPOSALS, VIEW_EXPERIMENTS}),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())


def permissions_for_roles(roles: set[str] | list[str]) -> frozenset[str]:
    return frozenset().union(*(ROLE_PERMISSIONS[role] for role in roles))


def _network_of(obj: Any) -> Network:
    network = obj.network
    if not isinstance(network, Network):
        raise TypeError(f"{obj!r} is not scoped to a network")
    return network


class Rights(frozenset):
    """The rights one login holds in one network, read once per request by :func:`rights_in`.

    Code asks ``MANAGE_MEMBERS in rights``; a template asks ``rights.manage_members``. An unknown
    right is an error in both, so a typo never reads as "no".
    """

    def __getattr__(self, name: str) -> bool:
        if name in ALL_PERMISSIONS:
            return name in self
        raise AttributeError(name)


NO_RIGHTS = Rights()


def rights_in(user: Any, network: Network) -> Rights:
    """Every right ``user`` holds in ``network``, in one query; none for anonymous or inactive logins."""
    if not user.is_authenticated or not user.is_active:
        return NO_RIGHTS
    # get_user_perms reads only this user's own rows: no superuser shortcut, no global permissions.
    return Rights(set(ObjectPermissionChecker(user).get_user_perms(network)) & ALL_PERMISSIONS)


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` on ``obj``? ``obj`` is a network or carries ``.network``.

    Read from the store on every call, so an ended role stops working on the next request. A view
    reads :func:`rights_in` once instead of calling this for each right.
    """
    if action not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {action!r}")
    return action in rights_in(user, _network_of(obj))


def require(user: Any, action: str, obj: Any) -> None:
    """Raise ``PermissionDenied`` (403) unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied


def require_unless_system(by: Any, action: str, obj: Any) -> None:
    """What every service does first: ``by`` needs the right, unless it is None (the system acting:
    a management command, a task, an adopted decision's effect)."""
    if by is not None:
        require(by, action, obj)


def acting_person(by: Any) -> Person | None:
    """The person behind a login, to record who did something (None for the system)."""
    return getattr(by, "person", None) if by is not None else None


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
    if user is not None:
        sync_login(user)


def sync_login(user: User) -> None:
    """Make guardian's store say exactly what the roles of the login's person allow: nothing at all
    for a login that no longer belongs to a person (``set_login`` calls this for the old login)."""
    wanted: dict[int, set[str]] = {}
    for membership in Membership.objects.active().filter(person__user=user).select_related("network"):
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


def sync_all_permissions() -> int:
    """Re-derive every login's rights from the role table: run after the table itself changed.

    Called after each ``migrate`` (see ``EcosystemConfig.ready``), so a release that gives a role a
    new right gives it to everyone who holds that role. Returns how many logins were synced.
    """
    # Every login, not only those with a person: a login unlinked by hand keeps no rights.
    users = User.objects.all()
    for user in users:
        sync_login(user)
    return users.count()


def roles_in(person: Person | None, network: Network) -> list[str]:
    """The roles a person holds now in a network, for the "you act here as" line."""
    if person is None:
        return []
    return sorted(Membership.objects.active().filter(person=person, network=network).values_list("role", flat=True))
