"""The decision register: every decision with its versions and rounds, filtered, and as CSV."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from decisions import forms, selectors
from decisions.models import (
    AnswerKind,
    Proposal,
    ProposalState,
)
from decisions.views.common import REGISTER_PAGE_SIZE
from ecosystem import exports
from ecosystem.permissions import (
    VIEW_ACCOUNTABILITY,
    VIEW_PROPOSALS,
)
from ecosystem.views_base import NetworkMixin, form_messages

# --- The decision register ----------------------------------------------------------------------------


class RegisterMixin(NetworkMixin):
    """Every decision, filtered. Funders (no right to read proposals) see the adopted ones, without names:
    counts, dates and review dates, not who answered what (the outcome statement names objections and
    concerns, so it is left out for them too)."""

    permission = VIEW_ACCOUNTABILITY

    @cached_property
    def with_names(self) -> bool:
        return self.can(VIEW_PROPOSALS)

    @cached_property
    def filter_form(self) -> forms.RegisterFilterForm:
        return forms.RegisterFilterForm(self.request.GET or None, with_state=self.with_names)

    def decisions(self) -> QuerySet[Proposal]:
        """The register with the filters applied; an invalid filter applies none (the form says why)."""
        form = self.filter_form
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if not self.with_names:
            states: list[str] | None = [ProposalState.ADOPTED]
        else:
            states = [data["state"]] if data.get("state") else None
        return selectors.decision_register(
            self.network, states=states, kind=data.get("kind", ""), year=data.get("year"), q=data.get("q", "")
        )


class DecisionRegisterView(RegisterMixin, TemplateView):
    template_name = "decisions/register.html"

    def get_context_data(self, **kwargs):
        page = Paginator(self.decisions(), REGISTER_PAGE_SIZE).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form,
            page=page,
            entries=[selectors.register_entry(p, today) for p in page.object_list],
            with_names=self.with_names,
            query=query.urlencode(),
            **kwargs,
        )


class DecisionRegisterCsvView(RegisterMixin, View):
    """The register with the same filters, as CSV (UTF-8 with BOM, guarded against formula injection)."""

    def get(self, request, *args, **kwargs) -> HttpResponse:
        form = self.filter_form
        if form.is_bound and not form.is_valid():
            # Never a file of "everything" when a filter was asked for and could not be read.
            return HttpResponseBadRequest(" ".join(form_messages(form)), content_type="text/plain; charset=utf-8")
        sheet = _register_sheet(self.decisions(), with_names=self.with_names)
        return exports.file_response(sheet, "csv", f"{self.network.slug}-decisions")


def _register_sheet(decisions: QuerySet[Proposal], *, with_names: bool) -> exports.Sheet:
    today = timezone.localdate()
    header = [
        _("Number"),
        _("Title"),
        _("Kind"),
        _("Outcome"),
        _("Decided on"),
        _("Review date"),
        _("Due for review"),
        _("Versions"),
        _("Rounds"),
        _("Answered"),
        _("Electorate"),
        _("Consent"),
        _("Consent with a concern"),
        _("Objection"),
        _("Stand aside"),
    ]
    if with_names:  # the outcome statement names objectors and concerns
        header += [_("Outcome statement"), _("Proposer"), _("Answers")]
    rows = []
    for proposal in decisions:
        entry = selectors.register_entry(proposal, today)
        last = entry.rounds[-1] if entry.rounds else None
        counts = last.counts if last else dict.fromkeys(AnswerKind.values, None)
        row: list[exports.Cell] = [
            proposal.pk,
            proposal.title,
            proposal.get_kind_display(),
            proposal.get_state_display(),
            timezone.localtime(proposal.decided_at).date() if proposal.decided_at else None,
            proposal.review_date,
            _("yes") if entry.due_for_review else "",
            entry.versions,
            len(entry.rounds),
            last.answered if last else None,
            last.round.electorate_size if last else None,
            counts[AnswerKind.CONSENT],
            counts[AnswerKind.CONCERN],
            counts[AnswerKind.OBJECTION],
            counts[AnswerKind.STAND_ASIDE],
        ]
        if with_names:
            answers = "; ".join(
                f"{a.person.full_name}: {a.get_kind_display()}" + (f" ({a.reason})" if a.reason else "")
                for a in (last.answers if last else [])
            )
            row += [proposal.outcome, proposal.proposer.full_name, answers]
        rows.append(row)
    return exports.Sheet(title=_("Decisions"), header=[str(h) for h in header], rows=rows)
