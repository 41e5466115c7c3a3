"""Invitations: a link e-mailed to a person to set a password, single-use, expiring, revoked by a new one."""

from __future__ import annotations

import datetime
import secrets

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
    User,
    hash_token,
)
from ecosystem.permissions import (
    MANAGE_MEMBERS,
    acting_person,
    require_unless_system,
)
from ecosystem.services.logins import link_user


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
