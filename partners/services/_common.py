"""Small checks the partners services share."""

from __future__ import annotations

import datetime
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class AdoptedDecision(Protocol):
    """What ``admit_to_core`` needs of a decision; the decisions app's Proposal provides it."""

    pk: Any
    network_id: Any

    @property
    def is_adopted(self) -> bool: ...


def _not_in_future(on: datetime.date) -> None:
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


def _clean_choices(values, choices, label: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        raise ValidationError(_("Unknown %(what)s: %(values)s") % {"what": label, "values": ", ".join(unknown)})
    return values
