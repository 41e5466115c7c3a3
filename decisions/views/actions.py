"""Actions on a proposal: one POST each, one service each (``NetworkActionView``); and the new version.

An action is a step of the proposal's life (``decisions/lifecycle.py``): who may take it is the
table's ``actor``, answered with 403 before any form; whether the state allows it is the service's
refusal, shown on the proposal page under the form used (or at the top when the page no longer
offers that form), or as a message after a button without fields.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions import forms, lifecycle, services
from decisions.models import ClarifyingQuestion
from decisions.views.common import ProposalMixin, _proposal_url
from decisions.views.proposals import ProposalDetailView, round_views
from ecosystem.permissions import PROPOSE, TAKE_PART_IN_DECISIONS
from ecosystem.views_base import NetworkActionView, form_messages


class ProposalActionView(ProposalDetailView, NetworkActionView):
    """A POST that takes one step of the proposal's life; refused, the proposal page comes back."""

    http_method_names = ["post"]
    step = ""  # the name in lifecycle.STEPS

    def post(self, request, *args, **kwargs):
        if lifecycle.STEPS[self.step].actor not in self.actors:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def refused_context(self, form: Any) -> dict[str, Any]:
        context = super().refused_context(form)
        if not self.form_is_shown():
            context["action_errors"] = form_messages(form)  # the page no longer offers it: say why at the top
        return context

    def form_is_shown(self) -> bool:
        return self.step in self.steps

    def get_success_url(self) -> str:
        return _proposal_url(self.proposal)


class MoveAlongView(ProposalActionView):
    """Opens a proposal for clarifying questions, or for reactions (``as_view(step=...)``): a button."""

    permission = PROPOSE
    rerender = False
    moves = {
        "start_questions": (services.start_questions, gettext_lazy("The proposal is open for clarifying questions.")),
        "start_reactions": (services.start_reactions, gettext_lazy("The proposal is open for reactions.")),
    }

    def perform(self, form: Any) -> str:
        service, message = self.moves[self.step]
        service(proposal=self.proposal, by=self.user)
        return str(message)


class OpenRoundView(ProposalActionView):
    permission, step = PROPOSE, "open_round"
    form_class, form_name = forms.OpenRoundForm, "round_form"

    def perform(self, form: Any) -> str:
        services.open_consent_round(proposal=self.proposal, by=self.user, **form.cleaned_data)
        return _("The consent round is open; everyone who decides has been sent the link to answer.")


class WithdrawView(ProposalActionView):
    permission, step = PROPOSE, "withdraw"
    form_class, form_name = forms.WithdrawForm, "withdraw_form"

    def perform(self, form: Any) -> str:
        services.withdraw_proposal(proposal=self.proposal, by=self.user, reason=form.cleaned_data["reason"])
        return _("The proposal is withdrawn.")


class AskQuestionView(ProposalActionView):
    permission, step = TAKE_PART_IN_DECISIONS, "ask"
    form_class, form_name = forms.QuestionForm, "ask_form"

    def perform(self, form: Any) -> str:
        services.ask_question(proposal=self.proposal, text=form.cleaned_data["text"], by=self.user)
        return _("Your question is asked; the proposer answers it here.")


class AnswerQuestionView(ProposalActionView):
    permission, step = PROPOSE, "answer_question"
    form_class = forms.QuestionAnswerForm

    @cached_property
    def question(self) -> ClarifyingQuestion:
        return get_object_or_404(ClarifyingQuestion, proposal=self.proposal, pk=self.kwargs["question_id"])

    def get_prefix(self) -> str:
        return f"q{self.question.pk}"

    def perform(self, form: Any) -> str:
        services.answer_question(question=self.question, answer=form.cleaned_data["answer"], by=self.user)
        return _("Your answer to the question is saved.")

    def refused_context(self, form: Any) -> dict[str, Any]:
        context: dict[str, Any] = {"answering": (self.question.pk, form)}
        if not self.form_is_shown():
            context["action_errors"] = form_messages(form)
        return context

    def form_is_shown(self) -> bool:
        return self.step in self.steps and self.question.answered_at is None


class AddReactionView(ProposalActionView):
    permission, step = TAKE_PART_IN_DECISIONS, "react"
    form_class, form_name = forms.ReactionForm, "reaction_form"

    def perform(self, form: Any) -> str:
        services.add_reaction(proposal=self.proposal, text=form.cleaned_data["text"], by=self.user)
        return _("Your reaction is added.")


class NewVersionView(ProposalMixin, NetworkActionView):
    """The proposer's new version, on a page of its own: the current text to edit, the objections beside it."""

    permission = PROPOSE
    template_name = "decisions/new_version.html"
    form_class = forms.NewVersionForm

    def get(self, request, *args, **kwargs):
        self.check_proposer()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_proposer()
        return super().post(request, *args, **kwargs)

    def check_proposer(self) -> None:
        if "proposer" not in self.actors:
            raise PermissionDenied(_("Only the proposer can do this."))

    def get_initial(self) -> dict[str, Any]:
        return {"text": list(self.proposal.versions.all())[-1].text, "open_round": True}

    def get_context_data(self, **kwargs):
        last = next(iter(round_views(self.proposal, self.person)), None)
        return super().get_context_data(
            proposal=self.proposal,
            last_round=last if last is not None and last.show_answers else None,
            questions=self.proposal.questions.all(),
            reactions=self.proposal.reactions.all(),
            **kwargs,
        )

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        version = services.new_version(
            proposal=self.proposal,
            text=data["text"],
            change_note=data["change_note"],
            deadline=form.round_deadline(),
            hide_answers_until_close=data["hide_answers_until_close"],
            by=self.user,
        )
        if form.round_deadline() is not None:
            return _("Version %(number)s is written and a new consent round is open on it.") % {
                "number": version.number
            }
        return _("Version %(number)s is written.") % {"number": version.number}

    def get_success_url(self) -> str:
        return _proposal_url(self.proposal)
