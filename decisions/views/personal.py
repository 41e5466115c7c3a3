"""A person's own settings for decisions: how e-mail about proposals reaches them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions import services
from decisions.models import Delivery, NotificationPreference


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=gettext_lazy("E-mail about proposals and consent rounds"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "A daily digest gathers the day's messages, reminders included, in one e-mail each morning."
        ),
    )


@login_required
def notification_settings(request):
    person = getattr(request.user, "person", None)
    if person is None:
        return render(request, "decisions/notifications_settings.html", {"form": None}, status=200)
    current = NotificationPreference.objects.filter(person=person).values_list("delivery", flat=True).first()
    form = DeliveryForm(request.POST or None, initial={"delivery": current or Delivery.IMMEDIATE})
    if request.method == "POST" and form.is_valid():
        services.set_notification_preference(person=person, delivery=form.cleaned_data["delivery"], by=request.user)
        messages.success(request, _("Your e-mail setting is saved."))
        return redirect("notification_settings")
    return render(request, "decisions/notifications_settings.html", {"form": form})
