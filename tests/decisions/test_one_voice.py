"""One voice per organisation: a partner organisation's representative answers for it, its deputy
only in the representative's place, and quorum and consents are counted in voices."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from decisions import selectors, services
from decisions.models import AnswerKind, ProposalState, RoundResult
from ecosystem.models import Role
from partners import services as partner_services
from tests.decisions.factories import answer, make_round
from tests.factories import make_partnership, make_person


@pytest.fixture
def voiced(council):
    """Klooz with the School speaking as one: member2 represents it, member3 is deputy, and the
    coalition persona is also affiliated with it. Two more members answer for themselves."""
    for name in ("member4", "member5"):
        council.persons[name] = make_person(council.network, Role.COALITION_MEMBER, name=name.title())
    school = make_partnership(council.network, "School")
    for persona in ("member2", "member3", "coalition"):
        partner_services.affiliate(person=council.persons[persona], organisation=school.organisation, by=None)
    partner_services.update_partnership(
        partnership=school, by=None, representative=council.persons["member2"], deputy=council.persons["member3"]
    )
    services.update_decision_settings(network=council.network, by=None, one_voice_per_organisation=True)
    council.school = school
    return council


def _seats(round):
    return {e.person.full_name: (e.voice_label, e.speaks_for_id) for e in round.electors.select_related("person")}


def test_the_organisation_has_one_seat_for_its_representative_and_one_for_its_deputy(voiced):
    round = make_round(voiced, by="coordinator")
    seats = _seats(round)
    assert seats["Member2 Person"] == ("School", None)
    assert seats["Member3 Person"] == ("School", voiced.persons["member2"].pk)
    assert "Coalition Person" not in seats  # spoken for by the School's representative
    assert round.electorate_size == 4  # coordinator, the School, member4, member5
    assert round.quorum == 2


def test_a_person_spoken_for_does_not_answer_themselves(voiced):
    round = make_round(voiced, by="coordinator")
    with pytest.raises(PermissionDenied):
        answer(voiced, round, "coalition", AnswerKind.CONSENT)


def test_the_deputy_answers_when_the_representative_has_not_and_it_says_for_whom(voiced):
    round = make_round(voiced, by="coordinator")
    given = answer(voiced, round, "member3", AnswerKind.OBJECTION, "Not on Wednesdays.")
    assert given.answered_for == voiced.persons["member2"]
    counted = selectors.counted_answers(round)
    assert [(a.person_id, a.kind) for a in counted] == [(voiced.persons["member3"].pk, AnswerKind.OBJECTION)]


def test_the_representatives_answer_comes_first_and_then_the_deputy_may_not_answer(voiced):
    round = make_round(voiced, by="coordinator")
    answer(voiced, round, "member3", AnswerKind.OBJECTION, "Not on Wednesdays.")
    answer(voiced, round, "member2", AnswerKind.CONSENT)
    counted = selectors.counted_answers(round)
    assert [(a.person_id, a.kind) for a in counted] == [(voiced.persons["member2"].pk, AnswerKind.CONSENT)]
    with pytest.raises(ValidationError):
        answer(voiced, round, "member3", AnswerKind.STAND_ASIDE)


def test_consents_are_counted_in_voices_not_persons(voiced):
    round = make_round(voiced, by="coordinator")
    answer(voiced, round, "member3", AnswerKind.CONSENT)  # the deputy first, then the representative too
    answer(voiced, round, "member2", AnswerKind.CONSENT)
    answer(voiced, round, "coordinator", AnswerKind.CONSENT)
    services.close_round(round=round, now=round.deadline)
    round.refresh_from_db()
    # Two persons of the School consented, but that is one voice besides the proposer: too few.
    assert round.result == RoundResult.NOT_ADOPTED
    assert round.answered_count == 2


def test_with_the_voices_of_others_the_decision_is_adopted(voiced):
    round = make_round(voiced, by="coordinator")
    for persona in ("member2", "member4", "member5", "coordinator"):
        answer(voiced, round, persona, AnswerKind.CONSENT)
    round.refresh_from_db()
    assert round.result == RoundResult.ADOPTED  # all four voices answered: the round closed itself
    assert round.proposal.state == ProposalState.ADOPTED


def test_the_progress_does_not_wait_for_a_deputy_whose_representative_answered(voiced):
    round = make_round(voiced, by="coordinator")
    answer(voiced, round, "member2", AnswerKind.CONSENT)
    waiting = {row.person.full_name for row in selectors.round_progress(round).not_answered}
    assert waiting == {"Coordinator Person", "Member4", "Member5"}
    assert not selectors.awaiting_answer(voiced.persons["member3"]).exists()
    assert selectors.awaiting_answer(voiced.persons["member4"]).exists()


def test_without_the_option_everyone_answers_for_themselves(voiced):
    services.update_decision_settings(network=voiced.network, by=None, one_voice_per_organisation=False)
    round = make_round(voiced, by="coordinator")
    assert round.electorate_size == 6
    assert all(label == "" for label, _speaks_for in _seats(round).values())


def test_the_proposals_list_counts_answered_voices_as_the_electorate_does(voiced):
    """Bug: the list counted persons ("2 of 4") where the electorate counts voices."""
    round = make_round(voiced, by="coordinator", title="Meet on Wednesdays")
    answer(voiced, round, "member3", AnswerKind.CONSENT)  # the School's deputy, then its representative
    answer(voiced, round, "member2", AnswerKind.CONSENT)
    client = voiced.client("coordinator")
    client.cookies["django_language"] = "en"
    listed = client.get(reverse("proposal_list", args=[voiced.network.slug]))
    assert "1 of 4 answered" in listed.content.decode()
    assert selectors.open_round_progress(voiced.network) == {round.proposal_id: 1}
