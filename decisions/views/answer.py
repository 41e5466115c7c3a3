"""The answer form: a phone, an e-mailed link, one screen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from decisions import forms, selectors, services
from decisions.models import (
    AnswerKind,
    ConsentRound,
)
from decisions.selectors import ElectorRow, RoundProgress
from decisions.views.common import LONG_TEXT, ProposalMixin
from ecosystem.permissions import (
    TAKE_PART_IN_DECISIONS,
)
from ecosystem.views_base import add_service_error

# --- The answer form: a phone, an e-mailed link, one screen ------------------------------------------


class AnswerView(ProposalMixin, TemplateView):
    """Answer in the proposal's consent round: the open one, or after it closed, the last one (read only).

    Only the round's electorate (fixed when it opened) answers: anyone else taking part gets 403.
    Without JavaScript the form is a plain POST and redirect; with htmx it swaps in place.
    """

    permission = TAKE_PART_IN_DECISIONS
    template_name = "decisions/answer.html"
    partial_template_name = "decisions/_answer_form.html"

    @cached_property
    def round(self) -> ConsentRound:
        rounds = list(self.proposal.rounds.all())
        if not rounds:
            raise Http404
        return next((r for r in rounds if r.is_open), rounds[-1])

    @cached_property
    def progress(self) -> RoundProgress:
        return selectors.round_progress(self.round)

    @cached_property
    def mine(self) -> ElectorRow:
        person = self.person
        row = next((row for row in self.progress.rows if person is not None and row.person.pk == person.pk), None)
        if row is None:
            raise PermissionDenied(_("You are not among those who answer in this round."))
        return row

    def get(self, request, *args, **kwargs):
        return self.render(self.blank_form())

    def post(self, request, *args, **kwargs):
        form = forms.AnswerForm(request.POST)
        self.mine  # noqa: B018 - 403 before anything else for those who do not answer here
        if form.is_valid():
            try:
                data = form.cleaned_data
                answer = services.submit_answer(
                    round=self.round, kind=data["kind"], reason=data["reason"], by=self.user
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                saved = _("Your answer is saved: %(answer)s.") % {"answer": answer.get_kind_display()}
                if not getattr(request, "htmx", False):
                    messages.success(request, saved)
                    return HttpResponseRedirect(request.path)
                self.forget()
                return self.render(self.blank_form(), saved=saved)
        return self.render(form)

    def forget(self) -> None:
        """Read the proposal and the round afresh: the answer may just have closed the round."""
        for name in ("proposal", "round", "progress", "mine"):
            self.__dict__.pop(name, None)

    def blank_form(self) -> forms.AnswerForm:
        answer = self.mine.answer
        initial = {"kind": answer.kind, "reason": answer.reason} if answer is not None else {}
        return forms.AnswerForm(initial=initial)

    def render(self, form, saved: str = "") -> HttpResponse:
        round, now = self.round, timezone.now()
        context = {
            "proposal": self.proposal,
            "round": round,
            "version": round.version,
            "progress": self.progress,
            "answered": self.progress.voices_answered,
            "mine": self.mine,
            "form": form,
            "saved": saved,
            "accepting": round.is_open and now < round.deadline,
            "text_is_long": len(round.version.text) > LONG_TEXT,
            "choices": _answer_choices(form),
        }
        if getattr(self.request, "htmx", False):
            return self.response_class(request=self.request, template=[self.partial_template_name], context=context)
        return self.render_to_response(self.get_context_data(**context))


def _answer_choices(form: forms.AnswerForm) -> list[dict[str, Any]]:
    """The four answers as large choices, each with a line that says what it means."""
    hints: dict[str, str] = {
        AnswerKind.CONSENT: _("Good enough for now, safe enough to try."),
        AnswerKind.CONCERN: _("I consent; my concern is recorded for the review and does not block."),
        AnswerKind.OBJECTION: _("Not safe enough to try: say why, so that the proposal can integrate it."),
        AnswerKind.STAND_ASIDE: _("I do not take part in this decision and do not block it."),
    }
    chosen = str(form["kind"].value() or "")
    return [
        {"value": value, "label": label, "hint": hints[value], "checked": value == chosen}
        for value, label in AnswerKind.choices
    ]
