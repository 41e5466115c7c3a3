"""The proposals an experiment's page drafts: adopt it into the ecosystem, or move it to mainstreaming."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from decisions import services as decision_services
from decisions.models import Electorate, Proposal, ProposalKind
from ecosystem.models import Person, User
from ecosystem.permissions import PROPOSE, require
from experiments.models import Experiment


def propose(
    *,
    experiment: Experiment,
    kind: str,
    by: User | None,
    title: str,
    driver: str,
    text: str,
    electorate: str = Electorate.COALITION,
    on_behalf_of: Person | None = None,
) -> Proposal:
    """Make the draft proposal that adopts the experiment or moves it to mainstreaming: the page's
    "propose" button. The decisions app checks, through the registered effect, that it could be carried out."""
    if kind not in (ProposalKind.ADOPT_EXPERIMENT, ProposalKind.EXPERIMENT_TO_MAINSTREAMING):
        raise ValidationError(_("An experiment is proposed for adoption or for mainstreaming."))
    if by is not None:
        require(by, PROPOSE, experiment.network)
    return decision_services.create_proposal(
        network=experiment.network,
        by=by,
        on_behalf_of=on_behalf_of,
        title=title,
        driver=driver,
        text=text,
        kind=kind,
        electorate=electorate,
        subject=experiment,
    )
