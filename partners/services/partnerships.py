"""Writes about organisations and partnerships: registering, details, status over time, admission to the core."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.models import Network, Person, User
from ecosystem.permissions import MANAGE_PARTNERS, REGISTER_PROSPECTS, acting_person, require_unless_system
from ecosystem.updates import model_update
from partners import selectors
from partners.models import (
    STATUS_FLOW,
    Affiliation,
    EventKind,
    Offer,
    Organisation,
    OrganisationType,
    Partnership,
    PartnershipEvent,
    Reason,
    Status,
    Tier,
)
from partners.services._common import AdoptedDecision, _clean_choices, _not_in_future

# --- Organisations --------------------------------------------------------------------------------


@transaction.atomic
def find_or_create_organisation(
    *, name: str, type: str = OrganisationType.OTHER, municipality: str = "", address: str = "", website: str = ""
) -> tuple[Organisation, bool]:
    """The organisation of that name (case-insensitive), or a new one. Known details are not overwritten."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("An organisation needs a name."))
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing, False
    organisation = Organisation(name=name, type=type, municipality=municipality, address=address, website=website)
    organisation.full_clean()
    organisation.save()
    return organisation, True


@transaction.atomic
def affiliate(
    *, person: Person, organisation: Organisation, function: str = "", by: User | None, network: Network | None = None
) -> Affiliation:
    """Record that a person works at or for an organisation (with a function)."""
    if network is not None:
        require_unless_system(by, MANAGE_PARTNERS, network)
    affiliation, created = Affiliation.objects.get_or_create(
        person=person, organisation=organisation, defaults={"function": function}
    )
    if not created and function and affiliation.function != function:
        affiliation.function = function
        affiliation.save(update_fields=["function"])
    return affiliation


# --- Partnerships ---------------------------------------------------------------------------------


@transaction.atomic
def register_partner(
    *,
    network: Network,
    by: User | None,
    organisation: Organisation | None = None,
    person: Person | None = None,
    status: str = Status.PROSPECTIVE,
    since: datetime.date | None = None,
    reasons: list[str] | None = None,
    reasons_note: str = "",
    offers: list[str] | None = None,
    offers_note: str = "",
    reason: str = "",
) -> Partnership:
    """Register an organisation or a person as a *broad* partner of the network.

    A prospective partner may be registered by anyone who may propose (coordinator, coalition
    member); an active broad partner only by a coordinator. The core tier is never set here: it is
    the effect of an adopted consent decision (:func:`admit_to_core`).
    """
    if status not in (Status.PROSPECTIVE, Status.ACTIVE):
        raise ValidationError(_("A new partner is either prospective or active."))
    require_unless_system(by, REGISTER_PROSPECTS if status == Status.PROSPECTIVE else MANAGE_PARTNERS, network)
    if (organisation is None) == (person is None):
        raise ValidationError(_("A partner is either an organisation or a person."))
    since = since or timezone.localdate()
    _not_in_future(since)
    existing = Partnership.objects.filter(network=network, organisation=organisation, person=person).first()
    if existing is not None:
        raise ValidationError(_("%(partner)s is already a partner of this network.") % {"partner": existing.name})
    partnership = Partnership.objects.create(
        network=network,
        organisation=organisation,
        person=person,
        tier=Tier.BROAD,
        status=status,
        status_since=since,
        reasons=_clean_choices(reasons, Reason, _("reason")),
        reasons_note=reasons_note.strip(),
        offers=_clean_choices(offers, Offer, _("contribution offered")),
        offers_note=offers_note.strip(),
    )
    PartnershipEvent.objects.create(
        partnership=partnership,
        kind=EventKind.JOINED,
        tier=Tier.BROAD,
        status=status,
        on=since,
        by=acting_person(by),
        reason=reason.strip(),
    )
    return partnership


@transaction.atomic
def register_partner_by_name(
    *,
    network: Network,
    by: User | None,
    name: str = "",
    type: str = OrganisationType.OTHER,
    municipality: str = "",
    website: str = "",
    **partnership: Any,
) -> Partnership:
    """Register what a person typed on the register page: an organisation by ``name`` (found, or
    created with the details given) or, without a name, ``partnership["person"]``. All or nothing:
    an organisation created for a refused partnership is not kept."""
    organisation = None
    if name:
        organisation, _created = find_or_create_organisation(
            name=name, type=type, municipality=municipality, website=website
        )
    return register_partner(network=network, by=by, organisation=organisation, **partnership)


# What update_partnership may change: never the tier or status (their own services, with a timeline).
PROFILE_FIELDS = ("reasons", "reasons_note", "offers", "offers_note", "representative", "deputy")


@transaction.atomic
def update_partnership(*, partnership: Partnership, by: User | None, **fields: Any) -> Partnership:
    """Change why a partner joined, what it brings, and who speaks for it (not tier or status)."""
    require_unless_system(by, MANAGE_PARTNERS, partnership.network)
    if "reasons" in fields:
        fields["reasons"] = _clean_choices(fields["reasons"], Reason, _("reason"))
    if "offers" in fields:
        fields["offers"] = _clean_choices(fields["offers"], Offer, _("contribution offered"))
    return model_update(partnership, fields, allowed=PROFILE_FIELDS)


@transaction.atomic
def change_status(
    *, partnership: Partnership, to_status: str, by: User | None, on: datetime.date | None = None, reason: str = ""
) -> PartnershipEvent:
    """Move a partnership along prospective → active ⇄ paused → left (and back to active)."""
    require_unless_system(by, MANAGE_PARTNERS, partnership.network)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to_status not in STATUS_FLOW.get(partnership.status, set()):
        raise ValidationError(
            _("A partner cannot go from %(from)s to %(to)s.")
            % {
                "from": Status(partnership.status).label,
                "to": Status(to_status).label if to_status in Status.values else to_status,
            }
        )
    on = on or timezone.localdate()
    _not_in_future(on)
    if on < partnership.status_since:
        raise ValidationError(_("The date cannot be before the current status began."))
    partnership.status = to_status
    partnership.status_since = on
    partnership.save(update_fields=["status", "status_since"])
    return PartnershipEvent.objects.create(
        partnership=partnership,
        kind=EventKind.STATUS,
        tier=partnership.tier,
        status=to_status,
        on=on,
        by=acting_person(by),
        reason=reason.strip(),
    )


@transaction.atomic
def admit_to_core(
    *, partnership: Partnership, decision: AdoptedDecision, by: User | None, on_behalf_of: Person | None = None
) -> PartnershipEvent:
    """Make a partner a core partner: only as the effect of an adopted consent decision of its network.

    The authority is the decision, so only the system acts (``by=None``), recording the proposer as
    ``on_behalf_of``. Refuses (ValidationError) when the decision is not adopted, belongs to another
    network, or the partner has left or is core already. The admission is dated on the day the
    decision was adopted; a prospective or paused partner is active again from that day.
    """
    if by is not None:
        raise PermissionDenied(_("Only an adopted consent decision admits a partner to the core."))
    if not getattr(decision, "is_adopted", False):
        raise ValidationError(_("Only an adopted consent decision admits a partner to the core."))
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if decision.network_id != partnership.network_id:
        raise ValidationError(_("The decision belongs to another network."))
    if partnership.status == Status.LEFT:
        raise ValidationError(_("%(partner)s has left the network.") % {"partner": partnership.name})
    if partnership.tier == Tier.CORE:
        raise ValidationError(_("%(partner)s is a core partner already.") % {"partner": partnership.name})
    decided_at = getattr(decision, "decided_at", None)
    on = timezone.localdate(decided_at) if decided_at is not None else timezone.localdate()
    partnership.tier = Tier.CORE
    if partnership.status in (Status.PROSPECTIVE, Status.PAUSED):
        partnership.status, partnership.status_since = Status.ACTIVE, on
    partnership.save(update_fields=["tier", "status", "status_since"])
    return PartnershipEvent.objects.create(
        partnership=partnership,
        kind=EventKind.TIER,
        tier=Tier.CORE,
        status=partnership.status,
        on=on,
        by=on_behalf_of,
        reason=_("Admitted to the core by consent decision."),
        decision_ref=f"{type(decision).__name__}:{decision.pk}",
    )


@transaction.atomic
def register_organisations(
    *,
    network: Network,
    by: User | None,
    names: list[str],
    type: str = OrganisationType.OTHER,
    since: datetime.date | None = None,
) -> tuple[list[str], list[str]]:
    """Register each named organisation as an active broad partner of ``network``: the bulk add.

    Before: ``by`` may manage the network's partners. After: each name's organisation (found as
    :func:`find_or_create_organisation` finds it, or created with ``type``) is a partner. Returns the
    names added and the names skipped because their organisation was a partner already
    (``selectors.already_partners``, the answer the import gives too), both as given. If
    :func:`register_partner` refuses one (a date in the future), nothing is added.
    """
    require_unless_system(by, MANAGE_PARTNERS, network)
    organisations = [find_or_create_organisation(name=name, type=type)[0] for name in names]
    partnered = selectors.already_partners(network, organisations)
    added, skipped = [], []
    for name, organisation in zip(names, organisations, strict=True):
        if organisation.pk in partnered:
            skipped.append(name)
            continue
        register_partner(network=network, by=by, organisation=organisation, status=Status.ACTIVE, since=since)
        partnered.add(organisation.pk)  # the same organisation again, further down the list in other letters
        added.append(name)
    return added, skipped
