"""The network, resolved once per request with the rights the login holds in it, and one base for actions.

Every network page (in every app) subclasses :class:`NetworkMixin` and names its ``permission``.
Anonymous → login; outside the network → 404; in it without the right → 403. The rights are read
once (``rights_in``, one query) and kept on the view as ``self.rights``; templates get the same set
as ``rights`` and ask ``rights.manage_members``.

Every POST that changes something is a :class:`NetworkActionView`: a form, one service called in
``perform``, a success message, and on a refusal either the page again with the bound form
(``rerender = True``) or a redirect with the refusal as messages (a button without fields).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.generic import FormView

from ecosystem.models import Network, Person, Role, User
from ecosystem.permissions import ALL_PERMISSIONS, VIEW_NETWORK, Rights, rights_in, roles_in


class NetworkMixin(LoginRequiredMixin):
    permission: str = VIEW_NETWORK
    network: Network
    rights: Rights
    request: HttpRequest
    kwargs: dict

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        network = Network.objects.filter(slug=kwargs["network_slug"]).first()
        rights = rights_in(request.user, network) if network is not None else Rights()
        if network is None or VIEW_NETWORK not in rights:
            raise Http404  # an outsider does not learn that the network exists
        self.network, self.rights = network, rights
        if self.permission not in rights:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def user(self) -> User:
        return cast(User, self.request.user)  # dispatch lets only a login in

    @property
    def person(self) -> Person | None:
        return getattr(self.request.user, "person", None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(
            network=self.network,
            rights=self.rights,
            acting_roles=[str(Role(role).label) for role in roles_in(self.person, self.network)],
        )
        return context

    def can(self, action: str) -> bool:
        """The right as read at the start of this request (``rights_in``), not asked again."""
        if action not in ALL_PERMISSIONS:
            raise ValueError(f"unknown permission {action!r}")
        return action in self.rights


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def form_messages(form: forms.Form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


class NetworkActionView(NetworkMixin, FormView):
    """A POST (or a form page) on a network that calls one service.

    Subclasses name ``permission`` and ``form_class``, implement ``perform(form)`` (call the service,
    return the success message) and ``get_success_url()``. A service's ``ValidationError`` goes on
    the form; nothing changed. Then, with ``rerender`` the page comes back with the bound form under
    ``form_name`` (an action subclasses its page's view, so the page renders as it was); without, the
    browser goes back to ``get_failure_url()`` with each refusal as a message.
    """

    rerender = True
    form_name = "form"
    form_class: type[forms.BaseForm] = forms.Form

    def perform(self, form: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            message = self.perform(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.succeeded(message)

    def succeeded(self, message: str) -> HttpResponse:
        """After the service: the message, and the browser goes on (an htmx form may swap in place)."""
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: Any) -> HttpResponse:
        if self.rerender:
            return self.render_to_response(self.get_context_data(**self.refused_context(form)))
        for message in form_messages(form):
            messages.error(self.request, message)
        return HttpResponseRedirect(self.get_failure_url())

    def refused_context(self, form: Any) -> dict[str, Any]:
        """What the page gets besides its own context when it comes back with a refused form."""
        return {self.form_name: form}

    def get_failure_url(self) -> str:
        return self.get_success_url()
