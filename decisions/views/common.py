"""What every page of consent decisions shares: the proposal looked up inside the network, its URL."""

from __future__ import annotations

from typing import cast

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property

from decisions import selectors
from decisions.models import (
    Proposal,
)
from ecosystem.models import Person, User
from ecosystem.permissions import (
    MANAGE_PROPOSALS,
    PROPOSE,
)
from ecosystem.views_base import NetworkMixin

# A proposal text longer than this folds away on the answer form, so the choices stay on one screen.
LONG_TEXT = 600
REGISTER_PAGE_SIZE = 50


def add_service_error(form: django_forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def form_messages(form: django_forms.Form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


class DecisionsPage(NetworkMixin):
    @property
    def user(self) -> User:
        return cast(User, self.request.user)  # NetworkMixin lets only a login in


def _proposal_url(proposal: Proposal) -> str:
    return reverse("proposal_detail", args=[proposal.network.slug, proposal.pk])


class ProposalMixin(DecisionsPage):
    """Looks the proposal up inside the network: another network's id is simply not found."""

    @cached_property
    def proposal(self) -> Proposal:
        try:
            return selectors.proposal_in(self.network, self.kwargs["proposal_id"])
        except Proposal.DoesNotExist:
            raise Http404 from None

    @cached_property
    def person(self) -> Person | None:
        return getattr(self.request.user, "person", None)

    @cached_property
    def is_proposer(self) -> bool:
        """The proposer, while they may still propose here (the services ask both)."""
        person = self.person
        return person is not None and person.pk == self.proposal.proposer_id and self.can(PROPOSE)

    @cached_property
    def steers(self) -> bool:
        """Who moves the proposal along its life: its proposer, or a coordinator."""
        return self.is_proposer or self.can(MANAGE_PROPOSALS)
