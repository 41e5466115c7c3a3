from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import OrganisationType, Partnership, Reason, Status, Tier


class PartnershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=Tier.choices, empty_label=_("all tiers"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("all statuses"))
    type = django_filters.ChoiceFilter(
        label=_("Type"), field_name="organisation__type", choices=OrganisationType.choices, empty_label=_("all types")
    )
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=Reason.choices, method="with_reason", empty_label=_("all reasons")
    )

    class Meta:
        model = Partnership
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(person__full_name__icontains=value)
            | Q(organisation__municipality__icontains=value)
        )

    def with_reason(self, queryset, name, value):
        # JSON "contains" is not on SQLite; the serialized list holds the quoted value exactly once.
        return queryset.filter(reasons__icontains=f'"{value}"')
