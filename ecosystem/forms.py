"""Forms of the core, and the Bootstrap rendering every form in the project shares."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import password_validation
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Network, Person, Role, User
from ecosystem.services import PROFILE_FIELDS


class BootstrapFormRenderer(TemplatesSetting):
    """Render ``{{ form }}`` with Bootstrap 5 markup; widget classes and ARIA come from ``ui.bs_widget``."""

    form_template_name = "forms/bootstrap_form.html"
    field_template_name = "forms/bootstrap_field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NetworkProfileForm(forms.ModelForm):
    principles = forms.CharField(
        label=_("Simple principles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One principle per line, in order. New ideas and partners are tested against them."),
    )

    class Meta:
        model = Network
        fields = list(PROFILE_FIELDS)  # the profile the service may change: one list of it
        widgets = {
            "target_group": forms.Textarea(attrs={"rows": 2}),
            "mission": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 3}),
        }

    def principle_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["principles"].splitlines() if line.strip()]


class AddPersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    affiliation = forms.CharField(
        label=_("Affiliation"), max_length=200, required=False, help_text=_("Where this person works, if anywhere.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    start_date = forms.DateField(label=_("Since"), initial=timezone.localdate, widget=DateInput())
    send_invitation = forms.BooleanField(label=_("Send an invitation to log in"), required=False, initial=True)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("send_invitation") and not data.get("email"):
            self.add_error("email", _("An invitation needs an e-mail address."))
        return data


class GiveRoleForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    start_date = forms.DateField(label=_("Since"), initial=timezone.localdate, widget=DateInput())

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        if persons is not None:
            cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons


class EndRoleForm(forms.Form):
    end_date = forms.DateField(label=_("Ended on"), initial=timezone.localdate, widget=DateInput())


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        super().clean()
        data = self.cleaned_data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                # An unsaved user stands in for the one to be created, so the similarity validator
                # can compare the e-mail address (it needs the model's field names).
                password_validation.validate_password(p1, user=User(email=self.email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
