"""Bad input on every decision form: a clear message, and nothing changed.

"Nothing changed" is checked on a snapshot of every decision table taken before and after the request.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from decisions import services
from decisions.models import (
    Answer,
    AnswerKind,
    ClarifyingQuestion,
    ConsentRound,
    Electorate,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposalVersion,
    Reaction,
)
from ecosystem.models import OutgoingEmail
from tests.decisions.factories import admit_by_consent, answer, in_days, make_proposal, make_round
from tests.decisions.test_pages import url
from tests.factories import make_partnership
from tests.helpers import english, messages_of, page_text


def snapshot() -> dict:
    return {
        "proposals": sorted(Proposal.objects.values_list("pk", "title", "state", "outcome", "kind", "effect_params")),
        "versions": sorted(ProposalVersion.objects.values_list("pk", "text")),
        "rounds": sorted(ConsentRound.objects.values_list("pk", "closed_at", "result", "deadline")),
        "answers": sorted(Answer.objects.values_list("pk", "kind", "reason", "is_current")),
        "questions": sorted(ClarifyingQuestion.objects.values_list("pk", "text", "answer")),
        "reactions": sorted(Reaction.objects.values_list("pk", "text")),
        "emails": OutgoingEmail.objects.count(),
    }


def an_hour_ago() -> datetime.datetime:
    return timezone.localtime() - datetime.timedelta(hours=1)


def refused(client: Client, path: str, data: dict, message: str, **extra) -> str:
    """POST, expect the form back (200) saying ``message``, and nothing changed; returns the page text."""
    before = snapshot()
    response = client.post(path, data, **extra)
    assert response.status_code == 200, response.status_code
    page = page_text(response)
    assert message in page, page
    assert snapshot() == before
    return page


# --- The answer form -------------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_objection_without_a_reason_is_refused_with_the_services_message(council, htmx):
    round = make_round(council)
    headers = {"headers": {"HX-Request": "true"}} if htmx else {}
    page = refused(
        english(council.client("member2")),
        url("proposal_answer", council, round.proposal.pk),
        {"kind": AnswerKind.OBJECTION, "reason": "   "},
        "An objection needs a reason: why is the proposal not safe enough to try?",
        **headers,
    )
    assert "Send my answer" in page  # the form is still there, with the choice kept


def test_the_objection_stays_chosen_when_its_reason_is_missing(council):
    round = make_round(council)
    response = english(council.client("member2")).post(
        url("proposal_answer", council, round.proposal.pk), {"kind": AnswerKind.OBJECTION}
    )
    assert 'value="objection" id="kind-objection" aria-describedby="kind-objection-hint" checked' in (
        response.content.decode()
    )
    assert 'aria-invalid="true"' in response.content.decode()  # the reason field, tied to its message


def test_a_concern_without_saying_what_it_is_is_refused(council):
    round = make_round(council)
    refused(
        english(council.client("member2")),
        url("proposal_answer", council, round.proposal.pk),
        {"kind": AnswerKind.CONCERN},
        "Say what your concern is.",
    )


@pytest.mark.parametrize("kind", ["", "veto"])
def test_an_answer_must_be_one_of_the_four(council, kind):
    round = make_round(council)
    refused(
        english(council.client("member2")),
        url("proposal_answer", council, round.proposal.pk),
        {"kind": kind},
        "Choose your answer.",
    )


def test_answering_after_the_round_closed_is_refused_and_shows_the_outcome(council):
    round = make_round(council)
    for persona in ("coordinator", "coalition", "member2", "member3"):
        answer(council, round, persona, AnswerKind.CONSENT)  # everyone answered: the round closed
    page = refused(
        english(council.client("member2")),
        url("proposal_answer", council, round.proposal.pk),
        {"kind": AnswerKind.OBJECTION, "reason": "Too late, but still."},
        "This consent round has closed; answers are no longer accepted.",
    )
    assert "This round has closed: adopted." in page


def test_answering_after_the_deadline_before_the_closing_task_ran_is_refused(council):
    round = make_round(council)
    with time_machine.travel(in_days(8)):
        page = refused(
            english(council.client("member2")),
            url("proposal_answer", council, round.proposal.pk),
            {"kind": AnswerKind.CONSENT},
            "The deadline of this round has passed; answers are no longer accepted.",
        )
    assert "the outcome follows shortly" in page


# --- Opening a round, a new version, withdrawing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (
            lambda: (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "The deadline must be in the future.",
        ),
        (lambda: "next friday", "Enter a valid date/time."),
        (lambda: "", "This field is required."),
    ],
    ids=["past", "not-a-date", "empty"],
)
def test_a_round_needs_a_deadline_in_the_future(council, deadline, message):
    proposal = make_proposal(council)
    page = refused(
        english(council.client("coalition")),
        url("proposal_open_round", council, proposal.pk),
        {"deadline": deadline()},
        message,
    )
    assert "Open the consent round" in page
    assert Proposal.objects.get().state == ProposalState.REACTIONS


def test_a_round_needs_two_persons_besides_the_proposer(world):
    proposal = make_proposal(world)  # the coalition: the coordinator besides the proposer
    refused(
        english(world.client("coalition")),
        url("proposal_open_round", world, proposal.pk),
        {"deadline": in_days(3).strftime("%Y-%m-%dT%H:%M")},
        "A decision needs at least two persons besides the proposer who can answer; this electorate has 1.",
    )


def test_a_round_cannot_open_on_a_draft(council):
    proposal = make_proposal(council, state=ProposalState.DRAFT)
    refused(
        english(council.client("coalition")),
        url("proposal_open_round", council, proposal.pk),
        {"deadline": in_days(3).strftime("%Y-%m-%dT%H:%M")},
        "A consent round opens after the clarifying questions or the reactions.",
    )


def test_a_step_out_of_order_comes_back_as_a_message(council):
    proposal = make_proposal(council, state=ProposalState.DRAFT)
    before = snapshot()
    response = english(council.client("coalition")).post(url("proposal_start_reactions", council, proposal.pk))
    assert response.status_code == 302 and response.url == url("proposal_detail", council, proposal.pk)
    assert messages_of(response) == ["Reactions open after the round of clarifying questions."]
    assert snapshot() == before


CURRENT_TEXT = "We meet in the library on Wednesdays, from September on."  # the factories' text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "This field is required."),
        (
            {"text": "We meet in the library on Wednesdays, from September on."},
            "The new version is the same as the current one.",
        ),
        ({"text": "Something else.", "open_round": "on"}, "A new consent round needs a deadline."),
    ],
    ids=["empty", "unchanged", "round-without-deadline"],
)
def test_a_new_version_must_say_something_new(council, data, message):
    proposal = make_proposal(council)
    refused(english(council.client("coalition")), url("proposal_new_version", council, proposal.pk), data, message)


def test_a_new_version_during_a_round_needs_an_objection(council):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.CONSENT)
    refused(
        english(council.client("coalition")),
        url("proposal_new_version", council, round.proposal.pk),
        {"text": "Another text."},
        "While a consent round is open, a new version can only integrate an objection.",
    )


def test_an_ended_proposal_cannot_be_withdrawn(council):
    proposal = make_proposal(council)
    services.withdraw_proposal(proposal=proposal, by=council.user("coalition"))
    # The page no longer offers it; a stale form still posts.
    refused(
        english(council.client("coalition")),
        url("proposal_withdraw", council, proposal.pk),
        {"reason": "Again."},
        "This proposal has ended already; it can no longer be withdrawn.",
    )


# --- Questions and reactions ------------------------------------------------------------------------------


def test_an_empty_question_or_reaction_is_refused(council):
    proposal = make_proposal(council)
    client = english(council.client("member2"))
    refused(client, url("proposal_ask", council, proposal.pk), {"text": "  "}, "This field is required.")
    refused(client, url("proposal_react", council, proposal.pk), {"text": ""}, "This field is required.")


def test_reactions_wait_for_the_reactions_phase(council):
    proposal = make_proposal(council, state=ProposalState.QUESTIONS)
    refused(
        english(council.client("member2")),
        url("proposal_react", council, proposal.pk),
        {"text": "Early."},
        "Reactions are given in the reactions phase.",
    )


def test_a_question_is_answered_once(council):
    proposal = make_proposal(council)
    question = services.ask_question(proposal=proposal, text="Which room?", by=council.user("member2"))
    services.answer_question(question=question, answer="Room 2.", by=council.user("coalition"))
    path = url("proposal_answer_question", council, proposal.pk, question.pk)
    client = english(council.client("coalition"))
    refused(client, path, {f"q{question.pk}-answer": "Room 3."}, "This question has been answered already.")
    other = services.ask_question(proposal=proposal, text="When?", by=council.user("member2"))
    path = url("proposal_answer_question", council, proposal.pk, other.pk)
    refused(client, path, {f"q{other.pk}-answer": ""}, "This field is required.")


def test_a_question_of_another_proposal_is_not_found(council):
    proposal, other = make_proposal(council), make_proposal(council)
    question = services.ask_question(proposal=other, text="Which room?", by=council.user("member2"))
    path = url("proposal_answer_question", council, proposal.pk, question.pk)
    response = english(council.client("coalition")).post(path, {f"q{question.pk}-answer": "Room 2."})
    assert response.status_code == 404


# --- A new proposal ---------------------------------------------------------------------------------------


STAGE = ProposalKind.CHANGE_NETWORK_STAGE
BASE = {
    "title": "Wednesday meetings",
    "driver": "We never meet.",
    "text": "We meet on Wednesdays.",
    "kind": ProposalKind.GENERAL,
    "electorate": Electorate.COALITION,
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"text": ""}, "This field is required."),
        ({"driver": ""}, "This field is required."),
        ({"kind": "coup"}, "Select a valid choice. coup is not one of the available choices."),
        # Proposed from the experiment's page; here, without one, the registered check refuses.
        ({"kind": ProposalKind.ADOPT_EXPERIMENT}, "Choose an experiment of this network."),
        ({"electorate": "everyone"}, "Select a valid choice. everyone is not one of the available choices."),
        ({"kind": ProposalKind.ADMIT_PARTNER}, "Choose the partner to admit to the core."),
        ({"kind": ProposalKind.CHANGE_NETWORK_STAGE}, "Choose the stage the network moves to."),
        (
            {"kind": ProposalKind.CHANGE_NETWORK_STAGE, "to_stage": "hypothesis"},
            "The network is already in this stage.",
        ),
        (
            {"kind": ProposalKind.CHANGE_GOVERNANCE, "principles": " \n "},
            "Say which governance form or which principles",
        ),
        ({"review_date": "2000-01-01"}, "The review date must be in the future."),
        ({"review_date": "soon"}, "Enter a valid date."),
    ],
    ids=[
        "empty-title",
        "empty-text",
        "empty-driver",
        "unknown-kind",
        "kind-without-effect",
        "unknown-electorate",
        "admission-without-partner",
        "stage-missing",
        "same-stage",
        "governance-empty",
        "review-date-past",
        "review-date-garbage",
    ],
)
def test_a_proposal_with_bad_input_is_refused(world, changes, message):
    refused(english(world.client("coalition")), url("proposal_new", world), {**BASE, **changes}, message)


def test_a_core_partner_cannot_be_chosen_for_admission(world):
    partnership = make_partnership(world.network, "Stad Borgloon")
    admit_by_consent(world, partnership)
    refused(
        english(world.client("coalition")),
        url("proposal_new", world),
        {**BASE, "kind": ProposalKind.ADMIT_PARTNER, "partnership": partnership.pk},
        "Select a valid choice.",
    )


# --- The register -------------------------------------------------------------------------------------------


def test_a_register_filter_that_cannot_be_read_says_so_and_the_csv_refuses(world):
    response = english(world.client("coordinator")).get(url("decision_register", world), {"year": "last year"})
    assert response.status_code == 200
    assert "Enter a whole number." in page_text(response)
    assert 'id="register-download"' not in response.content.decode()
    download = english(world.client("coordinator")).get(url("decision_register_csv", world), {"year": "last year"})
    assert download.status_code == 400
    assert "Enter a whole number." in download.content.decode()


def test_a_funder_cannot_filter_the_register_by_an_outcome_it_does_not_see(world):
    response = english(world.client("funder")).get(url("decision_register", world), {"state": ProposalState.WITHDRAWN})
    assert response.status_code == 200 and "state" not in response.context["filter_form"].fields
