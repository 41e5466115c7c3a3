"""Reads for the pages, the dashboard and the reflection agenda, with query counts that do not grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisions import selectors, services
from decisions.models import Answer, AnswerKind, ConsentRound, Electorate, ProposalKind, ProposalState
from ecosystem.models import Role
from tests.decisions.factories import answer, in_days, make_proposal, make_round
from tests.factories import make_partnership, make_person
from tests.queries import assert_constant_queries


def _adopted(council, **fields):
    round = make_round(council, **fields)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.CONSENT)
    return services.close_round(round=round, now=round.deadline).proposal


def test_decisions_due_for_review_are_the_adopted_ones_whose_date_has_come(council):
    soon = _adopted(council, review_date=timezone.localdate() + datetime.timedelta(days=10))
    later = _adopted(council, review_date=timezone.localdate() + datetime.timedelta(days=40))
    make_round(council)  # open, no review date
    elsewhere = make_proposal(council, state=ProposalState.DRAFT)
    day = timezone.localdate() + datetime.timedelta(days=10)

    assert list(selectors.decisions_due_for_review(council.network, on=day)) == [soon]
    assert list(selectors.decisions_due_for_review(council.network, on=day + datetime.timedelta(days=30))) == [
        soon,
        later,
    ]
    assert list(selectors.decisions_due_for_review(council.network)) == []
    assert list(selectors.decisions_due_for_review(council.other_network, on=day)) == []
    assert elsewhere not in selectors.decisions_due_for_review(council.network, on=day)


def test_round_progress_says_who_answered_what_and_who_has_not(council):
    round = make_round(council, electorate=Electorate.NETWORK)
    answer(council, round, "member2", AnswerKind.CONSENT)
    answer(council, round, "member3", AnswerKind.OBJECTION, "Not on Wednesdays.")
    answer(council, round, "member3", AnswerKind.CONCERN, "Wednesdays are hard.")

    progress = selectors.round_progress(round)
    answers = {row.person.full_name: (row.role, row.answer and row.answer.kind) for row in progress.rows}
    assert answers == {
        "Broad_Partner Person": (Role.BROAD_PARTNER, None),
        "Coalition Person": (Role.COALITION_MEMBER, None),
        "Coordinator Person": (Role.COORDINATOR, None),
        "Member2 Person": (Role.COALITION_MEMBER, AnswerKind.CONSENT),
        "Member3 Person": (Role.COALITION_MEMBER, AnswerKind.CONCERN),
    }
    assert [row.person.full_name for row in progress.not_answered] == [
        "Broad_Partner Person",
        "Coalition Person",
        "Coordinator Person",
    ]
    assert progress.counts == {"consent": 1, "concern": 1, "objection": 0, "stand_aside": 0}
    assert progress.quorum_reached is False  # 2 of 5, quorum 3
    assert [a.kind for a in selectors.answer_history(round)] == ["consent", "objection", "concern"]


def test_awaiting_answer_is_my_inbox_across_networks(council):
    mine = make_round(council)
    answered = make_round(council)
    answer(council, answered, "member2", AnswerKind.CONSENT)
    coalition_only = make_round(council)
    closed = make_round(council)
    services.withdraw_proposal(proposal=closed.proposal, by=None)

    assert list(selectors.awaiting_answer(council.persons["member2"])) == [mine, coalition_only]
    assert list(selectors.awaiting_answer(council.persons["broad_partner"])) == []
    assert list(selectors.awaiting_answer(council.persons["member2"], now=in_days(30))) == []


def test_proposals_by_state_and_the_register(council):
    draft = make_proposal(council, state=ProposalState.DRAFT)
    open_round = make_round(council)
    adopted = _adopted(council)
    grouped = selectors.proposals_by_state(council.network)
    assert grouped[ProposalState.DRAFT] == [draft]
    assert grouped[ProposalState.CONSENT_ROUND] == [open_round.proposal]
    assert grouped[ProposalState.CONSENT_ROUND][0].open_deadline == open_round.deadline
    assert grouped[ProposalState.ADOPTED] == [adopted]
    assert list(selectors.decision_register(council.network)) == [adopted]
    assert selectors.proposal_in(council.network, adopted.pk) == adopted
    with pytest.raises(type(adopted).DoesNotExist):
        selectors.proposal_in(council.other_network, adopted.pk)


def test_proposals_about_a_subject_are_those_about_it_and_no_other(council):
    library, club = make_partnership(council.network, "Library"), make_partnership(council.network, "Club")
    first = make_proposal(council, state=ProposalState.DRAFT, kind=ProposalKind.ADMIT_PARTNER, subject=library)
    second = make_proposal(council, state=ProposalState.DRAFT, kind=ProposalKind.ADMIT_PARTNER, subject=library)
    make_proposal(council, state=ProposalState.DRAFT)  # about nothing

    assert list(selectors.proposals_about(library)) == [second, first]  # newest first
    assert list(selectors.proposals_about(club)) == []


def test_pages_read_a_round_in_the_same_number_of_queries_at_1_10_and_100_answers(world):
    """The proposal page (proposal, versions, questions, reactions, rounds, progress) and the register."""
    voters = [make_person(world.network, Role.COALITION_MEMBER, login=False) for _ in range(101)]
    proposal = make_proposal(world, title="Many voices")
    services.ask_question(proposal=proposal, text="Why?", by=world.user("coordinator"))
    services.add_reaction(proposal=proposal, text="Yes.", by=world.user("broad_partner"))
    round = services.open_consent_round(proposal=proposal, deadline=in_days(7), by=world.user("coalition"))
    given = iter(voters)

    def grow(count: int) -> None:
        for _ in range(count):
            voter = next(given)
            services.submit_answer(
                round=round, kind=AnswerKind.OBJECTION, reason="Not yet", by=None, on_behalf_of=voter
            )
            services.submit_answer(round=round, kind=AnswerKind.CONSENT, by=None, on_behalf_of=voter)

    def proposal_page():
        page = selectors.proposal_in(world.network, proposal.pk)
        rows = [(v.number, v.created_by and v.created_by.full_name) for v in page.versions.all()] + [
            (q.asked_by.full_name, q.answered_by) for q in page.questions.all()
        ]
        rows += [(r.by.full_name, r.is_advice) for r in page.reactions.all()]
        for each in page.rounds.all():
            rows.append((each.version.number, each.opened_by.full_name if each.opened_by else ""))
            progress = selectors.round_progress(each)
            rows += [(row.person.full_name, row.answer and row.answer.kind) for row in progress.rows]
        return rows

    def register():
        rows = []
        for decided in selectors.decision_register(world.network, states=[ProposalState.CONSENT_ROUND]):
            rows += [v.text for v in decided.versions.all()]
            for each in decided.rounds.all():
                rows += [(a.person.full_name, a.kind, a.is_current) for a in each.answers.all()]
        return rows

    assert_constant_queries(lambda: (proposal_page(), register()), grow, budget=13)


def test_the_database_keeps_one_current_answer_per_person_per_round(council):
    round = make_round(council)
    first = answer(council, round, "member2", AnswerKind.CONSENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(round=round, person=first.person, version=round.version, kind=AnswerKind.OBJECTION)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRound.objects.create(
            proposal=round.proposal, number=2, version=round.version, quorum=1, deadline=in_days(1)
        )
