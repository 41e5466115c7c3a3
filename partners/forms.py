"""Forms for partners and the ledger. Validation of rules lives in the services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.fields import CodeField, CodeListField, IsoDateField, OneLineField, WebsiteField
from ecosystem.forms import DateInput
from ecosystem.models import Person
from partners.models import ContributionKind, Offer, OrganisationType, Reason, Status, Tier


class PartnerProfileFields(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("Why they joined"), choices=Reason.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    reasons_note = forms.CharField(label=_("More about why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    offers = forms.MultipleChoiceField(
        label=_("What they bring"), choices=Offer.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    offers_note = forms.CharField(
        label=_("More about what they bring"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RegisterPartnerForm(PartnerProfileFields):
    """An organisation by name, or a person of the network taking part in their own right."""

    name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to register a person below as an individual partner."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices, initial=OrganisationType.OTHER)
    municipality = forms.CharField(label=_("Municipality"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    person = forms.ModelChoiceField(
        label=_("Or an individual partner"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("A person of this network who takes part in their own right, not for an organisation."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Status.PROSPECTIVE, Status.PROSPECTIVE.label), (Status.ACTIVE, Status.ACTIVE.label)],
        initial=Status.ACTIVE,
        help_text=_("A new partner starts as a broad partner; the coalition admits core partners by consent."),
    )
    since = forms.DateField(label=_("Since"), initial=timezone.localdate, widget=DateInput())

    field_order = ["name", "type", "municipality", "website", "person", "status", "since"]

    def __init__(self, *args, may_activate: bool = True, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        if persons is not None:
            cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons
        if not may_activate:
            status = cast(forms.ChoiceField, self.fields["status"])
            status.choices = [(Status.PROSPECTIVE, Status.PROSPECTIVE.label)]
            status.initial = Status.PROSPECTIVE

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if bool(data.get("name")) == bool(data.get("person")):
            raise forms.ValidationError(_("Give either an organisation's name or an individual partner, not both."))
        return data


class AffiliateForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    function = forms.CharField(label=_("Function"), max_length=150, required=False)

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        if persons is not None:
            cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons


class BulkRegisterForm(forms.Form):
    names = forms.CharField(
        label=_("Organisations, one per line"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Each becomes an active broad partner. Names already in the network are skipped."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices, initial=OrganisationType.OTHER)
    since = forms.DateField(label=_("Since"), initial=timezone.localdate, widget=DateInput())

    def clean_names(self) -> list[str]:
        names = [" ".join(line.split()) for line in self.cleaned_data["names"].splitlines()]
        names = list(dict.fromkeys(n for n in names if n))
        if not names:
            raise forms.ValidationError(_("Write at least one name."))
        if len(names) > 200:
            raise forms.ValidationError(_("At most 200 names at a time."))
        too_long = [n for n in names if len(n) > 200]
        if too_long:
            raise forms.ValidationError(
                _("A name is longer than 200 characters: %(name)s") % {"name": too_long[0][:40]}
            )
        return names


class EditPartnershipForm(PartnerProfileFields):
    representative = forms.ModelChoiceField(label=_("Representative"), queryset=Person.objects.none(), required=False)
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("representative", "deputy"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = persons

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("representative") and data.get("representative") == data.get("deputy"):
            self.add_error("deputy", _("The deputy is someone other than the representative."))
        return data


class ChangeStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = forms.DateField(label=_("On"), initial=timezone.localdate, widget=DateInput())
    reason = forms.CharField(label=_("Why"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        # Shares the detail page with the contribution form: each "on" field needs its own id.
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        help_text=_("Hours, euro, room half-days or items, by kind."),
    )
    value_eur = forms.DecimalField(
        label=_("Value in euro"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("What it is worth, for the co-financing. Money counts at its amount."),
    )
    on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    for_experiment = forms.CharField(label=_("For experiment"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "contribution_%s")
        super().__init__(*args, **kwargs)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Why is this entry wrong?"), max_length=250)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("Partners on"), widget=DateInput())


# --- A line of the CSV import ---------------------------------------------------------------------


# The key under which a line's cells carry a value found in a column the header row leaves unnamed.
UNNAMED_COLUMN = "__extra__"


class PartnerLineForm(forms.Form):
    """One line of an import file, its cells by column (trimmed): a new broad partner, or why not.

    Give ``today`` so every line of one file is checked against the same day.
    """

    name = OneLineField(
        max_length=200,
        error_messages={
            "required": _("The name is missing."),
            "max_length": _("The name is longer than 200 characters."),
        },
    )
    type = CodeField(
        choices=OrganisationType.choices,
        empty_value=OrganisationType.OTHER,
        error_messages={"invalid_choice": _("Unknown organisation type “%(value)s”.")},
    )
    municipality = forms.CharField(
        max_length=100,
        required=False,
        error_messages={"max_length": _("The municipality is longer than 100 characters.")},
    )
    website = WebsiteField(
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("The website “%(value)s” is not a web address.")},
    )
    status = CodeField(
        choices=Status.choices,
        empty_value=Status.ACTIVE,
        error_messages={"invalid_choice": _("Unknown status “%(value)s”; use prospective or active.")},
    )
    tier = CodeField(
        choices=Tier.choices,
        empty_value=Tier.BROAD,
        error_messages={"invalid_choice": _("Unknown tier “%(value)s”; an imported partner is broad.")},
    )
    since = IsoDateField(required=False)
    reasons = CodeListField(choices=Reason.choices, error_messages={"invalid_choice": _("Unknown reason: %(codes)s.")})
    reasons_note = forms.CharField(required=False)
    offers = CodeListField(
        choices=Offer.choices, error_messages={"invalid_choice": _("Unknown contribution offered: %(codes)s.")}
    )
    offers_note = forms.CharField(required=False)

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if status not in (Status.PROSPECTIVE, Status.ACTIVE):
            raise ValidationError(_("A new partner is either prospective or active."))
        return status

    def clean_tier(self) -> str:
        if self.cleaned_data["tier"] == Tier.CORE:
            raise ValidationError(
                _("A partner becomes a core partner only by a consent decision; import it as broad and propose it.")
            )
        return self.cleaned_data["tier"]

    def clean_since(self) -> datetime.date:
        since = self.cleaned_data["since"] or self.today
        if since > self.today:
            raise ValidationError(_("The date cannot be in the future."))
        return since

    def clean(self) -> dict[str, Any]:
        if self.data.get(UNNAMED_COLUMN, "").strip():
            raise ValidationError(_("This line has a value in a column without a name in the header row."))
        return self.cleaned_data

    def problems(self) -> list[str]:
        """Every reason the line is refused, as the person reads them: the line's own first, then by column."""
        by_column = [
            message for column, messages in self.errors.items() if column != NON_FIELD_ERRORS for message in messages
        ]
        return [*self.non_field_errors(), *by_column]
