"""The proposals of a network: the list by state, a new proposal, and a proposal's own page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from decisions import effects, forms, lifecycle, selectors, services
from decisions.diff import word_diff
from decisions.models import (
    AnswerKind,
    ConsentRound,
    Proposal,
    ProposalKind,
)
from decisions.selectors import ElectorRow, RoundProgress
from decisions.views.common import ProposalMixin, _proposal_url
from ecosystem.lifecycle import AllowedSteps
from ecosystem.models import GovernanceForm, Person, Stage
from ecosystem.permissions import (
    MANAGE_PROPOSALS,
    PROPOSE,
    VIEW_PROPOSALS,
)
from ecosystem.views_base import NetworkActionView, NetworkMixin

# --- The list of proposals --------------------------------------------------------------------------


class ProposalListView(NetworkMixin, TemplateView):
    permission = VIEW_PROPOSALS
    template_name = "decisions/proposal_list.html"

    def get_context_data(self, **kwargs):
        grouped = selectors.proposal_groups(self.network, self.person)
        labels = {
            "open": _("Consent rounds open"),
            "questions": _("Clarifying questions"),
            "reactions": _("Reactions"),
            "draft": _("Drafts"),
            "decided": _("Decided"),
        }
        return super().get_context_data(
            groups=[(key, label, grouped[key]) for key, label in labels.items()],
            can_propose=self.can(PROPOSE),
            can_manage=self.can(MANAGE_PROPOSALS),
            **kwargs,
        )


# --- A new proposal ---------------------------------------------------------------------------------


class NewProposalView(NetworkActionView):
    permission = PROPOSE
    template_name = "decisions/proposal_form.html"
    form_class = forms.ProposalForm

    @cached_property
    def candidates(self) -> QuerySet:
        """What an admission can be about: the subjects the admission's effect accepts (registered by
        the app that owns them, see decisions/effects.py)."""
        return effects.subjects_for(ProposalKind.ADMIT_PARTNER, self.network)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnerships": self.candidates}

    def get_initial(self):
        """``?kind=admit_partner&partnership=<id>``: the partner page's "propose admission" link."""
        initial = super().get_initial()
        kind = self.request.GET.get("kind", "")
        if kind in dict(forms.proposable_kinds()):
            initial["kind"] = kind
        partnership_id = self.request.GET.get("partnership", "")
        if partnership_id.isdigit():
            partnership = self.candidates.filter(pk=int(partnership_id)).first()
            if partnership is not None:
                initial.update(
                    kind=ProposalKind.ADMIT_PARTNER,
                    partnership=partnership.pk,
                    title=_("Admit %(partner)s to the core") % {"partner": partnership},
                )
        return initial

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        subject, params = form.subject_and_params()
        self.created = services.create_proposal(
            network=self.network,
            by=self.user,
            title=data["title"],
            driver=data["driver"],
            text=data["text"],
            kind=data["kind"],
            electorate=data["electorate"],
            subject=subject,
            effect_params=params,
            review_date=data["review_date"],
        )
        return _("Your proposal is saved as a draft. Open it for clarifying questions when it is ready.")

    def get_success_url(self) -> str:
        return _proposal_url(self.created)


# --- A proposal -------------------------------------------------------------------------------------


@dataclass
class VersionView:
    version: Any
    diff: SafeString | None  # the difference with the version before, None for the first


@dataclass
class RoundView:
    progress: RoundProgress
    show_answers: bool  # the answers themselves; who answered is always shown
    mine: ElectorRow | None  # the viewer's row, when they are in this round's electorate

    @property
    def round(self) -> ConsentRound:
        return self.progress.round

    @property
    def answered(self) -> int:
        """How many answers count (with one voice per organisation: voices, not persons)."""
        return self.progress.voices_answered

    @property
    def objections(self) -> list[ElectorRow]:
        return [row for row in self.progress.rows if row.answer is not None and row.answer.kind == AnswerKind.OBJECTION]


class ProposalDetailView(ProposalMixin, TemplateView):
    permission = VIEW_PROPOSALS
    template_name = "decisions/proposal_detail.html"
    # The forms of the page's actions, blank unless an action came back refused with its own.
    page_forms = {
        "round_form": forms.OpenRoundForm,
        "withdraw_form": forms.WithdrawForm,
        "ask_form": forms.QuestionForm,
        "reaction_form": forms.ReactionForm,
    }

    @cached_property
    def rounds(self) -> list[RoundView]:
        return round_views(self.proposal, self.person)

    @cached_property
    def open_round(self) -> RoundView | None:
        return next((r for r in self.rounds if r.round.is_open), None)

    @cached_property
    def steps(self) -> AllowedSteps:
        """What the viewer may do now: the lifecycle's table (decisions/lifecycle.py), as the services check it."""
        shown = self.open_round is not None and self.open_round.show_answers and bool(self.open_round.objections)
        return lifecycle.allowed_steps(self.proposal, rights=self.rights, person=self.person, objection_shown=shown)

    def get_context_data(self, **kwargs):
        proposal, steps = self.proposal, self.steps
        answering = kwargs.pop("answering", None)  # (question id, refused form) from AnswerQuestionView
        context = {name: kwargs.pop(name, None) or form() for name, form in self.page_forms.items()}
        return super().get_context_data(
            proposal=proposal,
            subject=_subject_of(proposal),
            effect_lines=_effect_lines(proposal),
            versions=_version_views(proposal),
            current_version=list(proposal.versions.all())[-1],
            questions=_question_forms(proposal, steps, answering),
            rounds=self.rounds,
            open_round=self.open_round,
            steps=steps,
            reaction_is_advice="react" in steps
            and self.person is not None
            and not selectors.in_electorate(self.person, proposal),
            **context,
            **kwargs,
        )


def _question_forms(proposal: Proposal, steps: AllowedSteps, answering: tuple | None) -> list[tuple]:
    """Each question with the form its answer is written in (the proposer's, while it has none)."""
    refused_id, refused_form = answering or (None, None)
    return [
        (
            question,
            (refused_form if question.pk == refused_id else forms.QuestionAnswerForm(prefix=f"q{question.pk}"))
            if "answer_question" in steps and question.answered_at is None
            else None,
        )
        for question in proposal.questions.all()
    ]


def _subject_of(proposal: Proposal) -> Any:
    return proposal.subject if proposal.object_id is not None else None


def _effect_lines(proposal: Proposal) -> list[str]:
    """What adopting the proposal changes besides its subject, in words."""
    params, lines = proposal.effect_params or {}, []
    if params.get("to_stage") in Stage.values:
        lines.append(_("The network moves to the stage: %(stage)s") % {"stage": Stage(params["to_stage"]).label})
    if params.get("governance_form") in GovernanceForm.values:
        lines.append(
            _("The governance form becomes: %(form)s") % {"form": GovernanceForm(params["governance_form"]).label}
        )
    if isinstance(params.get("principles"), list):
        principles = "; ".join(params["principles"])
        lines.append(_("The simple principles become: %(principles)s") % {"principles": principles})
    return lines


def _version_views(proposal: Proposal) -> list[VersionView]:
    views, previous = [], None
    for version in proposal.versions.all():
        views.append(VersionView(version, word_diff(previous.text, version.text) if previous else None))
        previous = version
    return views


def round_views(proposal: Proposal, viewer: Person | None) -> list[RoundView]:
    """Every round of the proposal, the latest first, with who answered what: two queries a round,
    whatever the number of answers.

    The answers themselves are shown to the round's electorate, unless the round hides them until it
    closes; once closed, to every reader of proposals. Who has answered is always shown.
    """
    views = []
    for round in reversed(list(proposal.rounds.all())):
        progress = selectors.round_progress(round)
        mine = next((row for row in progress.rows if viewer is not None and row.person.pk == viewer.pk), None)
        show = not round.is_open or (mine is not None and not round.hide_answers_until_close)
        views.append(RoundView(progress, show, mine))
    return views
