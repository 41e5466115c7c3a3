"""One current answer per person per round, also when many submit at the same moment.

200 submissions by 50 persons (four each, the same person's often at the same instant, as from a
phone and a laptop) run in parallel threads, each with its own database connection. Runs on
PostgreSQL (``.ci/run``) and on SQLite (a file database with the production options: see
``threaded_db`` in conftest.py).
"""

from __future__ import annotations

import random
import threading
from collections import deque

import pytest
from django.db.models import Count, Max

from decisions import services
from decisions.models import Answer, AnswerKind, ProposalState
from ecosystem.models import Role
from tests.decisions.factories import in_days
from tests.factories import make_network, make_person

PERSONS = 50
SUBMISSIONS_EACH = 4
THREADS = 24  # below PostgreSQL's default of 100 connections, with room for the rest of the suite
KINDS = [
    (AnswerKind.CONSENT, ""),
    (AnswerKind.CONCERN, "The room is small."),
    (AnswerKind.OBJECTION, "Not safe to try before the summer."),
    (AnswerKind.STAND_ASIDE, ""),
]


@pytest.mark.django_db(transaction=True)
def test_200_simultaneous_submissions_by_50_persons_leave_50_current_answers(threaded_db):
    network = make_network()
    proposer = make_person(network, Role.COORDINATOR)
    voters = [make_person(network, Role.COALITION_MEMBER) for _ in range(PERSONS)]
    # Two more who do not answer, so the round stays open (it closes when everyone has answered).
    quiet = [make_person(network, Role.COALITION_MEMBER) for _ in range(2)]
    proposal = services.create_proposal(network=network, title="Many at once", driver="D", text="T", by=proposer.user)
    services.start_questions(proposal=proposal, by=proposer.user)
    round = services.open_consent_round(proposal=proposal, deadline=in_days(1), by=proposer.user)
    assert round.electorate_size == PERSONS + 1 + len(quiet)

    # Each person's submissions side by side in the queue, so that different threads take them at once.
    rng = random.Random(5)
    queue = deque((voter, KINDS[(i + rng.randrange(4)) % 4]) for voter in voters for i in range(SUBMISSIONS_EACH))
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker() -> None:
        with threaded_db.thread():
            start.wait(timeout=60)  # every thread's first submission leaves at the same moment
            while True:
                try:
                    voter, (kind, reason) = queue.popleft()
                except IndexError:
                    return
                try:
                    services.submit_answer(round=round, kind=kind, reason=reason, by=voter.user)
                except BaseException as exc:  # anything a person would see as an error
                    errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)

    assert errors == []
    current = Answer.objects.filter(round=round, is_current=True)
    assert current.count() == PERSONS
    assert set(current.values_list("person_id", flat=True)) == {v.pk for v in voters}
    assert not current.values("person_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    # The latest submission of each person is the one that counts.
    latest = dict(
        Answer.objects.filter(round=round).values("person_id").annotate(last=Max("id")).values_list("person_id", "last")
    )
    assert set(current.values_list("pk", flat=True)) == set(latest.values())
    round.refresh_from_db()
    assert round.closed_at is None
    assert type(proposal).objects.get(pk=proposal.pk).state == ProposalState.CONSENT_ROUND
