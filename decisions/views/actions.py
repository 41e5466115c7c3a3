"""Actions on a proposal: one POST each, one service each; and the proposer's new version."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from decisions import forms, services
from decisions.models import (
    ClarifyingQuestion,
)
from decisions.views.common import ProposalMixin, _proposal_url
from decisions.views.proposals import ProposalDetailView, round_views
from ecosystem.permissions import (
    PROPOSE,
    TAKE_PART_IN_DECISIONS,
)
from ecosystem.views_base import add_service_error, form_messages

# --- Actions on a proposal: one POST each, one service each -----------------------------------------


class ProposalActionView(ProposalDetailView):
    """A POST that calls one service; on a refusal the proposal page comes back with the form's errors.

    ``actor`` says who may act besides holding ``permission``: "proposer", "steer" (the proposer or a
    coordinator) or "anyone"; the services check the same, this answers a clear 403 before any form.
    """

    http_method_names = ["post"]
    actor = "anyone"
    form_class: type[django_forms.Form] = django_forms.Form
    form_name = ""  # the context name the page renders the form under
    shown_when = ""  # the lifecycle step under which the page shows that form
    redirect_on_error = False  # a button without fields: the refusal comes back as a message

    def check_actor(self) -> None:
        if (self.actor == "proposer" and not self.is_proposer) or (self.actor == "steer" and not self.steers):
            raise PermissionDenied

    def get_form(self) -> django_forms.Form:
        return self.form_class(self.request.POST)

    def perform(self, form) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.check_actor()
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.perform(form)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(self.success_url())
        if self.redirect_on_error:
            for message in form_messages(form):
                messages.error(request, message)
            return HttpResponseRedirect(_proposal_url(self.proposal))
        context = self.get_context_data(**self.error_context(form))
        if not self.form_is_shown(context, form):
            # The page no longer offers this form (the proposal moved on): say why at the top.
            context["action_errors"] = form_messages(form)
        return self.render_to_response(context)

    def error_context(self, form) -> dict[str, Any]:
        return {self.form_name: form}

    def form_is_shown(self, context: dict[str, Any], form) -> bool:
        return self.shown_when in self.steps

    def success_url(self) -> str:
        return _proposal_url(self.proposal)


class StartQuestionsView(ProposalActionView):
    permission = PROPOSE
    actor = "steer"
    redirect_on_error = True

    def perform(self, form) -> str:
        services.start_questions(proposal=self.proposal, by=self.user)
        return _("The proposal is open for clarifying questions.")


class StartReactionsView(ProposalActionView):
    permission = PROPOSE
    actor = "steer"
    redirect_on_error = True

    def perform(self, form) -> str:
        services.start_reactions(proposal=self.proposal, by=self.user)
        return _("The proposal is open for reactions.")


class OpenRoundView(ProposalActionView):
    permission = PROPOSE
    actor = "steer"
    form_class = forms.OpenRoundForm
    form_name = "round_form"
    shown_when = "open_round"

    def perform(self, form) -> str:
        services.open_consent_round(proposal=self.proposal, by=self.user, **form.cleaned_data)
        return _("The consent round is open; everyone who decides has been sent the link to answer.")


class WithdrawView(ProposalActionView):
    permission = PROPOSE
    actor = "proposer"
    form_class = forms.WithdrawForm
    form_name = "withdraw_form"
    shown_when = "withdraw"

    def perform(self, form) -> str:
        services.withdraw_proposal(proposal=self.proposal, by=self.user, reason=form.cleaned_data["reason"])
        return _("The proposal is withdrawn.")


class AskQuestionView(ProposalActionView):
    permission = TAKE_PART_IN_DECISIONS
    form_class = forms.QuestionForm
    form_name = "ask_form"
    shown_when = "ask"

    def perform(self, form) -> str:
        services.ask_question(proposal=self.proposal, text=form.cleaned_data["text"], by=self.user)
        return _("Your question is asked; the proposer answers it here.")


class AnswerQuestionView(ProposalActionView):
    permission = PROPOSE
    actor = "proposer"
    form_class = forms.QuestionAnswerForm

    @cached_property
    def question(self) -> ClarifyingQuestion:
        return get_object_or_404(ClarifyingQuestion, proposal=self.proposal, pk=self.kwargs["question_id"])

    def get_form(self) -> django_forms.Form:
        return self.form_class(self.request.POST, prefix=f"q{self.question.pk}")

    def perform(self, form) -> str:
        services.answer_question(question=self.question, answer=form.cleaned_data["answer"], by=self.user)
        return _("Your answer to the question is saved.")

    def error_context(self, form) -> dict[str, Any]:
        return {"answering": (self.question.pk, form)}

    def form_is_shown(self, context: dict[str, Any], form) -> bool:
        return any(shown is form for _question, shown in context["questions"])


class AddReactionView(ProposalActionView):
    permission = TAKE_PART_IN_DECISIONS
    form_class = forms.ReactionForm
    form_name = "reaction_form"
    shown_when = "react"

    def perform(self, form) -> str:
        services.add_reaction(proposal=self.proposal, text=form.cleaned_data["text"], by=self.user)
        return _("Your reaction is added.")


class NewVersionView(ProposalMixin, FormView):
    """The proposer's new version, on a page of its own: the current text to edit, the objections beside it."""

    permission = PROPOSE
    template_name = "decisions/new_version.html"
    form_class = forms.NewVersionForm

    def get(self, request, *args, **kwargs):
        self._check_proposer()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_proposer()
        return super().post(request, *args, **kwargs)

    def _check_proposer(self) -> None:
        if not self.is_proposer:
            raise PermissionDenied(_("Only the proposer can do this."))

    def get_initial(self):
        return {"text": list(self.proposal.versions.all())[-1].text, "open_round": True}

    def get_context_data(self, **kwargs):
        rounds = round_views(self.proposal, self.person)
        last = rounds[0] if rounds else None
        return super().get_context_data(
            proposal=self.proposal,
            last_round=last if last is not None and last.show_answers else None,
            questions=self.proposal.questions.all(),
            reactions=self.proposal.reactions.all(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            version = services.new_version(
                proposal=self.proposal,
                text=data["text"],
                change_note=data["change_note"],
                deadline=form.round_deadline(),
                hide_answers_until_close=data["hide_answers_until_close"],
                by=self.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if form.round_deadline() is not None:
            message = _("Version %(number)s is written and a new consent round is open on it.")
        else:
            message = _("Version %(number)s is written.")
        messages.success(self.request, message % {"number": version.number})
        return HttpResponseRedirect(_proposal_url(self.proposal))
