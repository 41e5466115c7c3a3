"""The services of consent decisions, one transition at a time: what they do, and what they refuse.

A refusal changes nothing: each refused call is followed by a look at what is stored.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from decisions import effects, lifecycle, services
from decisions.models import (
    Answer,
    AnswerKind,
    ClarifyingQuestion,
    ConsentRound,
    DecisionSettings,
    Delivery,
    Electorate,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposalVersion,
    Reaction,
    RoundReason,
    RoundResult,
)
from ecosystem import services as ecosystem_services
from ecosystem.models import Role
from ecosystem.permissions import rights_in
from tests.decisions.conftest import in_site_language
from tests.decisions.factories import answer, in_days, make_proposal, make_round

NOT_PROPOSERS = ["broad_partner", "funder", "facilitator", "observer", "outsider"]


def _state(proposal: Proposal) -> str:
    return Proposal.objects.get(pk=proposal.pk).state


# --- create_proposal ---------------------------------------------------------------------------------


def test_a_coalition_member_makes_a_proposal_in_draft_with_version_one(world):
    proposal = services.create_proposal(
        network=world.network,
        title="  Meet in the library  ",
        driver="We have no place to meet.",
        text="We meet in the library on Wednesdays.",
        by=world.user("coalition"),
    )
    assert proposal.state == ProposalState.DRAFT
    assert proposal.title == "Meet in the library"
    assert proposal.proposer == world.persons["coalition"]
    assert proposal.state_changed_by == world.persons["coalition"]
    assert (proposal.kind, proposal.electorate) == (ProposalKind.GENERAL, Electorate.COALITION)
    version = proposal.versions.get()
    assert (version.number, version.text, version.created_by) == (
        1,
        "We meet in the library on Wednesdays.",
        world.persons["coalition"],
    )
    assert proposal.history.count() == 1


@pytest.mark.parametrize("persona", NOT_PROPOSERS)
def test_only_coordinators_and_coalition_members_propose(world, persona):
    # (the outsider is a coalition member of another network, and still cannot propose here)
    with pytest.raises(PermissionDenied):
        services.create_proposal(network=world.network, title="T", driver="D", text="X", by=world.user(persona))
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("title", "driver", "text", "field"),
    [("", "D", "X", "title"), ("T", "  ", "X", "driver"), ("T", "D", " \n ", "text"), ("T" * 201, "D", "X", "title")],
)
def test_a_proposal_needs_a_title_a_driver_and_a_text(world, title, driver, text, field):
    with pytest.raises(ValidationError) as refused:
        services.create_proposal(
            network=world.network, title=title, driver=driver, text=text, by=world.user("coalition")
        )
    assert field in refused.value.message_dict
    assert not Proposal.objects.exists() and not ProposalVersion.objects.exists()


def test_a_proposal_is_about_something_of_its_own_network(world):
    with pytest.raises(ValidationError):
        make_proposal(world, state=ProposalState.DRAFT, subject=world.other_network)
    assert not Proposal.objects.exists()
    proposal = make_proposal(world, state=ProposalState.DRAFT, subject=world.network)
    assert proposal.subject == world.network


def test_a_kind_whose_effect_nobody_registered_cannot_be_proposed(world, monkeypatch):
    monkeypatch.delitem(effects._effects, ProposalKind.ADMIT_PARTNER, raising=False)
    with pytest.raises(ValidationError, match="cannot be carried out yet"):
        make_proposal(world, state=ProposalState.DRAFT, kind=ProposalKind.ADMIT_PARTNER)
    assert not Proposal.objects.exists()


def test_the_system_proposes_for_a_person_who_may_propose(world):
    proposal = services.create_proposal(
        network=world.network, title="T", driver="D", text="X", by=None, on_behalf_of=world.persons["coordinator"]
    )
    assert proposal.proposer == world.persons["coordinator"]
    with pytest.raises(ValidationError):
        services.create_proposal(
            network=world.network, title="T", driver="D", text="X", by=None, on_behalf_of=world.persons["funder"]
        )
    assert Proposal.objects.count() == 1


def test_a_proposed_review_date_lies_in_the_future(world):
    with pytest.raises(ValidationError):
        make_proposal(world, state=ProposalState.DRAFT, review_date=timezone.localdate())
    assert not Proposal.objects.exists()


# --- draft → questions → reactions ---------------------------------------------------------------------


def test_the_proposer_opens_questions_then_reactions_recording_who_and_when(world):
    proposal = make_proposal(world, state=ProposalState.DRAFT)
    proposal = services.start_questions(proposal=proposal, by=world.user("coalition"))
    assert proposal.state == ProposalState.QUESTIONS
    proposal = services.start_reactions(proposal=proposal, by=world.user("coordinator"))
    assert proposal.state == ProposalState.REACTIONS
    assert proposal.state_changed_by == world.persons["coordinator"]
    assert abs(proposal.state_changed_at - timezone.now()) < datetime.timedelta(minutes=1)
    states = list(proposal.history.order_by("history_date").values_list("state", flat=True))
    assert states == [ProposalState.DRAFT, ProposalState.QUESTIONS, ProposalState.REACTIONS]


@pytest.mark.parametrize("persona", ["broad_partner", "funder", "observer", "facilitator", "outsider"])
def test_only_the_proposer_or_a_coordinator_moves_a_proposal_on(world, persona):
    proposal = make_proposal(world, state=ProposalState.DRAFT)
    with pytest.raises(PermissionDenied):
        services.start_questions(proposal=proposal, by=world.user(persona))
    assert _state(proposal) == ProposalState.DRAFT


def test_another_coalition_member_cannot_move_someone_elses_proposal(council):
    proposal = make_proposal(council, state=ProposalState.DRAFT)
    with pytest.raises(PermissionDenied):
        services.start_questions(proposal=proposal, by=council.user("member2"))
    assert _state(proposal) == ProposalState.DRAFT


def test_transitions_check_their_source_state(world):
    proposal = make_proposal(world, state=ProposalState.DRAFT)
    with pytest.raises(ValidationError):
        services.start_reactions(proposal=proposal, by=world.user("coalition"))
    services.start_questions(proposal=proposal, by=world.user("coalition"))
    with pytest.raises(ValidationError):
        services.start_questions(proposal=proposal, by=world.user("coalition"))
    assert _state(proposal) == ProposalState.QUESTIONS


# --- questions and reactions ---------------------------------------------------------------------------


def test_a_broad_partner_asks_and_the_proposer_answers(world):
    proposal = make_proposal(world, state=ProposalState.QUESTIONS)
    question = services.ask_question(proposal=proposal, text=" Which room? ", by=world.user("broad_partner"))
    assert (question.text, question.asked_by, question.version.number) == (
        "Which room?",
        world.persons["broad_partner"],
        1,
    )
    question = services.answer_question(question=question, answer="The reading room.", by=world.user("coalition"))
    assert question.answer == "The reading room."
    assert question.answered_by == world.persons["coalition"]
    assert question.answered_at is not None


@pytest.mark.parametrize("persona", ["funder", "observer", "facilitator", "outsider"])
def test_those_who_do_not_take_part_cannot_ask(world, persona):
    proposal = make_proposal(world, state=ProposalState.QUESTIONS)
    with pytest.raises(PermissionDenied):
        services.ask_question(proposal=proposal, text="Why?", by=world.user(persona))
    assert not ClarifyingQuestion.objects.exists()


def test_questions_wait_for_the_questions_phase_and_need_text(world):
    draft = make_proposal(world, state=ProposalState.DRAFT)
    with pytest.raises(ValidationError):
        services.ask_question(proposal=draft, text="Why?", by=world.user("coordinator"))
    open_for_questions = make_proposal(world, state=ProposalState.QUESTIONS)
    with pytest.raises(ValidationError):
        services.ask_question(proposal=open_for_questions, text="   ", by=world.user("coordinator"))
    assert not ClarifyingQuestion.objects.exists()


def test_only_the_proposer_answers_a_question_and_only_once(world):
    proposal = make_proposal(world, state=ProposalState.QUESTIONS)
    question = services.ask_question(proposal=proposal, text="Which room?", by=world.user("coordinator"))
    with pytest.raises(PermissionDenied):
        services.answer_question(question=question, answer="Mine", by=world.user("coordinator"))
    services.answer_question(question=question, answer="The reading room.", by=world.user("coalition"))
    with pytest.raises(ValidationError):
        services.answer_question(question=question, answer="Another", by=world.user("coalition"))
    question.refresh_from_db()
    assert question.answer == "The reading room."


def test_a_broad_partners_reaction_on_a_coalition_decision_is_advice(world):
    coalition_decision = make_proposal(world)
    advice = services.add_reaction(
        proposal=coalition_decision, text="Mind the bus times.", by=world.user("broad_partner")
    )
    own = services.add_reaction(proposal=coalition_decision, text="Good idea.", by=world.user("coordinator"))
    assert advice.is_advice is True
    assert own.is_advice is False
    network_decision = make_proposal(world, electorate=Electorate.NETWORK)
    reaction = services.add_reaction(proposal=network_decision, text="Fine.", by=world.user("broad_partner"))
    assert reaction.is_advice is False


def test_reactions_wait_for_the_reactions_phase(world):
    proposal = make_proposal(world, state=ProposalState.QUESTIONS)
    with pytest.raises(ValidationError):
        services.add_reaction(proposal=proposal, text="Early", by=world.user("coordinator"))
    with pytest.raises(PermissionDenied):
        services.add_reaction(proposal=proposal, text="Mine", by=world.user("funder"))
    assert not Reaction.objects.exists()


# --- open_consent_round ------------------------------------------------------------------------------


def test_opening_a_round_fixes_the_coalition_electorate_and_the_quorum(council):
    proposal = make_proposal(council)
    round = services.open_consent_round(proposal=proposal, deadline=in_days(7), by=council.user("coalition"))
    assert _state(proposal) == ProposalState.CONSENT_ROUND
    assert round.number == 1
    assert round.version == proposal.versions.get()
    eligible = {e.person.full_name: e.role for e in round.electors.select_related("person")}
    assert eligible == {
        "Coordinator Person": Role.COORDINATOR,
        "Coalition Person": Role.COALITION_MEMBER,
        "Member2 Person": Role.COALITION_MEMBER,
        "Member3 Person": Role.COALITION_MEMBER,
    }
    assert (round.electorate_size, round.quorum) == (4, 2)
    assert round.opened_by == council.persons["coalition"]


def test_a_whole_network_round_adds_broad_partners_and_never_funders_or_observers(council):
    round = make_round(council, electorate=Electorate.NETWORK)
    assert set(round.eligible_persons.values_list("full_name", flat=True)) == {
        "Coordinator Person",
        "Coalition Person",
        "Member2 Person",
        "Member3 Person",
        "Broad_Partner Person",
    }
    assert (round.electorate_size, round.quorum) == (5, 3)


def test_an_ended_role_is_not_in_the_electorate(council):
    membership = council.persons["member3"].memberships.get()
    ecosystem_services.end_role(membership=membership, by=None)
    round = make_round(council)
    assert council.persons["member3"] not in round.eligible_persons.all()
    assert round.electorate_size == 3


def test_the_quorum_follows_the_networks_setting(council):
    services.update_decision_settings(network=council.network, by=council.user("coordinator"), quorum_fraction="0.75")
    round = make_round(council)
    assert round.quorum == 3  # ceil(0.75 × 4)


def test_a_coordinator_may_open_the_round_another_member_may_not(council):
    proposal = make_proposal(council)
    with pytest.raises(PermissionDenied):
        services.open_consent_round(proposal=proposal, deadline=in_days(7), by=council.user("member2"))
    with pytest.raises(PermissionDenied):
        services.open_consent_round(proposal=proposal, deadline=in_days(7), by=council.user("funder"))
    assert not ConsentRound.objects.exists()
    services.open_consent_round(proposal=proposal, deadline=in_days(7), by=council.user("coordinator"))
    assert _state(proposal) == ProposalState.CONSENT_ROUND


def test_the_deadline_lies_in_the_future(council):
    proposal = make_proposal(council)
    with pytest.raises(ValidationError) as refused:
        services.open_consent_round(proposal=proposal, deadline=in_days(-1 / 24), by=council.user("coalition"))
    assert "deadline" in refused.value.message_dict
    assert not ConsentRound.objects.exists()
    assert _state(proposal) == ProposalState.REACTIONS


def test_a_draft_goes_through_questions_before_a_round(council):
    proposal = make_proposal(council, state=ProposalState.DRAFT)
    with pytest.raises(ValidationError):
        services.open_consent_round(proposal=proposal, deadline=in_days(7), by=council.user("coalition"))
    assert not ConsentRound.objects.exists()


def test_a_round_needs_two_persons_besides_the_proposer(world):
    proposal = make_proposal(world)  # coalition electorate: the coordinator and the proposer only
    with pytest.raises(ValidationError, match="at least two persons besides the proposer"):
        services.open_consent_round(proposal=proposal, deadline=in_days(7), by=world.user("coalition"))
    assert not ConsentRound.objects.exists()
    assert _state(proposal) == ProposalState.REACTIONS


def test_everyone_eligible_gets_the_link_to_the_answer_form(council, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        round = make_round(council)
    recipients = sorted(m.to[0] for m in django_mail.outbox)
    assert recipients == sorted(
        ["coordinator@example.test", "coalition@example.test", "member2@example.test", "member3@example.test"]
    )
    link = f"/n/klooz/proposals/{round.proposal_id}/answer/"
    assert all(link in m.body for m in django_mail.outbox)


# --- submit_answer -----------------------------------------------------------------------------------


def test_an_answer_refers_to_the_rounds_version(council):
    round = make_round(council)
    given = answer(council, round, "member2", AnswerKind.CONSENT)
    assert (given.person, given.version, given.is_current) == (council.persons["member2"], round.version, True)


def test_a_changed_answer_replaces_the_current_one_and_keeps_the_history(council):
    round = make_round(council)
    first = answer(council, round, "member2", AnswerKind.CONSENT)
    second = answer(council, round, "member2", AnswerKind.OBJECTION, "Too expensive for the youth club.")
    first.refresh_from_db()
    assert first.is_current is False
    assert second.is_current is True
    assert Answer.objects.filter(round=round, person=council.persons["member2"]).count() == 2
    assert Answer.objects.filter(round=round, person=council.persons["member2"], is_current=True).get() == second


def test_the_same_answer_twice_adds_nothing(council):
    round = make_round(council)
    first = answer(council, round, "member2", AnswerKind.CONCERN, "Bus times")
    again = answer(council, round, "member2", AnswerKind.CONCERN, " Bus times ")
    assert again == first
    assert Answer.objects.filter(round=round).count() == 1


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_an_objection_without_a_reason_is_refused(council, reason):
    round = make_round(council)
    with pytest.raises(ValidationError) as refused:
        answer(council, round, "member2", AnswerKind.OBJECTION, reason)
    assert refused.value.message_dict == {
        "reason": ["An objection needs a reason: why is the proposal not safe enough to try?"]
    }
    assert not Answer.objects.exists()


def test_an_objection_without_a_reason_is_refused_in_dutch_once_translated(council):
    """The message is a translatable string: gettext is asked for it in the active language."""
    from django.utils import translation

    round = make_round(council)
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        answer(council, round, "member2", AnswerKind.OBJECTION)
    with translation.override("nl"):
        expected = translation.gettext("An objection needs a reason: why is the proposal not safe enough to try?")
    assert refused.value.message_dict["reason"] == [expected]


def test_a_concern_says_what_it_is(council):
    round = make_round(council)
    with pytest.raises(ValidationError):
        answer(council, round, "member2", AnswerKind.CONCERN)
    with pytest.raises(ValidationError):
        answer(council, round, "member2", "maybe")
    assert not Answer.objects.exists()


@pytest.mark.parametrize("persona", ["funder", "observer", "facilitator", "outsider"])
def test_those_who_never_answer_are_refused(council, persona):
    round = make_round(council, electorate=Electorate.NETWORK)
    with pytest.raises(PermissionDenied):
        answer(council, round, persona, AnswerKind.CONSENT)
    assert not Answer.objects.exists()


def test_a_broad_partner_answers_on_the_whole_network_not_on_a_coalition_decision(council):
    coalition_round = make_round(council)
    with pytest.raises(PermissionDenied):
        answer(council, coalition_round, "broad_partner", AnswerKind.CONSENT)
    network_round = make_round(council, electorate=Electorate.NETWORK)
    assert answer(council, network_round, "broad_partner", AnswerKind.CONSENT).is_current
    assert Answer.objects.filter(round=coalition_round).count() == 0


def test_someone_whose_role_ended_after_opening_can_no_longer_answer(council):
    round = make_round(council)
    ecosystem_services.end_role(membership=council.persons["member3"].memberships.get(), by=None)
    with pytest.raises(PermissionDenied):
        answer(council, round, "member3", AnswerKind.CONSENT)
    assert not Answer.objects.exists()


def test_the_system_answers_only_for_the_person_it_names(council):
    round = make_round(council)
    given = services.submit_answer(
        round=round, kind=AnswerKind.CONSENT, by=None, on_behalf_of=council.persons["member2"]
    )
    assert given.person == council.persons["member2"]
    with pytest.raises(PermissionDenied):
        services.submit_answer(
            round=round, kind=AnswerKind.CONSENT, by=council.user("member3"), on_behalf_of=council.persons["member2"]
        )
    assert Answer.objects.count() == 1


def test_answering_after_the_deadline_is_refused(council):
    round = make_round(council, days=1)
    with time_machine.travel(round.deadline + datetime.timedelta(seconds=1)), pytest.raises(ValidationError):
        answer(council, round, "member2", AnswerKind.CONSENT)
    assert not Answer.objects.exists()


def test_answering_after_close_is_refused(council):
    round = make_round(council, days=1)
    services.close_round(round=round, now=round.deadline)
    with pytest.raises(ValidationError, match="has closed"):
        answer(council, round, "member2", AnswerKind.CONSENT)
    assert not Answer.objects.exists()


def test_the_round_closes_as_soon_as_everyone_has_answered(council):
    round = make_round(council)
    for persona in ("coalition", "coordinator", "member2"):
        answer(council, round, persona, AnswerKind.CONSENT)
    round.refresh_from_db()
    assert round.closed_at is None
    answer(council, round, "member3", AnswerKind.STAND_ASIDE)
    round.refresh_from_db()
    assert round.closed_at is not None
    assert round.result == RoundResult.ADOPTED
    assert _state(round.proposal) == ProposalState.ADOPTED


# --- close_round -------------------------------------------------------------------------------------


def _closed(round: ConsentRound) -> ConsentRound:
    return services.close_round(round=round, now=round.deadline)


def test_a_round_does_not_close_before_its_deadline(council):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.CONSENT)
    with pytest.raises(ValidationError):
        services.close_round(round=round)
    round.refresh_from_db()
    assert round.closed_at is None


def test_adopted_with_quorum_two_consents_besides_the_proposer_and_no_objection(council):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.CONCERN, "The room is small.")
    round = _closed(round)
    proposal = Proposal.objects.get(pk=round.proposal_id)
    assert (round.result, round.reasons) == (RoundResult.ADOPTED, [])
    assert (round.answered_count, round.consent_count, round.concern_count) == (2, 1, 1)
    assert proposal.state == ProposalState.ADOPTED
    assert proposal.decided_at == round.closed_at
    assert proposal.review_date == timezone.localdate(round.closed_at) + datetime.timedelta(days=180)
    assert (
        in_site_language(
            "Adopted on %(date)s, on version %(version)s.", date=timezone.localtime(round.closed_at), version=1
        )
        in proposal.outcome
    )
    assert "Member3 Person: The room is small." in proposal.outcome, "concerns are listed for the review"


def test_a_standing_objection_blocks_and_the_outcome_says_which(council):
    round = make_round(council)
    answer(council, round, "coordinator", AnswerKind.CONSENT)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.OBJECTION, "The library is closed on Wednesdays.")
    round = _closed(round)
    proposal = Proposal.objects.get(pk=round.proposal_id)
    assert (round.result, round.reasons) == (RoundResult.NOT_ADOPTED, [RoundReason.OBJECTION])
    assert proposal.state == ProposalState.NOT_ADOPTED
    assert (
        in_site_language(
            "Objection by %(person)s: %(reason)s",
            person="Member3 Person",
            reason="The library is closed on Wednesdays.",
        )
        in proposal.outcome
    )
    assert proposal.review_date is None


def test_an_objection_withdrawn_before_the_close_no_longer_blocks(council):
    round = make_round(council)
    answer(council, round, "member3", AnswerKind.OBJECTION, "Closed on Wednesdays.")
    answer(council, round, "member3", AnswerKind.CONSENT)
    answer(council, round, "member2", AnswerKind.CONSENT)
    assert _closed(round).result == RoundResult.ADOPTED


def test_without_quorum_and_without_objection_the_proposal_lapses(council):
    round = make_round(council)  # quorum 2 of 4
    answer(council, round, "member2", AnswerKind.CONSENT)
    round = _closed(round)
    assert round.result == RoundResult.LAPSED
    assert set(round.reasons) == {RoundReason.QUORUM_MISSED, RoundReason.TOO_FEW_CONSENTS}
    proposal = Proposal.objects.get(pk=round.proposal_id)
    assert proposal.state == ProposalState.LAPSED
    assert in_site_language("The quorum of %(quorum)s was not reached.", quorum=2) in proposal.outcome


def test_without_quorum_but_with_an_objection_it_is_not_adopted(council):
    services.update_decision_settings(network=council.network, by=None, quorum_fraction="1.00")
    round = make_round(council)
    answer(council, round, "member3", AnswerKind.OBJECTION, "Not safe.")
    round = _closed(round)
    assert round.result == RoundResult.NOT_ADOPTED
    assert RoundReason.OBJECTION in round.reasons and RoundReason.QUORUM_MISSED in round.reasons


def test_the_proposers_own_consent_does_not_count_towards_the_two(council):
    round = make_round(council)
    answer(council, round, "coalition", AnswerKind.CONSENT)  # the proposer
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.STAND_ASIDE)
    round = _closed(round)
    assert (round.result, round.reasons) == (RoundResult.NOT_ADOPTED, [RoundReason.TOO_FEW_CONSENTS])
    assert (
        in_site_language("Fewer than two persons besides the proposer consented (%(count)s).", count=1)
        in round.proposal.outcome
    )


def test_closing_twice_does_it_once(council, django_capture_on_commit_callbacks):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.CONSENT)
    with django_capture_on_commit_callbacks(execute=True):
        first = _closed(round)
    sent = len(django_mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.close_round(round=round, now=round.deadline + datetime.timedelta(days=1))
    assert second.closed_at == first.closed_at and second.result == first.result
    assert len(django_mail.outbox) == sent
    assert Proposal.objects.get(pk=round.proposal_id).history.filter(state=ProposalState.ADOPTED).count() == 1


def test_a_review_date_proposed_with_the_proposal_is_kept(council):
    review = timezone.localdate() + datetime.timedelta(days=60)
    round = make_round(council, review_date=review)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.CONSENT)
    assert Proposal.objects.get(pk=_closed(round).proposal_id).review_date == review


# --- new_version -------------------------------------------------------------------------------------


def _not_adopted(council) -> ConsentRound:
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.OBJECTION, "The library is closed on Wednesdays.")
    return _closed(round)


def test_after_an_objection_the_proposer_integrates_it_and_a_new_round_asks_everyone_again(
    council, django_capture_on_commit_callbacks
):
    first = _not_adopted(council)
    proposal = first.proposal
    with django_capture_on_commit_callbacks(execute=True):
        version = services.new_version(
            proposal=proposal,
            text="We meet in the library on Thursdays.",
            change_note="Thursdays: the library is open.",
            deadline=in_days(5),
            by=council.user("coalition"),
        )
    assert version.number == 2
    second = ConsentRound.objects.get(proposal=proposal, number=2)
    assert second.version == version and second.closed_at is None
    assert not second.answers.exists(), "answers count only for the version they were given on"
    assert _state(proposal) == ProposalState.CONSENT_ROUND
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(
        ["coordinator@example.test", "coalition@example.test", "member2@example.test", "member3@example.test"]
    )
    version_line = in_site_language("The proposal (version %(number)s):", number=2)
    assert all(version_line in m.body and "Thursdays: the library is open." in m.body for m in django_mail.outbox)

    answer(council, second, "member3", AnswerKind.CONSENT)
    answer(council, second, "member2", AnswerKind.CONSENT)
    assert _closed(second).result == RoundResult.ADOPTED
    assert first.answers.filter(is_current=True, kind=AnswerKind.OBJECTION).exists(), "the first round is kept"


def test_without_a_deadline_a_new_version_goes_back_to_reactions(council):
    proposal = _not_adopted(council).proposal
    services.new_version(proposal=proposal, text="Thursdays.", by=council.user("coalition"))
    assert _state(proposal) == ProposalState.REACTIONS
    round = services.open_consent_round(proposal=proposal, deadline=in_days(3), by=council.user("coordinator"))
    assert (round.number, round.version.number) == (2, 2)


def test_an_objection_during_the_round_may_be_integrated_at_once(council):
    round = make_round(council)
    answer(council, round, "member3", AnswerKind.OBJECTION, "Closed on Wednesdays.")
    services.new_version(proposal=round.proposal, text="Thursdays.", deadline=in_days(3), by=council.user("coalition"))
    round.refresh_from_db()
    assert round.result == RoundResult.SUPERSEDED and round.closed_at is not None
    assert ConsentRound.objects.get(proposal=round.proposal, closed_at__isnull=True).number == 2


def test_during_a_round_without_objection_the_text_stays(council):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.CONSENT)
    with pytest.raises(ValidationError):
        services.new_version(proposal=round.proposal, text="Other", by=council.user("coalition"))
    assert ProposalVersion.objects.filter(proposal=round.proposal).count() == 1
    round.refresh_from_db()
    assert round.closed_at is None


def test_only_the_proposer_writes_a_new_version_and_it_must_differ(council):
    proposal = _not_adopted(council).proposal
    with pytest.raises(PermissionDenied):
        services.new_version(proposal=proposal, text="Mine", by=council.user("coordinator"))
    with pytest.raises(ValidationError):
        services.new_version(proposal=proposal, text=proposal.versions.get().text, by=council.user("coalition"))
    with pytest.raises(ValidationError):
        services.new_version(proposal=proposal, text="New", deadline=in_days(-1), by=council.user("coalition"))
    assert proposal.versions.count() == 1
    assert _state(proposal) == ProposalState.NOT_ADOPTED


def test_the_proposer_revises_a_draft_without_a_round(council):
    proposal = make_proposal(council, state=ProposalState.DRAFT)
    version = services.new_version(proposal=proposal, text="Better text", by=council.user("coalition"))
    assert version.number == 2
    assert _state(proposal) == ProposalState.DRAFT
    with pytest.raises(ValidationError):
        services.new_version(proposal=proposal, text="Even better", deadline=in_days(3), by=council.user("coalition"))


@pytest.mark.parametrize("final", ["adopted", "lapsed", "withdrawn"])
def test_a_final_proposal_gets_no_new_version(council, final):
    round = make_round(council)
    if final == "adopted":
        answer(council, round, "member2", AnswerKind.CONSENT)
        answer(council, round, "member3", AnswerKind.CONSENT)
    if final == "withdrawn":
        services.withdraw_proposal(proposal=round.proposal, by=council.user("coalition"))
    else:
        _closed(round)
    assert _state(round.proposal) == final
    with pytest.raises(ValidationError):
        services.new_version(proposal=round.proposal, text="Again", by=council.user("coalition"))
    with pytest.raises(ValidationError):
        services.withdraw_proposal(proposal=round.proposal, by=council.user("coalition"))


# --- withdraw_proposal -------------------------------------------------------------------------------


def test_the_proposer_withdraws_and_an_open_round_ends(council, django_capture_on_commit_callbacks):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.CONSENT)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.withdraw_proposal(
            proposal=round.proposal, reason="The school offers a room.", by=council.user("coalition")
        )
    assert proposal.state == ProposalState.WITHDRAWN
    assert "The school offers a room." in proposal.outcome
    round.refresh_from_db()
    assert (round.result, round.closed_at is not None) == (RoundResult.WITHDRAWN, True)
    assert len(django_mail.outbox) == 4
    assert Answer.objects.filter(round=round).count() == 1, "nothing is deleted"


def test_nobody_else_withdraws_a_proposal(council):
    proposal = make_proposal(council)
    for persona in ("coordinator", "member2", "funder"):
        with pytest.raises(PermissionDenied):
            services.withdraw_proposal(proposal=proposal, by=council.user(persona))
    assert _state(proposal) == ProposalState.REACTIONS


# --- review dates, settings, preferences -------------------------------------------------------------


def test_a_coordinator_moves_the_review_date_of_an_adopted_decision(council):
    round = make_round(council)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.CONSENT)
    proposal = _closed(round).proposal
    later = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(PermissionDenied):
        services.set_review_date(proposal=proposal, review_date=later, by=council.user("coalition"))
    with pytest.raises(ValidationError):
        services.set_review_date(
            proposal=proposal,
            review_date=timezone.localdate() - datetime.timedelta(days=1),
            by=council.user("coordinator"),
        )
    services.set_review_date(proposal=proposal, review_date=later, by=council.user("coordinator"))
    assert Proposal.objects.get(pk=proposal.pk).review_date == later


@pytest.mark.parametrize("fraction", ["0", "1.5", "-0.5"])
def test_a_quorum_lies_between_nothing_and_everyone(world, fraction):
    with pytest.raises(ValidationError):
        services.update_decision_settings(network=world.network, by=world.user("coordinator"), quorum_fraction=fraction)
    assert not DecisionSettings.objects.exists()


@pytest.mark.parametrize("persona", ["coalition", "broad_partner", "funder", "outsider"])
def test_only_a_coordinator_changes_how_the_network_decides(world, persona):
    with pytest.raises(PermissionDenied):
        services.update_decision_settings(network=world.network, by=world.user(persona), quorum_fraction="0.25")


def test_a_person_chooses_the_daily_digest_for_themselves_only(world):
    person = world.persons["coalition"]
    preference = services.set_notification_preference(
        person=person, delivery=Delivery.DAILY_DIGEST, by=world.user("coalition")
    )
    assert preference.delivery == Delivery.DAILY_DIGEST
    with pytest.raises(PermissionDenied):
        services.set_notification_preference(person=person, delivery=Delivery.IMMEDIATE, by=world.user("coordinator"))
    with pytest.raises(ValidationError):
        services.set_notification_preference(person=person, delivery="weekly", by=world.user("coalition"))
    preference.refresh_from_db()
    assert preference.delivery == Delivery.DAILY_DIGEST


def test_every_state_check_is_the_lifecycle_tables(council):
    """The services refuse with the table's message; the page offers what the table allows."""
    draft = make_proposal(council, state=ProposalState.DRAFT)
    with pytest.raises(ValidationError) as refused:
        services.start_reactions(proposal=draft, by=council.user("coalition"))
    assert refused.value.code == "invalid_state"
    assert refused.value.messages == [str(lifecycle.STEPS["start_reactions"].refusal)]
    proposer, coordinator = council.persons["coalition"], council.persons["coordinator"]
    mine = lifecycle.allowed_steps(draft, rights=rights_in(proposer.user, council.network), person=proposer)
    theirs = lifecycle.allowed_steps(draft, rights=rights_in(coordinator.user, council.network), person=coordinator)
    assert (mine.start_questions, mine.new_version, mine.withdraw, mine.ask) == (True, True, True, False)
    assert (theirs.start_questions, theirs.new_version, theirs.withdraw) == (True, False, False)
