"""The register's pages keep the filters: page 2 of "general decisions" is still general decisions."""

from __future__ import annotations

from django.urls import reverse

from decisions.models import AnswerKind, ProposalKind
from tests.decisions.factories import answer, make_round


def test_the_next_page_keeps_the_filters(council, monkeypatch):
    monkeypatch.setattr("decisions.views.register.REGISTER_PAGE_SIZE", 1)
    for title in ("Wednesday meetings", "Shared calendar"):
        round = make_round(council, title=title, kind=ProposalKind.GENERAL)
        for persona in ("coordinator", "coalition", "member2", "member3"):
            answer(council, round, persona, AnswerKind.CONSENT)
    register = reverse("decision_register", args=[council.network.slug])

    page = council.client("coordinator").get(register, {"kind": ProposalKind.GENERAL}).content.decode()

    assert f"?kind={ProposalKind.GENERAL}&amp;page=2" in page
