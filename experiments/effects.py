"""What adopted decisions about an experiment do: it becomes the ecosystem's, or it moves to mainstreaming.

Registered with the decisions app in ``ExperimentsConfig.ready``; decisions never imports experiments.
Both ask the step table (through the services), so a decision can do nothing the table forbids.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecosystem.models import Network, Stage
from experiments import services
from experiments.lifecycle import is_allowed, move_step
from experiments.models import Experiment


def _experiment(network: Network, subject: Any) -> Experiment:
    if not isinstance(subject, Experiment) or subject.network_id != network.pk:
        raise ValidationError(_("Choose an experiment of this network."))
    return Experiment.objects.select_related("network").get(pk=subject.pk)  # as it is now


def check_adoption(network: Network, subject: Any, params: dict) -> None:
    """Refuse, when it is proposed, an adoption that could never be carried out."""
    experiment = _experiment(network, subject)
    if not is_allowed("adopt", experiment):
        raise ValidationError(_("%(experiment)s is not a candidate.") % {"experiment": experiment})
    services.refuse_missing_fit(experiment)


def adopt(proposal: Any) -> None:
    subject = proposal.subject
    if not isinstance(subject, Experiment):
        raise ValidationError(_("The experiment of this proposal no longer exists."))
    services.adopt_experiment(experiment=subject, decision=proposal, by=None)


def check_mainstreaming(network: Network, subject: Any, params: dict) -> None:
    experiment = _experiment(network, subject)
    if not is_allowed(move_step(Stage.MAINSTREAMING), experiment):
        raise ValidationError(
            _("Only an experiment of the ecosystem in dynamic experimentation can move to mainstreaming.")
        )


def mainstream(proposal: Any) -> None:
    subject = proposal.subject
    if not isinstance(subject, Experiment):
        raise ValidationError(_("The experiment of this proposal no longer exists."))
    services.move_experiment(
        experiment=subject,
        to_stage=Stage.MAINSTREAMING,
        why=_("Consent decision: %(title)s") % {"title": proposal.title},
        evidence=proposal.versions.order_by("-number").values_list("text", flat=True).first() or "",
        decision=proposal,
        by=None,
    )
