"""What an adopted decision does, by kind: a small registry.

Adopting a proposal carries out its kind's effect in the same transaction as the adoption, inside a
savepoint: all or nothing. ``decisions/`` imports no app whose objects its decisions act on; such an
app registers the effect itself, in its ``AppConfig.ready`` (as ``partners/apps.py`` does)::

    class PartnersConfig(AppConfig):
        name = "partners"

        def ready(self) -> None:
            from decisions.effects import register_effect
            from partners.effects import admit_partner, check_admission
            from partners.selectors import admission_candidates

            register_effect("admit_partner", admit_partner, check=check_admission, subjects=admission_candidates)

The contract:

``apply(proposal)``
    Runs when a round closes with everything needed for adoption, inside a savepoint in which the
    adoption is already written: ``proposal.state`` is *adopted*, saved. It gets the proposal locked,
    with ``.network``, ``.subject`` (the object it is about, may be ``None``), ``.effect_params`` (a
    dict) and ``.proposer``. The authority is the decision of the electorate, not the proposer's rights:
    the effect calls the target service as the system (``by=None``), naming the proposer where that
    service records on whose behalf it acts (``on_behalf_of=``, as ecosystem/permissions.py spells it).
    When the
    effect is no longer possible (the partner left meanwhile) it raises ``ValidationError`` with a
    translatable message: the savepoint rolls back the adoption together with everything the effect did,
    the proposal is *not adopted* and its outcome quotes the message. Any other exception is a bug: it
    rolls back the whole closing, which the next ``close_due_rounds`` run tries again.

``check(network, subject, params)`` (optional)
    Runs when the proposal is made, and refuses (``ValidationError``) a proposal whose effect could
    never be carried out: a subject of the wrong type, an unknown stage, a missing parameter.

``subjects(network)`` (optional)
    What a proposal of this kind can be about in the network: a queryset whose objects have a
    ``pk`` and read as their name (``str``). The new-proposal page offers these (:func:`subjects_for`).

The kinds in :data:`KINDS_WITH_EFFECT` cannot be proposed while nothing is registered for them, so an
adopted decision never silently does nothing. The built-in effects for the network's stage and
governance are registered below, when ``DecisionsConfig.ready`` imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from decisions.models import ProposalKind
from ecosystem import services as ecosystem_services
from ecosystem.models import GovernanceForm, Network, Stage

if TYPE_CHECKING:
    from decisions.models import Proposal

Apply = Callable[["Proposal"], object]
Check = Callable[[Network, Any, dict], object]
Subjects = Callable[[Network], QuerySet]

KINDS_WITH_EFFECT = frozenset(
    {
        ProposalKind.ADMIT_PARTNER,
        ProposalKind.ADOPT_EXPERIMENT,
        ProposalKind.EXPERIMENT_TO_MAINSTREAMING,
        ProposalKind.CHANGE_NETWORK_STAGE,
        ProposalKind.CHANGE_GOVERNANCE,
    }
)


@dataclass(frozen=True)
class Effect:
    apply: Apply
    check: Check | None = None
    subjects: Subjects | None = None


_effects: dict[str, Effect] = {}


def register_effect(kind: str, apply: Apply, *, check: Check | None = None, subjects: Subjects | None = None) -> None:
    """Make ``apply`` the effect of adopting a proposal of ``kind`` (see the module's docstring).

    Registering the same functions again is harmless (``ready`` may run twice); registering a
    different effect for a kind that has one is a configuration error.
    """
    if kind not in ProposalKind.values:
        raise ImproperlyConfigured(f"{kind!r} is not a kind of proposal")
    effect = Effect(apply=apply, check=check, subjects=subjects)
    existing = _effects.get(kind)
    if existing is not None and existing != effect:
        raise ImproperlyConfigured(f"an effect is registered for {kind!r} already: {existing.apply!r}")
    _effects[kind] = effect


def effect_for(kind: str) -> Effect | None:
    return _effects.get(kind)


def subjects_for(kind: str, network: Network) -> QuerySet:
    """What a proposal of ``kind`` in ``network`` can be about, as its effect's app says (``subjects``);
    an empty list when nothing is registered. The new-proposal page offers these."""
    effect = _effects.get(kind)
    if effect is None or effect.subjects is None:
        return ContentType.objects.none()
    return effect.subjects(network)


def check_effect(*, kind: str, network: Network, subject: Any, params: dict) -> None:
    """Refuse a proposal whose effect could never be carried out. Called by ``create_proposal``."""
    effect = _effects.get(kind)
    if effect is None:
        if kind in KINDS_WITH_EFFECT:
            raise ValidationError(_("Decisions of this kind cannot be carried out yet."))
        return
    if effect.check is not None:
        effect.check(network, subject, params)


def carry_out(proposal: Proposal) -> None:
    """Carry out the adopted proposal's effect, all or nothing (a savepoint).

    Raises ``ValidationError`` when the effect is no longer possible; its changes are rolled back.
    """
    effect = _effects.get(proposal.kind)
    if effect is None:
        if proposal.kind in KINDS_WITH_EFFECT:
            raise ValidationError(_("Decisions of this kind cannot be carried out yet."))
        return
    with transaction.atomic():
        effect.apply(proposal)


# --- Built-in effects: the network's own stage and governance ----------------------------------------


def _decision_reason(proposal: Proposal) -> str:
    return _("Consent decision: %(title)s") % {"title": proposal.title}


def check_network_stage(network: Network, subject: Any, params: dict) -> None:
    to_stage = params.get("to_stage")
    if to_stage not in Stage.values:
        raise ValidationError(_("Choose the development stage the network moves to."))
    if to_stage == network.stage:
        raise ValidationError(_("The network is already in this stage."))


def change_network_stage(proposal: Proposal) -> None:
    """Move the network to ``effect_params["to_stage"]``, recorded on behalf of the proposer."""
    params = proposal.effect_params
    ecosystem_services.change_network_stage(
        network=proposal.network,
        to_stage=params.get("to_stage", ""),
        reason=_decision_reason(proposal),
        evidence=str(params.get("evidence", "")),
        by=None,
        on_behalf_of=proposal.proposer,
    )


GOVERNANCE_PARAMS = frozenset({"governance_form", "principles"})


def check_governance(network: Network, subject: Any, params: dict) -> None:
    if not params or set(params) - GOVERNANCE_PARAMS:
        raise ValidationError(_("Say which governance form or which principles the network adopts."))
    if "governance_form" in params and params["governance_form"] not in GovernanceForm.values:
        raise ValidationError(_("Unknown governance form."))
    if "principles" in params:
        principles = params["principles"]
        if (
            not isinstance(principles, list)
            or not all(isinstance(p, str) for p in principles)
            or not any(p.strip() for p in principles)
        ):
            raise ValidationError(_("List the principles the network adopts, one per line."))


def change_governance(proposal: Proposal) -> None:
    """Set the governance form and/or the principles. The system acts (``by=None``) on the adopted
    decision: CHANGE_NETWORK is a coordinator's right, the decision is the coalition's."""
    params = proposal.effect_params
    if "governance_form" in params:
        ecosystem_services.update_network_profile(
            network=proposal.network, by=None, governance_form=params["governance_form"]
        )
    if "principles" in params:
        ecosystem_services.set_principles(network=proposal.network, texts=params["principles"], by=None)


register_effect(ProposalKind.CHANGE_NETWORK_STAGE, change_network_stage, check=check_network_stage)
register_effect(ProposalKind.CHANGE_GOVERNANCE, change_governance, check=check_governance)
