"""Every URL × every persona → the status the product promises.

Outside a network → 404 (its existence is not revealed); in it without the right → 403; anonymous →
the login page. ``test_every_url_is_in_the_matrix`` fails when a URL pattern exists that this table
does not cover, so a new page cannot ship untested.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONA_ROLES, PERSONAS, World
from tests.factories import make_contribution, make_partnership

ROLES = set(PERSONA_ROLES)
READERS_OF_MEMBERS = {"coordinator", "coalition", "broad_partner", "facilitator"}


def network_page(allowed: set[str], ok: int = 200) -> dict[str, int]:
    """Expected statuses of a network page: ``ok`` for the allowed roles, 403 for other roles."""
    expected = {"anonymous": 302, "outsider": 404}
    expected.update({role: ok if role in allowed else 403 for role in ROLES})
    return expected


def everyone(status: int, anonymous: int | None = None) -> dict[str, int]:
    return {p: (anonymous if p == "anonymous" and anonymous is not None else status) for p in PERSONAS}


def _membership(world: World) -> dict:
    membership = world.persons["observer"].memberships.get()
    return {"network_slug": world.network.slug, "membership_id": membership.pk}


def _person(world: World) -> dict:
    return {"network_slug": world.network.slug, "person_id": world.persons["coalition"].pk}


def _network(world: World) -> dict:
    return {"network_slug": world.network.slug}


def _partnership(world: World) -> dict:
    return {"network_slug": world.network.slug, "partnership_id": make_partnership(world.network).pk}


def _contribution(world: World) -> dict:
    entry = make_contribution(make_partnership(world.network))
    return {"network_slug": world.network.slug, "contribution_id": entry.pk}


def _export(world: World) -> dict:
    return {"network_slug": world.network.slug, "fmt": "csv"}


def _proposal(state: str):
    """A proposal by the coalition member, open to the whole network (so that three persons answer)."""

    def build(world: World) -> dict:
        from decisions.models import Electorate
        from tests.decisions.factories import make_proposal

        proposal = make_proposal(world, state=state, electorate=Electorate.NETWORK)
        return {"network_slug": world.network.slug, "proposal_id": proposal.pk}

    build.__name__ = f"_proposal_{state}"
    return build


_draft, _in_questions, _in_reactions = _proposal("draft"), _proposal("questions"), _proposal("reactions")


def _in_round(world: World) -> dict:
    from decisions.models import Electorate
    from tests.decisions.factories import make_round

    round = make_round(world, electorate=Electorate.NETWORK)
    return {"network_slug": world.network.slug, "proposal_id": round.proposal_id}


def _question(world: World) -> dict:
    from decisions import services

    kwargs = _in_questions(world)
    proposal = world.network.proposals.get(pk=kwargs["proposal_id"])
    question = services.ask_question(proposal=proposal, text="Which room?", by=world.user("broad_partner"))
    return {**kwargs, "question_id": question.pk}


def _experiment(standing: str):
    """An experiment whose trekker is the coalition member: a candidate, or stopped (with its lessons)."""

    def build(world: World) -> dict:
        from experiments import services
        from tests.experiments.factories import make_experiment

        experiment = make_experiment(world)
        if standing == "stopped":
            services.stop_experiment(experiment=experiment, lessons="Evenings do not work.", by=None)
        return {"network_slug": world.network.slug, "experiment_id": experiment.pk}

    build.__name__ = f"_experiment_{standing}"
    return build


_candidate, _stopped = _experiment("candidate"), _experiment("stopped")


def _evidence(world: World) -> dict:
    """A PDF that shows the candidate's move to catalysing, uploaded by its trekker."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from experiments import services

    kwargs = _candidate(world)
    experiment = world.network.experiments.get(pk=kwargs["experiment_id"])
    event = services.move_experiment(
        experiment=experiment,
        to_stage="catalysing",
        why="Signed",
        evidence_files=[SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")],
        by=None,
    )
    return {**kwargs, "file_id": event.files.get().pk}


NETWORK_SCOPED = (
    _network,
    _membership,
    _person,
    _partnership,
    _contribution,
    _export,
    _draft,
    _in_questions,
    _in_reactions,
    _in_round,
    _question,
    _candidate,
    _stopped,
    _evidence,
)
PARTNER_READERS = READERS_OF_MEMBERS
PROSPECT_REGISTRARS = {"coordinator", "coalition"}
PROPOSAL_READERS = {"coordinator", "coalition", "broad_partner", "facilitator", "observer"}
PROPOSERS = {"coordinator", "coalition"}  # the proposer here is the coalition member
TAKING_PART = {"coordinator", "coalition", "broad_partner"}  # the whole network's electorate
EXPERIMENT_READERS = PROPOSAL_READERS  # a funder reads only adopted experiments (tests/experiments/test_pages.py)
RUNNERS = {"coordinator", "coalition", "broad_partner"}
TREKKERS = {"coordinator", "coalition"}  # the coalition member pulls the experiment; a coordinator manages any


# (url name, how to build its arguments) → {method: {persona: status}}
MATRIX: dict[str, tuple] = {
    "home": (None, {"GET": everyone(200, anonymous=302), "POST": everyone(405, anonymous=302)}),
    "healthz": (None, {"GET": everyone(200), "POST": everyone(405)}),
    "set_language": (None, {"GET": everyone(302), "POST": everyone(302)}),
    # Empty POST: the form comes back with its error (200); nothing is saved.
    "notification_settings": (None, {"GET": everyone(200, anonymous=302), "POST": everyone(200, anonymous=302)}),
    "accept_invitation": (
        lambda w: {"token": "not-a-real-token"},
        {"GET": everyone(404), "POST": everyone(404)},
    ),
    "network_detail": (_network, {"GET": network_page(ROLES), "POST": network_page(ROLES, ok=405)}),
    "network_edit": (_network, {"GET": network_page({"coordinator"}), "POST": network_page({"coordinator"})}),
    "members": (_network, {"GET": network_page(READERS_OF_MEMBERS), "POST": network_page(READERS_OF_MEMBERS, 405)}),
    # POST with an empty form: the coordinator gets the form back with its errors (200), nothing changes.
    "member_add": (_network, {"GET": network_page({"coordinator"}, 405), "POST": network_page({"coordinator"})}),
    "role_give": (_network, {"GET": network_page({"coordinator"}, 405), "POST": network_page({"coordinator"})}),
    # These two answer a coordinator with a redirect back to the members page, carrying the refusal.
    "role_end": (_membership, {"GET": network_page({"coordinator"}, 405), "POST": network_page({"coordinator"}, 302)}),
    "person_invite": (_person, {"GET": network_page({"coordinator"}, 405), "POST": network_page({"coordinator"}, 302)}),
    "decision_settings": (_network, {"GET": network_page({"coordinator"}), "POST": network_page({"coordinator"})}),
    # partners/
    "partner_list": (_network, {"GET": network_page(PARTNER_READERS), "POST": network_page(PARTNER_READERS, 405)}),
    "partners_on_date": (_network, {"GET": network_page(PARTNER_READERS), "POST": network_page(PARTNER_READERS, 405)}),
    "partner_overview": (_network, {"GET": network_page(ROLES), "POST": network_page(ROLES, 405)}),
    "partner_register": (
        _network,
        {"GET": network_page(PROSPECT_REGISTRARS), "POST": network_page(PROSPECT_REGISTRARS)},
    ),
    "partner_bulk": (_network, {"GET": network_page({"coordinator"}), "POST": network_page({"coordinator"})}),
    "partner_detail": (
        _partnership,
        {"GET": network_page(PARTNER_READERS), "POST": network_page(PARTNER_READERS, 405)},
    ),
    # An empty edit form is valid (every field optional): the coordinator is sent back to the partner.
    "partner_edit": (_partnership, {"GET": network_page({"coordinator"}), "POST": network_page({"coordinator"}, 302)}),
    "partner_affiliate": (
        _partnership,
        {"GET": network_page({"coordinator"}, 405), "POST": network_page({"coordinator"})},
    ),
    "partner_status": (
        _partnership,
        {"GET": network_page({"coordinator"}, 405), "POST": network_page({"coordinator"})},
    ),
    "contribution_add": (
        _partnership,
        {"GET": network_page({"coordinator"}, 405), "POST": network_page({"coordinator"})},
    ),
    "ledger": (_network, {"GET": network_page(PARTNER_READERS), "POST": network_page(PARTNER_READERS, 405)}),
    "ledger_export": (_export, {"GET": network_page(PARTNER_READERS), "POST": network_page(PARTNER_READERS, 405)}),
    "partners_export": (_export, {"GET": network_page(PARTNER_READERS), "POST": network_page(PARTNER_READERS, 405)}),
    # POST without a file: the coordinator gets the form back with its error (200), nothing changes.
    "partners_import": (_network, {"GET": network_page({"coordinator"}), "POST": network_page({"coordinator"})}),
    "contribution_correct": (
        _contribution,
        {"GET": network_page({"coordinator"}, 405), "POST": network_page({"coordinator"}, 302)},
    ),
    # decisions/ (the answer form's 403 for a broad partner on a coalition decision: tests/decisions/test_pages.py)
    "proposal_list": (_network, {"GET": network_page(PROPOSAL_READERS), "POST": network_page(PROPOSAL_READERS, 405)}),
    # POST with an empty form: the form comes back with its errors (200), nothing is saved.
    "proposal_new": (_network, {"GET": network_page(PROPOSERS), "POST": network_page(PROPOSERS)}),
    "decision_register": (_network, {"GET": network_page(ROLES), "POST": network_page(ROLES, 405)}),
    "decision_register_csv": (_network, {"GET": network_page(ROLES), "POST": network_page(ROLES, 405)}),
    "proposal_detail": (
        _in_reactions,
        {"GET": network_page(PROPOSAL_READERS), "POST": network_page(PROPOSAL_READERS, 405)},
    ),
    "proposal_answer": (_in_round, {"GET": network_page(TAKING_PART), "POST": network_page(TAKING_PART)}),
    # The proposer or a coordinator moves the proposal on: a successful step redirects to the proposal.
    "proposal_start_questions": (
        _draft,
        {"GET": network_page(PROPOSERS, 405), "POST": network_page(PROPOSERS, 302)},
    ),
    "proposal_start_reactions": (
        _in_questions,
        {"GET": network_page(PROPOSERS, 405), "POST": network_page(PROPOSERS, 302)},
    ),
    "proposal_open_round": (
        _in_reactions,
        {"GET": network_page(PROPOSERS, 405), "POST": network_page(PROPOSERS)},
    ),
    # Only the proposer writes a new version or withdraws (a coordinator gets 403); withdrawing needs no reason.
    "proposal_new_version": (_in_reactions, {"GET": network_page({"coalition"}), "POST": network_page({"coalition"})}),
    "proposal_withdraw": (
        _in_reactions,
        {"GET": network_page(PROPOSERS, 405), "POST": network_page({"coalition"}, 302)},
    ),
    "proposal_answer_question": (
        _question,
        {"GET": network_page(PROPOSERS, 405), "POST": network_page({"coalition"})},
    ),
    "proposal_ask": (_in_reactions, {"GET": network_page(TAKING_PART, 405), "POST": network_page(TAKING_PART)}),
    "proposal_react": (_in_reactions, {"GET": network_page(TAKING_PART, 405), "POST": network_page(TAKING_PART)}),
    # experiments/ (empty POSTs: the form comes back with its errors, 200, and nothing changes). The trekker's
    # forms answer 403 to someone who may run experiments but does not pull this one, once they post.
    "experiment_board": (_network, {"GET": network_page(ROLES), "POST": network_page(ROLES, 405)}),
    "experiment_new": (_network, {"GET": network_page(RUNNERS), "POST": network_page(RUNNERS)}),
    "experiment_detail": (
        _candidate,
        {"GET": network_page(EXPERIMENT_READERS), "POST": network_page(ROLES, 405)},
    ),
    "experiment_edit": (_candidate, {"GET": network_page(TREKKERS), "POST": network_page(TREKKERS)}),
    "experiment_move": (_candidate, {"GET": network_page(RUNNERS, 405), "POST": network_page(TREKKERS)}),
    "experiment_stop": (_candidate, {"GET": network_page(RUNNERS, 405), "POST": network_page(TREKKERS)}),
    "experiment_trekker": (_candidate, {"GET": network_page(RUNNERS, 405), "POST": network_page(TREKKERS)}),
    "experiment_reach": (_candidate, {"GET": network_page(RUNNERS, 405), "POST": network_page(TREKKERS)}),
    "experiment_lesson": (_candidate, {"GET": network_page(RUNNERS, 405), "POST": network_page(TREKKERS)}),
    # Reopening needs no reason: whoever may run experiments starts a new candidate from the stopped one.
    "experiment_reopen": (_stopped, {"GET": network_page(RUNNERS, 405), "POST": network_page(RUNNERS, 302)}),
    "experiment_evidence": (
        _evidence,
        {"GET": network_page(EXPERIMENT_READERS), "POST": network_page(ROLES, 405)},
    ),
    "experiment_propose": (_candidate, {"GET": network_page(PROPOSERS), "POST": network_page(PROPOSERS)}),
}

# Third-party URL sets, tested where they are used (tests/ecosystem/test_accounts.py, test_admin.py).
EXEMPT_PREFIXES = ("accounts/", "admin/")

CASES = [
    pytest.param(name, method, persona, id=f"{name}-{method}-{persona}")
    for name, (_kwargs, methods) in MATRIX.items()
    for method, expected in methods.items()
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_permission_matrix(world: World, name: str, method: str, persona: str):
    build_kwargs, methods = MATRIX[name]
    url = reverse(name, kwargs=build_kwargs(world) if build_kwargs else None)
    client = world.client(persona)
    response = client.get(url) if method == "GET" else client.post(url, {})
    expected = methods[method][persona]
    assert response.status_code == expected, f"{persona} {method} {url}: {response.status_code}, expected {expected}"
    if expected == 302 and persona == "anonymous" and name not in {"set_language", "healthz"}:
        assert response.url.startswith(reverse("account_login"))


def test_every_url_is_in_the_matrix():
    missing = sorted(name for name in _project_url_names() if name not in MATRIX)
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"


def test_the_matrix_names_only_real_urls():
    assert set(MATRIX) <= _project_url_names()


def test_a_funder_never_gets_a_successful_post_on_a_network_page():
    for name, (build_kwargs, methods) in MATRIX.items():
        if build_kwargs in NETWORK_SCOPED:
            status = methods["POST"]["funder"]
            assert status >= 400, f"funder POST {name} expected to be refused, matrix says {status}"


def _project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) not in EXEMPT_PREFIXES:
                    walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names
