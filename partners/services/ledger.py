"""Writes to the contribution ledger: entries, and counter-entries that correct them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ecosystem.models import User
from ecosystem.permissions import MANAGE_PARTNERS, acting_person, require_unless_system
from partners.models import (
    Contribution,
    ContributionKind,
    Partnership,
)
from partners.services._common import _not_in_future


@transaction.atomic
def record_contribution(
    *,
    partnership: Partnership,
    kind: str,
    quantity: Decimal,
    on: datetime.date,
    by: User | None,
    value_eur: Decimal | None = None,
    note: str = "",
    for_experiment: str = "",
) -> Contribution:
    """Add what a partner gave to the ledger. Money counts at its amount toward the co-financing."""
    require_unless_system(by, MANAGE_PARTNERS, partnership.network)
    if kind not in ContributionKind.values:
        raise ValidationError(_("Unknown kind of contribution."))
    if quantity is None or quantity <= 0:
        raise ValidationError(_("A contribution is more than zero; correct a mistake with a correction."))
    if value_eur is not None and value_eur < 0:
        raise ValidationError(_("A value cannot be negative."))
    _not_in_future(on)
    if kind == ContributionKind.MONEY:
        value_eur = quantity
    entry = Contribution(
        partnership=partnership,
        kind=kind,
        quantity=quantity,
        value_eur=value_eur,
        on=on,
        note=note.strip(),
        for_experiment=for_experiment.strip(),
        recorded_by=acting_person(by),
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def correct_contribution(*, entry: Contribution, by: User | None, reason: str) -> Contribution:
    """Cancel an entry with a counter-entry of the opposite amount. The original stays in the ledger."""
    require_unless_system(by, MANAGE_PARTNERS, entry.partnership.network)
    entry = Contribution.objects.select_for_update().get(pk=entry.pk)
    if entry.corrects_id is not None:
        raise ValidationError(_("A correction cannot be corrected; record the right amount as a new entry."))
    if Contribution.objects.filter(corrects=entry).exists():
        raise ValidationError(_("This entry has been corrected already."))
    if not reason.strip():
        raise ValidationError(_("Say why the entry is corrected."))
    # Stored text, read by everyone later: in the site's language, not the language of whoever corrects.
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Correction of the entry of %(date)s: %(reason)s") % {"date": entry.on, "reason": reason.strip()}
    return Contribution.objects.create(
        partnership=entry.partnership,
        kind=entry.kind,
        quantity=-entry.quantity,
        value_eur=-entry.value_eur if entry.value_eur is not None else None,
        on=entry.on,  # same date, so the totals of that period come out right
        note=note,
        for_experiment=entry.for_experiment,
        corrects=entry,
        recorded_by=acting_person(by),
    )
