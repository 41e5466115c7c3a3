"""The partner register as a spreadsheet: the partners and the ledger, for ``ecosystem.exports`` to write.

Exports carry no personal contact details: a partner who is a person is named, never reached. The
writers guard every text cell against formula injection, so a name like ``=HYPERLINK(...)`` stays
text in a spreadsheet.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.exports import Cell, Sheet
from partners.models import Contribution, ContributionKind, Offer, Partnership, Reason


def partners_sheet(partnerships: QuerySet[Partnership]) -> Sheet:
    """The partners, by name, without anyone's e-mail or phone (one query)."""
    rows = (
        partnerships.select_related("organisation", "person")
        .order_by(Lower(Coalesce("organisation__name", "person__full_name")), "pk")
        .iterator(chunk_size=500)
    )
    header = [
        _("name"),
        _("kind"),
        _("organisation type"),
        _("municipality"),
        _("website"),
        _("tier"),
        _("status"),
        _("since"),
        _("reasons"),
        _("reasons note"),
        _("offers"),
        _("offers note"),
    ]
    return Sheet(_("Partners"), header, (_partner_row(p) for p in rows))


def _partner_row(partnership: Partnership) -> list[Cell]:
    organisation = partnership.organisation
    return [
        partnership.name,
        _("organisation") if organisation else _("person"),
        organisation.get_type_display() if organisation else "",
        organisation.municipality if organisation else "",
        organisation.website if organisation else "",
        partnership.get_tier_display(),
        partnership.get_status_display(),
        partnership.status_since,
        "; ".join(_labels(Reason, partnership.reasons)),
        partnership.reasons_note,
        "; ".join(_labels(Offer, partnership.offers)),
        partnership.offers_note,
    ]


def _labels(choices: Any, values: list[str]) -> list[str]:
    # A value the choices no longer know is exported as it is stored rather than dropped.
    return [str(choices(value).label) if value in choices.values else value for value in values or []]


def ledger_sheet(entries: QuerySet[Contribution]) -> Sheet:
    """The ledger entries, newest first, counter-entries pointing at what they correct (one query)."""
    # The entry's id comes first: it is what a counter-entry's "corrects" column points at.
    header = [
        _("id"),
        _("date"),
        _("partner"),
        _("kind"),
        _("quantity"),
        _("unit"),
        _("value (EUR)"),
        _("note"),
        _("for experiment"),
        _("corrects"),
        _("recorded at"),
    ]
    rows = entries.select_related("partnership__organisation", "partnership__person").iterator(chunk_size=500)
    return Sheet(_("Ledger"), header, (_ledger_row(entry) for entry in rows))


def _ledger_row(entry: Contribution) -> list[Cell]:
    return [
        entry.pk,
        entry.on,
        entry.partnership.name,
        str(ContributionKind(entry.kind).label),
        entry.quantity,
        entry.unit,
        entry.value_eur,
        entry.note,
        entry.for_experiment,
        entry.corrects_id,
        timezone.localtime(entry.recorded_at).replace(tzinfo=None, microsecond=0),
    ]
