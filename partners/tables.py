from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partners.models import Partnership


class PartnershipTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Partner"),
        accessor="organisation__name",
        order_by=("sort_name",),
        empty_values=(),
    )
    type = tables.Column(verbose_name=_("Type"), accessor="organisation__type", empty_values=())
    tier = tables.Column(verbose_name=_("Tier"))
    status = tables.Column(verbose_name=_("Status"))
    status_since = tables.DateColumn(verbose_name=_("Since"), format="j F Y")

    class Meta:
        model = Partnership
        fields = ("name", "type", "tier", "status", "status_since")
        attrs = {"class": "table table-hover align-middle"}
        order_by = ("-tier", "name")

    def __init__(self, *args, network_slug: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.network_slug = network_slug

    def render_name(self, record: Partnership):
        url = reverse("partner_detail", args=[self.network_slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, record.name)

    def render_type(self, record: Partnership):
        return record.organisation.get_type_display() if record.organisation else _("person")

    def render_tier(self, record: Partnership):
        css = "text-bg-success" if record.tier == "core" else "text-bg-secondary"
        return format_html('<span class="badge {}">{}</span>', css, record.get_tier_display())
