"""Writes about persons in a network: adding them, their roles, their login (and with it, their rights)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.models import (
    Membership,
    Network,
    Person,
    Role,
    User,
)
from ecosystem.permissions import (
    MANAGE_MEMBERS,
    acting_person,
    require_unless_system,
    sync_permissions,
)
from ecosystem.services.invitations import invite_person


@transaction.atomic
def add_person(
    *,
    network: Network,
    full_name: str,
    role: str,
    by: User | None,
    email: str = "",
    phone: str = "",
    affiliation: str = "",
    start_date: datetime.date | None = None,
    send_invitation: bool = False,
) -> Membership:
    """Name a person in a network with a first role, and with ``send_invitation`` invite them to log in.

    A person is one record across networks: an e-mail address already known links to that person.
    All or nothing: when the invitation is refused, the person is not added either. A person who has
    a login already gets no invitation.
    """
    require_unless_system(by, MANAGE_MEMBERS, network)
    email = email.strip().lower()
    person = Person.objects.filter(email=email).first() if email else None
    if person is None:
        person = Person(full_name=full_name.strip(), email=email, phone=phone.strip(), affiliation=affiliation)
        person.full_clean()
        person.save()
        user = User.objects.filter(email=email).first() if email else None
        if user is not None and not hasattr(user, "person"):
            person.user = user
            person.save(update_fields=["user"])
    membership = give_role(person=person, network=network, role=role, by=by, start_date=start_date)
    if send_invitation and person.user_id is None:
        invite_person(person=person, network=network, by=by)
    return membership


@transaction.atomic
def give_role(
    *, person: Person, network: Network, role: str, by: User | None, start_date: datetime.date | None = None
) -> Membership:
    """Give a person a role in a network, from ``start_date`` (today by default, never in the future)."""
    require_unless_system(by, MANAGE_MEMBERS, network)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    start_date = start_date or timezone.localdate()
    if start_date > timezone.localdate():
        raise ValidationError(_("A role cannot start in the future."))
    Network.objects.select_for_update().filter(pk=network.pk).first()  # serialise role changes
    if Membership.objects.active().filter(person=person, network=network, role=role).exists():
        raise ValidationError(
            _("%(person)s already holds the role %(role)s in this network.")
            % {"person": person, "role": Role(role).label}
        )
    membership = Membership.objects.create(
        person=person, network=network, role=role, start_date=start_date, created_by=acting_person(by)
    )
    sync_permissions(person)
    return membership


@transaction.atomic
def end_role(*, membership: Membership, by: User | None, end_date: datetime.date | None = None) -> Membership:
    """End a role. Its rights stop at once: the person's very next request no longer has them.

    The row stays, with its end date, as the record of who held the role when. A network keeps at
    least one coordinator, so the last one cannot be ended.
    """
    require_unless_system(by, MANAGE_MEMBERS, membership.network)
    Network.objects.select_for_update().filter(pk=membership.network_id).first()
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None:
        raise ValidationError(_("This role has already ended."))
    end_date = end_date or timezone.localdate()
    if end_date > timezone.localdate():
        raise ValidationError(_("A role cannot end in the future; end it on the day it ends."))
    if end_date < membership.start_date:
        raise ValidationError(_("A role cannot end before it started."))
    if (
        membership.role == Role.COORDINATOR
        and not Membership.objects.active()
        .filter(network=membership.network, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(_("A network needs at least one coordinator: give the role to someone else first."))
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    sync_permissions(membership.person)
    return membership
