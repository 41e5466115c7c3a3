"""Helpers shared by the decisions services: who acts, locks in a fixed order, state moves.

Locks are always taken in the same order, proposal row first and then its open round, so that two
transitions on one proposal queue behind each other instead of deadlocking.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from decisions.models import (
    ConsentRound,
    Proposal,
)
from ecosystem.models import Person, User
from ecosystem.permissions import (
    MANAGE_PROPOSALS,
    PROPOSE,
    acting_person,
    can,
    require,
)

# --- Who acts -------------------------------------------------------------------------------------


def _actor(by: User | None, on_behalf_of: Person | None) -> Person:
    """The person recorded as acting: the login's own person; for the system (``by=None``), the person
    it acts on behalf of (``on_behalf_of``, required then). A login cannot act on behalf of another."""
    if by is None:
        if on_behalf_of is None:
            raise TypeError("the system acts on behalf of a named person: pass on_behalf_of")
        return on_behalf_of
    actor = acting_person(by)
    if actor is None or (on_behalf_of is not None and on_behalf_of.pk != actor.pk):
        raise PermissionDenied
    return actor


def _require_proposer(by: User | None, proposal: Proposal) -> Person | None:
    """Only the proposer (who may still propose in this network), or the system."""
    if by is None:
        return None
    require(by, PROPOSE, proposal.network)
    actor = acting_person(by)
    if actor is None or actor.pk != proposal.proposer_id:
        raise PermissionDenied(_("Only the proposer can do this."))
    return actor


def _require_proposer_or_manager(by: User | None, proposal: Proposal) -> Person | None:
    """The proposer, or someone who manages proposals on behalf of the network (a coordinator)."""
    if by is None:
        return None
    actor = acting_person(by)
    if can(by, MANAGE_PROPOSALS, proposal.network):
        return actor
    return _require_proposer(by, proposal)


# --- Locks and state ------------------------------------------------------------------------------


def _lock_proposal(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("network", "proposer").get(pk=proposal.pk)


def _lock_round(round_id: int) -> ConsentRound:
    return ConsentRound.objects.select_for_update(of=("self",)).select_related("version").get(pk=round_id)


def _locked_open_round(proposal: Proposal) -> ConsentRound | None:
    """The proposal's open round, locked. Call with the proposal already locked."""
    round_id = proposal.rounds.filter(closed_at__isnull=True).values_list("pk", flat=True).first()
    return _lock_round(round_id) if round_id is not None else None


def _move(proposal: Proposal, to_state: str, *, by: Person | None, now: datetime.datetime) -> None:
    proposal.state = to_state
    proposal.state_changed_at = now
    proposal.state_changed_by = by
    proposal.save()


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _end_round(round: ConsentRound, *, result: str, now: datetime.datetime) -> None:
    round.closed_at = now
    round.result = result
    round.save()
