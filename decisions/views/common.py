"""What every page of consent decisions shares: the proposal looked up inside the network, its URL."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property

from decisions import lifecycle, selectors
from decisions.models import (
    Proposal,
)
from ecosystem.views_base import NetworkMixin

# A proposal text longer than this folds away on the answer form, so the choices stay on one screen.
LONG_TEXT = 600
REGISTER_PAGE_SIZE = 50


def _proposal_url(proposal: Proposal) -> str:
    return reverse("proposal_detail", args=[proposal.network.slug, proposal.pk])


class ProposalMixin(NetworkMixin):
    """Looks the proposal up inside the network: another network's id is simply not found."""

    @cached_property
    def proposal(self) -> Proposal:
        try:
            return selectors.proposal_in(self.network, self.kwargs["proposal_id"])
        except Proposal.DoesNotExist:
            raise Http404 from None

    @cached_property
    def actors(self) -> frozenset[str]:
        """Who the viewer counts as for the proposal's steps: proposer, steer, coordinator, participant."""
        return lifecycle.actors(self.proposal, rights=self.rights, person=self.person)
