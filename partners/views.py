"""Pages for partners and the ledger. Each names the right it needs; the services do the work."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from ecosystem.permissions import MANAGE_PARTNERS, REGISTER_PROSPECTS, VIEW_ACCOUNTABILITY, VIEW_PARTNERS
from ecosystem.selectors import members_of
from ecosystem.views_base import NetworkActionView, NetworkMixin
from partners import selectors, services
from partners.charts import growth_chart
from partners.filters import PartnershipFilter
from partners.forms import (
    AffiliateForm,
    BulkRegisterForm,
    ChangeStatusForm,
    ContributionForm,
    CorrectionForm,
    EditPartnershipForm,
    OnDateForm,
    PeriodForm,
    RegisterPartnerForm,
)
from partners.models import STATUS_FLOW, Contribution, Organisation, OrganisationType, Partnership, Reason, Status
from partners.tables import PartnershipTable


class PartnerListView(NetworkMixin, TemplateView):
    permission = VIEW_PARTNERS
    template_name = "partners/partner_list.html"

    def get_context_data(self, **kwargs):
        filterset = PartnershipFilter(self.request.GET or None, queryset=selectors.partnerships(self.network))
        table = PartnershipTable(filterset.qs, network_slug=self.network.slug)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return super().get_context_data(
            filter=filterset,
            table=table,
            chart=growth_chart(selectors.growth_by_month(self.network)),
            **kwargs,
        )


class PartnersOnDateView(NetworkMixin, TemplateView):
    permission = VIEW_PARTNERS
    template_name = "partners/partners_on_date.html"

    def get_context_data(self, **kwargs):
        form = OnDateForm(self.request.GET or {"on": timezone.localdate()})
        rows = selectors.partners_on(self.network, form.cleaned_data["on"]) if form.is_valid() else []
        return super().get_context_data(form=form, rows=rows, **kwargs)


class PartnerOverviewView(NetworkMixin, TemplateView):
    """The aggregated view: counts and totals, no persons. What a funder reads."""

    permission = VIEW_ACCOUNTABILITY
    template_name = "partners/overview.html"

    def get_context_data(self, **kwargs):
        counts = selectors.tier_status_counts(self.network)
        reasons = selectors.reason_counts(self.network)
        return super().get_context_data(
            counts=[
                (tier_label, [counts.get(tier, {}).get(status, 0) for status in Status.values])
                for tier, tier_label in (("core", _("core partner")), ("broad", _("broad partner")))
            ],
            statuses=Status.labels,
            types=[
                (OrganisationType(t).label if t in OrganisationType.values else _("person"), n)
                for t, n in selectors.type_counts(self.network)
            ],
            reasons=[(label, reasons.get(value, 0)) for value, label in Reason.choices],
            chart=growth_chart(selectors.growth_by_month(self.network)),
            totals=selectors.ledger_totals(self.network),
            **kwargs,
        )


class RegisterPartnerView(NetworkActionView):
    permission = REGISTER_PROSPECTS
    template_name = "partners/register.html"
    form_class = RegisterPartnerForm

    def get_form_kwargs(self):
        persons = members_of(self.network)
        return {**super().get_form_kwargs(), "may_activate": self.can(MANAGE_PARTNERS), "persons": persons}

    def perform(self, form) -> str:
        self.partnership = services.register_partner_by_name(network=self.network, by=self.user, **form.cleaned_data)
        return _("%(partner)s is registered as a partner.") % {"partner": self.partnership.name}

    def get_success_url(self) -> str:
        return reverse("partner_detail", args=[self.network.slug, self.partnership.pk])


class BulkRegisterView(NetworkActionView):
    """Many broad partners at once: the seeds' "+25 partners" in one paste."""

    permission = MANAGE_PARTNERS
    template_name = "partners/bulk.html"
    form_class = BulkRegisterForm

    skipped: list[str] = []

    def perform(self, form) -> str:
        added, self.skipped = services.register_organisations(network=self.network, by=self.user, **form.cleaned_data)
        return _("%(count)d partners added.") % {"count": len(added)}

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.skipped:  # after the count, as a second message
            names = ", ".join(self.skipped)
            messages.info(self.request, _("Already partners, skipped: %(names)s") % {"names": names})
        return response

    def get_success_url(self) -> str:
        return reverse("partner_list", args=[self.network.slug])


class PartnershipMixin(NetworkMixin):
    """Looks the partnership up inside the network: another network's id is simply not found."""

    @cached_property
    def partnership(self) -> Partnership:
        try:
            return selectors.partnership_detail(self.network, self.kwargs["partnership_id"])
        except Partnership.DoesNotExist:
            raise Http404 from None


class PartnerDetailView(PartnershipMixin, TemplateView):
    permission = VIEW_PARTNERS
    template_name = "partners/partner_detail.html"

    def get_context_data(self, **kwargs):
        partnership = self.partnership
        context = {"partnership": partnership, "persons": selectors.persons_of(partnership)}
        if MANAGE_PARTNERS in self.rights:
            allowed = STATUS_FLOW[partnership.status]
            status_form = kwargs.pop("status_form", None) or ChangeStatusForm()
            to_status = cast(forms.ChoiceField, status_form.fields["to_status"])
            to_status.choices = [(s, Status(s).label) for s in Status.values if s in allowed]
            context.update(
                status_form=status_form,
                contribution_form=kwargs.pop("contribution_form", None) or ContributionForm(),
                affiliate_form=kwargs.pop("affiliate_form", None) or AffiliateForm(persons=members_of(self.network)),
            )
        return super().get_context_data(**context, **kwargs)


class PartnershipAction(PartnershipMixin, NetworkActionView):
    """A coordinator's change to one partnership; back to its page afterwards."""

    permission = MANAGE_PARTNERS

    def get_success_url(self) -> str:
        return reverse("partner_detail", args=[self.network.slug, self.partnership.pk])


class EditPartnershipView(PartnershipAction):
    template_name = "partners/edit.html"
    form_class = EditPartnershipForm

    def get_form_kwargs(self):
        fields = ("reasons", "reasons_note", "offers", "offers_note", "representative", "deputy")
        initial = {field: getattr(self.partnership, field) for field in fields}
        return {**super().get_form_kwargs(), "persons": members_of(self.network), "initial": initial}

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, **kwargs)

    def perform(self, form) -> str:
        services.update_partnership(partnership=self.partnership, by=self.user, **form.cleaned_data)
        return _("Saved.")


class AffiliateView(PartnershipAction, PartnerDetailView):
    """Link a person of the network to this partner organisation, with their function."""

    http_method_names = ["post"]
    form_class = AffiliateForm
    form_name = "affiliate_form"

    def get_form_kwargs(self):
        if self.partnership.organisation is None:
            raise Http404  # a person taking part in their own right has no one affiliated
        return {**super().get_form_kwargs(), "persons": members_of(self.network)}

    def perform(self, form) -> str:
        data = form.cleaned_data
        organisation = cast(Organisation, self.partnership.organisation)  # get_form_kwargs made sure
        services.affiliate(network=self.network, organisation=organisation, by=self.user, **data)
        return _("%(person)s is linked to %(partner)s.") % {"person": data["person"], "partner": self.partnership.name}


class ChangeStatusView(PartnershipAction, PartnerDetailView):
    http_method_names = ["post"]
    form_class = ChangeStatusForm
    form_name = "status_form"

    def perform(self, form) -> str:
        services.change_status(partnership=self.partnership, by=self.user, **form.cleaned_data)
        return _("The status of %(partner)s is changed.") % {"partner": self.partnership.name}


class RecordContributionView(PartnershipAction, PartnerDetailView):
    http_method_names = ["post"]
    form_class = ContributionForm
    form_name = "contribution_form"

    def perform(self, form) -> str:
        services.record_contribution(partnership=self.partnership, by=self.user, **form.cleaned_data)
        return _("The contribution is in the ledger.")


class LedgerView(NetworkMixin, TemplateView):
    permission = VIEW_PARTNERS
    template_name = "partners/ledger.html"

    def get_context_data(self, **kwargs):
        period = PeriodForm(self.request.GET or None)
        if period.is_bound and not period.is_valid():
            # The page says what is wrong with the period and shows no entries rather than all of them.
            return super().get_context_data(period=period, **kwargs)
        start, end = (period.cleaned_data["start"], period.cleaned_data["end"]) if period.is_bound else (None, None)
        entries = Paginator(selectors.ledger(self.network, start, end), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            period=period,
            entries=entries,
            totals=selectors.ledger_totals(self.network, start, end),
            **kwargs,
        )


class CorrectContributionView(NetworkActionView):
    permission = MANAGE_PARTNERS
    http_method_names = ["post"]
    form_class = CorrectionForm
    rerender = False  # a button in the ledger: a refusal comes back as a message

    def perform(self, form) -> str:
        entries = Contribution.objects.select_related("partnership__network").filter(partnership__network=self.network)
        entry = get_object_or_404(entries, pk=self.kwargs["contribution_id"])
        services.correct_contribution(entry=entry, by=self.user, reason=form.cleaned_data["reason"])
        return _("The entry is corrected by a counter-entry.")

    def get_success_url(self) -> str:
        return reverse("ledger", args=[self.network.slug])
