"""The rules that must never break, over random sequences of answers, changes, new versions and closings.

Hypothesis gives a network an electorate of random size and a random quorum, a proposal for the coalition or the whole
network, and then plays a random sequence of steps through the services, as the persons
themselves (funders included, who are always refused). After every step:

- never adopted with a standing objection;
- never adopted without the quorum, or without two consents besides the proposer;
- every round closed the way the rule says (adopted / not adopted / lapsed), from its answers;
- always exactly one current answer per person who answered in a round, on the round's version;
- only persons of the round's electorate answered; at most one round open, and only in a round.

Some examples let a partner organisation speak with one voice (a representative, sometimes a deputy,
members spoken for): then quorum, objections and consents are counted in voices, the
representative's answer before the deputy's, and the rule above is checked in those terms.

Each example runs in a savepoint that is rolled back, so examples do not see each other's data.
"""

from __future__ import annotations

import contextlib
import math
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from hypothesis import given, settings
from hypothesis import strategies as st

from decisions import selectors, services
from decisions.models import (
    CONSENTING,
    Answer,
    AnswerKind,
    ConsentRound,
    Elector,
    Electorate,
    Proposal,
    ProposalState,
    RoundResult,
)
from ecosystem import services as ecosystem_services
from ecosystem.models import Role
from partners import services as partner_services
from tests.decisions.factories import in_days
from tests.factories import make_network, make_partnership, make_person

answers = st.tuples(st.just("answer"), st.integers(0, 9), st.sampled_from(AnswerKind.values), st.booleans())
# An answer by the organisation's representative (True) or deputy (False), when it has them.
speaking = st.tuples(st.just("speak"), st.booleans(), st.sampled_from(AnswerKind.values), st.booleans())
steps = st.lists(
    st.one_of(
        answers,
        answers,
        answers,  # answers are the common step
        speaking,
        speaking,
        st.tuples(st.just("close_at_deadline")),
        st.tuples(st.just("close_now")),
        st.tuples(st.just("new_version"), st.booleans()),
        st.tuples(st.just("open_round")),
        st.tuples(st.just("withdraw"), st.integers(0, 3)),  # withdrawn when 0: now and then
    ),
    min_size=5,
    max_size=40,
)
REFUSED = (ValidationError, PermissionDenied)
# One voice per organisation, or not (None): the cast indexes of its representative, its deputy (or
# None) and the persons affiliated with it (spoken for, unless they are one of the two). Speakers are
# drawn among the proposer, the coordinator and the coalition members, so that they often answer.
speaker = st.integers(0, 5)
organisations = st.one_of(
    st.none(),
    st.tuples(speaker, st.one_of(st.none(), speaker), st.lists(st.integers(0, 7), max_size=4, unique=True)),
    st.tuples(speaker, speaker, st.lists(st.integers(0, 7), max_size=4, unique=True)),
).filter(lambda drawn: drawn is None or drawn[0] != drawn[1])


def _cast() -> list:
    """One network with the largest cast: the proposer, a coordinator, four more coalition members,
    two broad partners and a funder. Each example ends some roles to get its own electorate."""
    network = make_network()
    persons = [make_person(network, Role.COALITION_MEMBER), make_person(network, Role.COORDINATOR)]
    persons += [make_person(network, Role.COALITION_MEMBER) for _ in range(4)]
    persons += [make_person(network, Role.BROAD_PARTNER) for _ in range(2)]
    persons.append(make_person(network, Role.FUNDER))
    return persons


def _build(
    persons: list, coalition_members: int, broad_partners: int, quorum: str, electorate: str, organisation
) -> Proposal:
    proposer = persons[0]
    network = proposer.memberships.get().network
    leaving = persons[2 + coalition_members : 6] + persons[6 + broad_partners : 8]
    for person in leaving:  # still in the cast: they try to answer and are refused
        ecosystem_services.end_role(membership=person.memberships.get(), by=None)
    services.update_decision_settings(
        network=network, by=None, quorum_fraction=Decimal(quorum), one_voice_per_organisation=organisation is not None
    )
    if organisation is not None:
        representative, deputy, members = organisation
        school = make_partnership(network, "School")
        for index in {representative, *members} | ({deputy} if deputy is not None else set()):
            partner_services.affiliate(person=persons[index], organisation=school.organisation, by=None)
        partner_services.update_partnership(
            partnership=school,
            by=None,
            representative=persons[representative],
            deputy=persons[deputy] if deputy is not None else None,
        )
    proposal = services.create_proposal(
        network=network,
        title="Meet on Wednesdays",
        driver="No place",
        text="v1",
        electorate=electorate,
        by=proposer.user,
    )
    services.start_questions(proposal=proposal, by=proposer.user)
    services.start_reactions(proposal=proposal, by=proposer.user)
    return proposal


def _counted(round: ConsentRound, current: list[Answer]) -> dict[str, Answer]:
    """The answer that counts for each voice, written a second time: a seat without ``speaks_for``
    (a person's own, or the representative's) before the deputy's."""
    seats = {e.person_id: e for e in Elector.objects.filter(round=round)}
    by_voice: dict[str, Answer] = {}
    for answer in sorted(current, key=lambda a: seats[a.person_id].speaks_for_id is not None):
        by_voice.setdefault(seats[answer.person_id].voice, answer)
    return by_voice


def _proposer_voice(round: ConsentRound, proposer_id: int) -> str:
    seat = Elector.objects.filter(round=round, person_id=proposer_id).first()
    return seat.voice if seat is not None else f"person:{proposer_id}"


def _expected_result(round: ConsentRound, counted: dict[str, Answer], proposer_voice: str, fraction: Decimal) -> str:
    """The rule, written a second time and independently of the service, in voices."""
    objected = any(a.kind == AnswerKind.OBJECTION for a in counted.values())
    voices = set(Elector.objects.filter(round=round).values_list("voice", flat=True))
    quorum = max(1, math.ceil(fraction * len(voices)))
    consents = sum(1 for voice, a in counted.items() if a.kind in CONSENTING and voice != proposer_voice)
    if not objected and len(counted) >= quorum and consents >= 2:
        return RoundResult.ADOPTED
    if not objected and len(counted) < quorum:
        return RoundResult.LAPSED
    return RoundResult.NOT_ADOPTED


def _check_invariants(proposal: Proposal, fraction: Decimal) -> None:
    proposal = Proposal.objects.get(pk=proposal.pk)
    rounds = list(proposal.rounds.order_by("number"))
    for round in rounds:
        all_answers = Answer.objects.filter(round=round)
        current = list(all_answers.filter(is_current=True))
        electorate = set(Elector.objects.filter(round=round).values_list("person_id", flat=True))
        voices = set(Elector.objects.filter(round=round).values_list("voice", flat=True))

        per_person = dict(all_answers.values("person_id").annotate(n=Count("id")).values_list("person_id", "n"))
        current_per_person = dict(
            all_answers.filter(is_current=True)
            .values("person_id")
            .annotate(n=Count("id"))
            .values_list("person_id", "n")
        )
        assert set(current_per_person) == set(per_person), "everyone who answered has a current answer"
        assert set(current_per_person.values()) <= {1}, "exactly one current answer per person per round"
        assert set(per_person) <= electorate, "only the electorate answers"
        assert all(a.version_id == round.version_id for a in current), "answers refer to the round's version"
        assert round.quorum == max(1, math.ceil(fraction * len(voices)))
        assert round.electorate_size == len(voices)

        counted = _counted(round, current)
        proposer_voice = _proposer_voice(round, proposal.proposer_id)
        assert {a.voice: a.pk for a in selectors.counted_answers(round)} == {v: a.pk for v, a in counted.items()}
        if round.result == RoundResult.ADOPTED:
            assert not any(a.kind == AnswerKind.OBJECTION for a in counted.values()), "adopted with an objection"
            assert len(counted) >= round.quorum, "adopted without the quorum"
            consents = [a for v, a in counted.items() if a.kind in CONSENTING and v != proposer_voice]
            assert len(consents) >= 2, "adopted without two consents besides the proposer"
        if round.result in (RoundResult.ADOPTED, RoundResult.NOT_ADOPTED, RoundResult.LAPSED):
            assert round.result == _expected_result(round, counted, proposer_voice, fraction)
            assert round.answered_count == len(counted), "the tally counts voices"
            kinds = [a.kind for a in counted.values()]
            assert (round.consent_count, round.objection_count) == (
                kinds.count(AnswerKind.CONSENT),
                kinds.count(AnswerKind.OBJECTION),
            )

    open_rounds = [r for r in rounds if r.closed_at is None]
    assert len(open_rounds) <= 1
    assert bool(open_rounds) == (proposal.state == ProposalState.CONSENT_ROUND)
    adopted = [r for r in rounds if r.result == RoundResult.ADOPTED]
    assert len(adopted) <= 1
    assert bool(adopted) == (proposal.state == ProposalState.ADOPTED)
    if adopted:
        assert adopted[0] == rounds[-1]


def _snapshot(proposal: Proposal) -> tuple:
    return (
        Proposal.objects.filter(pk=proposal.pk).values_list("state", "outcome").get(),
        list(ConsentRound.objects.filter(proposal=proposal).order_by("pk").values_list("pk", "closed_at", "result")),
        list(Answer.objects.filter(round__proposal=proposal).order_by("pk").values_list("pk", "is_current")),
        proposal.versions.count(),
    )


def _play(step: tuple, proposal: Proposal, persons: list, counter: list[int], organisation) -> None:
    proposal = Proposal.objects.get(pk=proposal.pk)
    proposer = proposal.proposer
    open_round = proposal.rounds.filter(closed_at__isnull=True).first()
    action = step[0]
    if action == "speak" and organisation is not None:
        _, representative, kind, with_reason = step
        speaker = organisation[0] if representative else organisation[1]
        action, step = "answer", ("answer", speaker if speaker is not None else organisation[0], kind, with_reason)
    if action == "answer" and open_round is not None:
        _, who, kind, with_reason = step
        person = persons[who % len(persons)]
        services.submit_answer(round=open_round, kind=kind, reason="Because" if with_reason else "", by=person.user)
    elif action == "close_at_deadline" and open_round is not None:
        services.close_round(round=open_round, now=open_round.deadline)
    elif action == "close_now" and open_round is not None:
        services.close_round(round=open_round)
    elif action == "new_version":
        counter[0] += 1
        deadline = in_days(7) if step[1] else None
        services.new_version(proposal=proposal, text=f"v{counter[0]}", deadline=deadline, by=proposer.user)
    elif action == "open_round":
        services.open_consent_round(proposal=proposal, deadline=in_days(7), by=proposer.user)
    elif action == "withdraw" and step[1] == 0:
        services.withdraw_proposal(proposal=proposal, by=proposer.user)


@pytest.mark.django_db
def test_consent_rules_hold_over_random_sequences():
    persons = _cast()

    @settings(max_examples=60, deadline=None, database=None)
    @given(
        coalition_members=st.integers(0, 4),
        broad_partners=st.integers(0, 2),
        quorum=st.sampled_from(["0.25", "0.50", "0.75", "1.00"]),
        electorate=st.sampled_from(Electorate.values),
        organisation=organisations,
        script=steps,
    )
    def run(coalition_members, broad_partners, quorum, electorate, organisation, script):
        with transaction.atomic():
            proposal = _build(persons, coalition_members, broad_partners, quorum, electorate, organisation)
            fraction = Decimal(quorum)
            counter = [1]
            # Refused with too few persons besides the proposer: then every step below is refused too.
            with contextlib.suppress(ValidationError):
                services.open_consent_round(proposal=proposal, deadline=in_days(7), by=proposal.proposer.user)
            _check_invariants(proposal, fraction)
            for step in script:
                before = _snapshot(proposal)
                try:
                    with transaction.atomic():
                        _play(step, proposal, persons, counter, organisation)
                except REFUSED:
                    assert _snapshot(proposal) == before, f"a refused {step[0]} changed something"
                _check_invariants(proposal, fraction)
            transaction.set_rollback(True)

    run()
