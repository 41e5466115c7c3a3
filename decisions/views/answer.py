"""The answer form: a phone, an e-mailed link, one screen."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

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
from ecosystem.views_base import NetworkActionView


class AnswerView(ProposalMixin, NetworkActionView):
    """Answer in the proposal's consent round: the open one, or after it closed, the last one (read only).

    Only the round's electorate (fixed when it opened) answers: anyone else taking part gets 403.
    Without JavaScript the form is a plain POST and redirect; with htmx it swaps in place.
    """

    permission = TAKE_PART_IN_DECISIONS
    template_name = "decisions/answer.html"
    partial_template_name = "decisions/_answer_form.html"
    form_class = forms.AnswerForm

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

    def get_initial(self):
        """The person's current answer, to change until the round closes."""
        answer = self.mine.answer
        return {"kind": answer.kind, "reason": answer.reason} if answer is not None else {}

    def post(self, request, *args, **kwargs):
        self.mine  # noqa: B018 - 403 before anything else for those who do not answer here
        return super().post(request, *args, **kwargs)

    def perform(self, form) -> str:
        answer = services.submit_answer(round=self.round, by=self.user, **form.cleaned_data)
        return _("Your answer is saved: %(answer)s.") % {"answer": answer.get_kind_display()}

    def succeeded(self, message: str) -> HttpResponse:
        """Without JavaScript: redirect with the message. With htmx: the form again, in place, saying so."""
        if not getattr(self.request, "htmx", False):
            return super().succeeded(message)
        self.forget()
        return self.render_to_response(
            self.get_context_data(form=self.get_form_class()(initial=self.get_initial()), saved=message)
        )

    def get_success_url(self) -> str:
        return self.request.path

    def forget(self) -> None:
        """Read the proposal and the round afresh: the answer may just have closed the round."""
        for name in ("proposal", "round", "progress", "mine"):
            self.__dict__.pop(name, None)

    def get_template_names(self) -> list[str]:
        return [self.partial_template_name if getattr(self.request, "htmx", False) else self.template_name]

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        round = self.round
        return super().get_context_data(
            proposal=self.proposal,
            round=round,
            version=round.version,
            progress=self.progress,
            answered=self.progress.voices_answered,
            mine=self.mine,
            accepting=round.is_open and timezone.now() < round.deadline,
            text_is_long=len(round.version.text) > LONG_TEXT,
            choices=_answer_choices(form),
            **{"saved": "", **kwargs, "form": form},
        )


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
