"""Writes to a network itself: its profile, simple principles and stage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.models import (
    Network,
    Person,
    Principle,
    Stage,
    StageChange,
    User,
)
from ecosystem.permissions import (
    CHANGE_NETWORK,
    require_unless_system,
)
from ecosystem.updates import model_update

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
    network = Network.objects.select_for_update().get(pk=network.pk)
    model_update(network, changes, allowed=PROFILE_FIELDS)
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
    *,
    network: Network,
    to_stage: str,
    reason: str,
    by: User | None,
    on_behalf_of: Person | None = None,
    evidence: str = "",
) -> StageChange:
    """Move a network to another development stage and record who, when, why and on what evidence.

    The coalition changes the stage by a consent decision: the decision's effect calls this as the
    system (``by=None``) on behalf of the proposer. No login changes the stage alone.
    """
    if by is not None:
        raise PermissionDenied(_("The network's stage changes only by a consent decision."))
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
        changed_by=on_behalf_of,
        reason=reason.strip(),
        evidence=evidence.strip(),
    )
    network.stage = to_stage
    network.save(update_fields=["stage"])
    return change
