"""What characterises each development stage and its named risk, after Hannon et al. (2019).

From the table "Ontwikkelingsstadia van leerecosystemen" (shared/seeds/001_*). The seed names a risk
for dynamic experimentation and for mainstreaming; for the first two stages the risk is what the
seed's "in the 3 LES" column says partners run into there. English msgids, Dutch in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Stage


@dataclass(frozen=True)
class StageGuidance:
    stage: str
    characteristics: tuple[Promise, ...]
    risk: Promise
    question: Promise

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)


GUIDANCE: dict[str, StageGuidance] = {
    Stage.HYPOTHESIS: StageGuidance(
        Stage.HYPOTHESIS,
        (
            _("A high degree of dynamism and creativity."),
            _("Focus on creating optimal conditions for learning."),
            _("The vision is a loose arrangement with potential for a paradigm shift in learning."),
        ),
        _(
            "Much is still vague, and that is normal; partners decide here whether the vision fits their own "
            "organisation, and may not join."
        ),
        _("Does the vision fit each partner's own organisation?"),
    ),
    Stage.CATALYSING: StageGuidance(
        Stage.CATALYSING,
        (
            _("Identifying new partners."),
            _("Conversations about new roles, ways of working and how contributions evolve."),
            _("The vision meets reality and how to organise it."),
            _("Work on funding and organisation is needed to make change happen."),
        ),
        _("Confronted with reality (roles, funding, the site's infrastructure), partners may drop out."),
        _("Who is missing, and who is about to drop out?"),
    ),
    Stage.EXPERIMENTATION: StageGuidance(
        Stage.EXPERIMENTATION,
        (
            _("Trying new iterations or approaches, evaluating first evidence of success."),
            _("Greater diversity of partners and programme elements."),
            _("Looser governance and design."),
        ),
        _("Risk of losing ambition or momentum."),
        _("Are we still as ambitious as when we started, and is there still momentum?"),
    ),
    Stage.MAINSTREAMING: StageGuidance(
        Stage.MAINSTREAMING,
        (
            _("Looking for sustainable funding."),
            _("Becoming a permanent part of an existing system."),
            _("A mix of dynamism and stability."),
        ),
        _("Integration into an existing system, with its norms and expectations, may limit innovation."),
        _("Which of the system's norms is starting to limit what we try?"),
    ),
}
