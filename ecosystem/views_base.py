"""The network, resolved once per request, and the right each page needs.

Every network page (in every app) subclasses :class:`NetworkMixin` and names its ``permission``.
Anonymous → login; outside the network → 404; in it without the right → 403.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ecosystem.models import Network, Role
from ecosystem.permissions import (
    VIEW_ACCOUNTABILITY,
    VIEW_MEMBERS,
    VIEW_NETWORK,
    VIEW_PARTNERS,
    VIEW_PROPOSALS,
    can,
    require,
    roles_in,
    visible,
)


class NetworkMixin(LoginRequiredMixin):
    permission: str = VIEW_NETWORK
    network: Network
    request: HttpRequest
    kwargs: dict

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.network = get_object_or_404(visible(request.user, Network.objects.all()), slug=kwargs["network_slug"])
        require(request.user, self.permission, self.network)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = getattr(self.request.user, "person", None)
        context.update(
            network=self.network,
            acting_roles=[str(label) for label in _role_labels(roles_in(person, self.network))],
            can_see_members=self.can(VIEW_MEMBERS),
            can_see_partners=self.can(VIEW_PARTNERS),
            can_see_accountability=self.can(VIEW_ACCOUNTABILITY),
            can_see_proposals=self.can(VIEW_PROPOSALS),
        )
        return context

    def can(self, action: str) -> bool:
        return can(self.request.user, action, self.network)


def _role_labels(roles: list[str]):
    return [Role(role).label for role in roles]
