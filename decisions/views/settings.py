"""How a network decides: quorum, one voice per organisation, the review period. Coordinators set it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions import selectors, services
from ecosystem.permissions import MANAGE_PROPOSALS
from ecosystem.views_base import NetworkActionView


class DecisionSettingsForm(forms.Form):
    quorum_percent = forms.IntegerField(
        label=gettext_lazy("Quorum (%)"),
        min_value=1,
        max_value=100,
        help_text=gettext_lazy("The share of the electorate that must answer for a round to count."),
    )
    one_voice_per_organisation = forms.BooleanField(
        label=gettext_lazy("One voice per organisation"),
        required=False,
        help_text=gettext_lazy(
            "A partner organisation's representative answers for it; its deputy only in the representative's "
            "place. Set them on the partner's page. Applies to rounds opened from now on."
        ),
    )
    review_after_days = forms.IntegerField(
        label=gettext_lazy("Review an adopted decision after (days)"), min_value=1, max_value=3650
    )


class DecisionSettingsView(NetworkActionView):
    permission = MANAGE_PROPOSALS
    template_name = "decisions/settings.html"
    form_class = DecisionSettingsForm

    def get_initial(self) -> dict[str, Any]:
        current = selectors.decision_settings_for(self.network)
        return {
            "quorum_percent": int(current.quorum_fraction * 100),
            "one_voice_per_organisation": current.one_voice_per_organisation,
            "review_after_days": current.review_after_days,
        }

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.update_decision_settings(
            network=self.network,
            by=self.user,
            quorum_fraction=Decimal(data["quorum_percent"]) / 100,
            one_voice_per_organisation=data["one_voice_per_organisation"],
            review_after_days=data["review_after_days"],
        )
        return _("How the network decides is saved. Open rounds keep their quorum.")

    def get_success_url(self) -> str:
        return reverse("decision_settings", args=[self.network.slug])
