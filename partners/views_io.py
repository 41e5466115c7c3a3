"""Downloads of the partner list and the ledger, and the CSV import of partners."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from ecosystem import exports
from ecosystem.permissions import MANAGE_PARTNERS, VIEW_PARTNERS
from ecosystem.views_base import NetworkActionView, NetworkMixin
from partners import exports as partner_exports
from partners import imports, selectors
from partners.filters import PartnershipFilter
from partners.forms import PeriodForm
from partners.models import Offer, OrganisationType, Reason


def _check_format(fmt: str) -> None:
    if fmt not in exports.WRITERS:
        raise Http404


class PartnersExportView(NetworkMixin, View):
    """The partners the list shows, with the same filters, as a CSV or XLSX file."""

    permission = VIEW_PARTNERS

    def get(self, request, *args, fmt: str, **kwargs) -> HttpResponse:
        _check_format(fmt)
        filterset = PartnershipFilter(request.GET or None, queryset=selectors.partnerships(self.network))
        return exports.file_response(partner_exports.partners_sheet(filterset.qs), fmt, f"{self.network.slug}-partners")


class LedgerExportView(NetworkMixin, View):
    """The ledger's entries of a period (all when none is given) as a CSV or XLSX file."""

    permission = VIEW_PARTNERS

    def get(self, request, *args, fmt: str, **kwargs) -> HttpResponse:
        _check_format(fmt)
        period = PeriodForm(request.GET or None)
        if period.is_bound and not period.is_valid():
            # Never a file of "everything" when a period was asked for and could not be read.
            message = " ".join(str(e) for errors in period.errors.values() for e in errors)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        start = period.cleaned_data.get("start") if period.is_bound else None
        end = period.cleaned_data.get("end") if period.is_bound else None
        entries = selectors.ledger(self.network, start, end)
        return exports.file_response(partner_exports.ledger_sheet(entries), fmt, f"{self.network.slug}-ledger")


class PartnerImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"), widget=forms.FileInput(attrs={"accept": ".csv,text/csv,text/plain"})
    )

    def clean_file(self) -> list[imports.Record]:
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d kB; split it into smaller files.")
                % {"size": imports.MAX_IMPORT_BYTES // 1024}
            )
        return imports.read_csv(upload.read())


class PartnerImportView(NetworkActionView):
    permission = MANAGE_PARTNERS
    template_name = "partners/import.html"
    form_class = PartnerImportForm
    row_errors: list[imports.RowError] = []
    skipped: list[str] = []

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            types=OrganisationType.choices,
            reasons=Reason.choices,
            offers=Offer.choices,
            example=imports.EXAMPLE_CSV,
            max_rows=imports.MAX_IMPORT_ROWS,
            max_kb=imports.MAX_IMPORT_BYTES // 1024,
            **kwargs,
        )

    def perform(self, form) -> str:
        result = imports.import_partners(network=self.network, records=form.cleaned_data["file"], by=self.user)
        self.skipped = result.skipped
        count, skipped = len(result.imported), len(result.skipped)
        imported = ngettext("%(count)d partner imported", "%(count)d partners imported", count) % {"count": count}
        already = ngettext("%(count)d already a partner", "%(count)d already partners", skipped) % {"count": skipped}
        return _("%(imported)s, %(skipped)s.") % {"imported": imported, "skipped": already}

    def form_valid(self, form):
        try:
            response = super().form_valid(form)
        except imports.ImportRefused as refused:  # every bad line, reported in a table; nothing written
            self.row_errors = refused.errors
            return self.form_invalid(form)
        if self.skipped:
            names = ", ".join(self.skipped)
            messages.info(self.request, _("Already partners, skipped: %(names)s") % {"names": names})
        return response

    def refused_context(self, form) -> dict:
        return {**super().refused_context(form), "row_errors": self.row_errors}

    def get_success_url(self) -> str:
        return reverse("partner_list", args=[self.network.slug])
