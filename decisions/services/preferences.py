"""How a network decides (its decision settings) and how a person hears about it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from decisions.models import (
    DecisionSettings,
    Delivery,
    NotificationPreference,
)
from ecosystem.models import Network, Person, User
from ecosystem.permissions import (
    MANAGE_PROPOSALS,
    acting_person,
    require_unless_system,
)
from ecosystem.updates import model_update

SETTINGS_FIELDS = ("quorum_fraction", "one_voice_per_organisation", "review_after_days")


@transaction.atomic
def update_decision_settings(*, network: Network, by: User | None, **changes: Any) -> DecisionSettings:
    """Change how the network decides (quorum, one voice per organisation, review period). A coordinator.

    Rounds already open keep the quorum they opened with.
    """
    require_unless_system(by, MANAGE_PROPOSALS, network)
    Network.objects.select_for_update().filter(pk=network.pk).first()  # serialise the get-or-create
    decision_settings = DecisionSettings.objects.filter(network=network).first() or DecisionSettings(network=network)
    return model_update(decision_settings, changes, allowed=SETTINGS_FIELDS)


@transaction.atomic
def set_notification_preference(*, person: Person, delivery: str, by: User | None) -> NotificationPreference:
    """A person chooses e-mail at once or a daily digest. Only for themselves (or the system)."""
    if by is not None and acting_person(by) != person:
        raise PermissionDenied
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("Choose how you want to receive e-mail.")})
    preference, _created = NotificationPreference.objects.update_or_create(
        person=person, defaults={"delivery": delivery}
    )
    return preference
