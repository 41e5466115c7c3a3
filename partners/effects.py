"""What an adopted "admit partner" decision does: the partner becomes a core partner.

Registered with the decisions app in ``PartnersConfig.ready``; decisions never imports partners.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecosystem.models import Network
from partners import services
from partners.models import Partnership, Status, Tier


def check_admission(network: Network, subject: Any, params: dict) -> None:
    """Refuse, when it is proposed, an admission that could never be carried out."""
    if not isinstance(subject, Partnership) or subject.network_id != network.pk:
        raise ValidationError(_("Choose a partner of this network to admit to the core."))
    subject = Partnership.objects.select_related("organisation", "person").get(pk=subject.pk)  # as it is now
    if subject.tier == Tier.CORE:
        raise ValidationError(_("%(partner)s is a core partner already.") % {"partner": subject.name})
    if subject.status == Status.LEFT:
        raise ValidationError(_("%(partner)s has left the network.") % {"partner": subject.name})


def admit_partner(proposal: Any) -> None:
    """Carry out an adopted admission; refuses (and so the proposal is not adopted) if the partner left."""
    subject = proposal.subject
    if not isinstance(subject, Partnership):
        raise ValidationError(_("The partner of this proposal no longer exists."))
    services.admit_to_core(partnership=subject, decision=proposal, by=None, on_behalf_of=proposal.proposer)
