"""Writes to the shared network model. Views, commands, tasks and tests all call these.

Each service is atomic and checks its own preconditions and the acting user's rights.
``by=None`` means the system itself (a management command such as ``seed_demo``).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem import mail
from ecosystem.models import (
    Invitation,
    Membership,
    Network,
    Person,
    Principle,
    Role,
    Stage,
    StageChange,
    User,
    hash_token,
)
from ecosystem.permissions import (
    CHANGE_NETWORK,
    MANAGE_MEMBERS,
    acting_person,
    require_unless_system,
    sync_login,
    sync_permissions,
)

PROFILE_FIELDS = (
    "name",
    "site",
    "target_group",
    "mission",
    "vision",
    "governance_form",
    "lead_applicant",
    "funding_programme",
    "co_financing_rate",
    "budget",
)


# --- Networks -------------------------------------------------------------------------------------


@transaction.atomic
def create_network(*, name: str, slug: str, principles: Iterable[str] = (), **profile: Any) -> Network:
    """Create a network in its first stage. Only the system (admin, seed) creates networks."""
    unknown = set(profile) - set(PROFILE_FIELDS) - {"stage"}
    if unknown:
        raise TypeError(f"unknown network fields: {sorted(unknown)}")
    network = Network(name=name, slug=slug, **profile)
    network.full_clean()
    network.save()
    set_principles(network=network, texts=principles, by=None)
    return network


@transaction.atomic
def update_network_profile(
    *, network: Network, by: User | None, principles: Iterable[str] | None = None, **changes: Any
) -> Network:
    """Change the profile fields of a network (not its stage: that is :func:`change_network_stage`),
    and with ``principles`` its simple principles too, all or nothing (:func:`set_principles`)."""
    require_unless_system(by, CHANGE_NETWORK, network)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"these fields are not part of the profile: {sorted(unknown)}")
    network = Network.objects.select_for_update().get(pk=network.pk)
    for field, value in changes.items():
        setattr(network, field, value)
    network.full_clean()
    network.save()
    if principles is not None:
        set_principles(network=network, texts=principles, by=by)
    return network


@transaction.atomic
def set_principles(*, network: Network, texts: Iterable[str], by: User | None) -> list[Principle]:
    """Make the network's current principles exactly ``texts``, in that order.

    A principle whose text stays keeps its row (so references to it stay valid); a dropped one is
    archived, not deleted.
    """
    require_unless_system(by, CHANGE_NETWORK, network)
    wanted = [" ".join(t.split()) for t in texts if t.strip()]
    if len({t.casefold() for t in wanted}) != len(wanted):
        raise ValidationError(_("Each principle may appear only once."))
    current = {p.text.casefold(): p for p in network.principles.filter(archived_at__isnull=True)}
    kept = []
    for position, text in enumerate(wanted, start=1):
        principle = current.pop(text.casefold(), None)
        if principle is None:
            principle = Principle(network=network, text=text, position=position)
            principle.full_clean(exclude=["network"])
        elif principle.position != position or principle.text != text:
            principle.position, principle.text = position, text
        else:
            kept.append(principle)
            continue
        principle.save()
        kept.append(principle)
    now = timezone.now()
    for principle in current.values():
        principle.archived_at = now
        principle.save(update_fields=["archived_at"])
    return kept


@transaction.atomic
def change_network_stage(
    *, network: Network, to_stage: str, reason: str, by: User | None, evidence: str = ""
) -> StageChange:
    """Move a network to another development stage and record who, when, why and on what evidence.

    The product lets the coalition change the stage by a consent decision; the decisions app calls
    this from the decision's effect, with ``by`` the proposer. There is no other way in.
    """
    if to_stage not in Stage.values:
        raise ValidationError(_("Unknown development stage."))
    if not reason.strip():
        raise ValidationError(_("Say why the network changes stage."))
    network = Network.objects.select_for_update().get(pk=network.pk)
    if network.stage == to_stage:
        raise ValidationError(_("The network is already in this stage."))
    change = StageChange.objects.create(
        network=network,
        from_stage=network.stage,
        to_stage=to_stage,
        changed_by=acting_person(by),
        reason=reason.strip(),
        evidence=evidence.strip(),
    )
    network.stage = to_stage
    network.save(update_fields=["stage"])
    return change


# --- Persons and roles ----------------------------------------------------------------------------


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


@transaction.atomic
def link_user(*, person: Person, user: User) -> Person:
    """Give a person their login and with it the rights of every role they hold."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id not in (None, user.pk):
        raise ValidationError(_("This person already has a login."))
    person.user = user
    person.save(update_fields=["user"])
    sync_permissions(person)
    return person


@transaction.atomic
def set_login(*, person: Person, user: User | None) -> Person:
    """Give a person a login, another login, or none (``user=None``): the Django admin's way.

    Before: ``user`` belongs to no other person. After: the new login has exactly the rights of the
    person's roles, and a login the person had before has none of them any more.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    previous = person.user
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError(_("This login belongs to another person."))
    person.user = user
    person.save(update_fields=["user"])
    if previous is not None and previous != user:
        sync_login(previous)
    sync_permissions(person)
    return person


# --- Invitations ----------------------------------------------------------------------------------


@transaction.atomic
def invite_person(*, person: Person, network: Network, by: User | None) -> Invitation:
    """E-mail a person a link to set a password. Earlier open invitations for them are revoked."""
    require_unless_system(by, MANAGE_MEMBERS, network)
    if not Membership.objects.active().filter(person=person, network=network).exists():
        raise ValidationError(_("Only a person with a role in this network can be invited."))
    if not person.email:
        raise ValidationError(_("%(person)s has no e-mail address to send an invitation to.") % {"person": person})
    if person.user_id is not None:
        raise ValidationError(_("%(person)s already has a login.") % {"person": person})
    now = timezone.now()
    Invitation.objects.filter(person=person, accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    inviter = acting_person(by)
    invitation = Invitation.objects.create(
        person=person,
        network=network,
        email=person.email,
        token_hash=hash_token(token),
        invited_by=inviter,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = mail.absolute_url(reverse("accept_invitation", args=[token]))
    mail.queue_email(
        to=person.email,
        subject=_("You are invited to %(network)s") % {"network": network.name},
        template="ecosystem/email/invitation.txt",
        context={"person": person, "network": network, "inviter": inviter, "link": link, "invitation": invitation},
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation for a token from an e-mailed link, or None."""
    invitation = Invitation.objects.select_related("person", "network").filter(token_hash=hash_token(token)).first()
    return invitation if invitation is not None and invitation.is_usable else None


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """Create the login for an invited person, with a verified e-mail address, and link it.

    The e-mail address counts as verified: the person followed a link sent to it.
    """
    invitation = Invitation.objects.select_for_update().select_related("person").get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation is no longer valid. Ask a coordinator for a new one."))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this e-mail address exists already: log in instead."))
    user = User.objects.create_user(email=invitation.email, password=password)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    link_user(person=invitation.person, user=user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user
