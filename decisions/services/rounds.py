"""Consent rounds: opened, answered, closed and decided (the rule is in the package's docstring)."""

from __future__ import annotations

import datetime
import functools
import math
from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from decisions import effects, notifications, selectors, voices
from decisions.lifecycle import STEPS
from decisions.models import (
    CONSENTING,
    Answer,
    AnswerKind,
    ConsentRound,
    Elector,
    Proposal,
    ProposalState,
    RoundReason,
    RoundResult,
)
from decisions.services._common import (
    _actor,
    _end_round,
    _lock_proposal,
    _lock_round,
    _move,
    _require_proposer_or_manager,
)
from ecosystem.lifecycle import require_step
from ecosystem.models import Person, User
from ecosystem.permissions import (
    TAKE_PART_IN_DECISIONS,
    require_unless_system,
)


@transaction.atomic
def open_consent_round(
    *, proposal: Proposal, deadline: datetime.datetime, by: User | None, hide_answers_until_close: bool = False
) -> ConsentRound:
    """questions / reactions → consent_round on the current version, until ``deadline``.

    Before: the proposer or a coordinator acts; the deadline is in the future; at least two persons
    besides the proposer are eligible (else adoption is impossible). After: the electorate and the
    quorum are fixed for this round, and everyone eligible has been sent the link to the answer form.
    """
    proposal = _lock_proposal(proposal)
    actor = _require_proposer_or_manager(by, proposal)
    require_step(STEPS, "open_round", proposal.state)
    return _open_round(
        proposal, deadline=deadline, by=actor, hide_answers_until_close=hide_answers_until_close, now=timezone.now()
    )


def _open_round(
    proposal: Proposal,
    *,
    deadline: datetime.datetime,
    by: Person | None,
    hide_answers_until_close: bool,
    now: datetime.datetime,
) -> ConsentRound:
    if deadline <= now:
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    eligible = selectors.eligible_voters(proposal.network, proposal.electorate)
    decision_settings = selectors.decision_settings_for(proposal.network)
    seats = voices.seats(proposal.network, eligible, one_voice=decision_settings.one_voice_per_organisation)
    voice_of = {seat.person_id: seat.voice for seat in seats}
    all_voices = set(voice_of.values())
    others = len(all_voices - {voice_of.get(proposal.proposer_id)})
    if others < 2:
        raise ValidationError(
            _(
                "A decision needs at least two persons besides the proposer who can answer; "
                "this electorate has %(count)s."
            )
            % {"count": others}
        )
    fraction = decision_settings.quorum_fraction
    previous = proposal.rounds.aggregate(last=Max("number"))["last"] or 0
    round = ConsentRound.objects.create(
        proposal=proposal,
        number=previous + 1,
        version=selectors.latest_version(proposal),
        quorum=max(1, math.ceil(fraction * len(all_voices))),
        electorate_size=len(all_voices),  # in voices: persons, or organisations speaking as one
        hide_answers_until_close=hide_answers_until_close,
        opened_at=now,
        opened_by=by,
        deadline=deadline,
    )
    Elector.objects.bulk_create(
        [
            Elector(
                round=round,
                person_id=seat.person_id,
                role=seat.role,
                voice=seat.voice,
                voice_label=seat.voice_label,
                speaks_for_id=seat.speaks_for_id,
            )
            for seat in seats
        ]
    )
    _move(proposal, ProposalState.CONSENT_ROUND, by=by, now=now)
    notifications.round_opened(round)
    return round


@transaction.atomic
def submit_answer(
    *, round: ConsentRound, kind: str, by: User | None, reason: str = "", on_behalf_of: Person | None = None
) -> Answer:
    """Answer in a round: consent, consent with a concern, objection (with its reason) or stand aside.

    Before: the person is in the round's electorate and may take part in the network (funders and
    observers never may); the round is open and its deadline has not passed; an objection has a
    reason, a concern says what it is. After: this answer is the person's only current one in the
    round (an earlier one stays, not current); when everyone eligible has answered, the round closes.

    The proposal and round rows are locked, so submissions for one round (also the same person's
    from two devices at once) take turns; the database keeps one current answer per person besides.
    """
    require_unless_system(by, TAKE_PART_IN_DECISIONS, round.proposal.network)
    person = _actor(by, on_behalf_of)
    proposal = _lock_proposal(round.proposal)
    round = _lock_round(round.pk)
    elector = Elector.objects.filter(round=round, person=person).select_related("speaks_for").first()
    if elector is None:
        raise PermissionDenied(_("You are not among those who answer in this round."))
    now = timezone.now()
    require_step(STEPS, "answer", proposal.state)
    if round.closed_at is not None:  # an earlier round: the proposal is in a new one since a new version
        raise ValidationError(STEPS["answer"].refusal, code="invalid_state")
    if now >= round.deadline:
        raise ValidationError(_("The deadline of this round has passed; answers are no longer accepted."))
    if kind not in AnswerKind.values:
        raise ValidationError({"kind": _("Choose your answer.")})
    reason = (reason or "").strip()
    if kind == AnswerKind.OBJECTION and not reason:
        raise ValidationError({"reason": _("An objection needs a reason: why is the proposal not safe enough to try?")})
    if kind == AnswerKind.CONCERN and not reason:
        raise ValidationError({"reason": _("Say what your concern is.")})
    if (
        elector.speaks_for_id is not None
        and Answer.objects.filter(round=round, person_id=elector.speaks_for_id, is_current=True).exists()
    ):
        raise ValidationError(
            _("%(person)s has answered for %(organisation)s already; a deputy answers only in their place.")
            % {"person": elector.speaks_for, "organisation": elector.voice_label}
        )
    current = Answer.objects.filter(round=round, person=person, is_current=True).first()
    if current is not None and current.kind == kind and current.reason == reason:
        return current  # the same answer sent twice (a double tap, a second device): nothing new
    if current is not None:
        Answer.objects.filter(pk=current.pk).update(is_current=False)
    answer = Answer.objects.create(
        round=round,
        person=person,
        version=round.version,
        kind=kind,
        reason=reason,
        created_at=now,
        answered_for_id=elector.speaks_for_id,
    )
    if len(selectors.counted_answers(round)) >= round.electorate_size:
        _close(proposal, round, now=now)
    return answer


@transaction.atomic
def close_round(*, round: ConsentRound, now: datetime.datetime | None = None) -> ConsentRound:
    """Close a round whose deadline has passed (or in which everyone answered) and decide.

    Idempotent: a closed round is returned as it is, nothing is done twice. See the package's
    docstring for the rule. An adoption is written together with the kind's effect in one savepoint
    (rolled back together when the effect refuses); the outcome is e-mailed to the electorate after
    commit.
    """
    _close_round(round, now=now or timezone.now())
    return ConsentRound.objects.get(pk=round.pk)


def _close_round(round: ConsentRound, *, now: datetime.datetime) -> bool:
    """Close the round if it is still open; whether this call closed it."""
    proposal = _lock_proposal(round.proposal)
    round = _lock_round(round.pk)
    if round.closed_at is not None:
        return False
    require_step(STEPS, "close_round", proposal.state)
    if now < round.deadline and len(selectors.counted_answers(round)) < round.electorate_size:
        raise ValidationError(_("This round stays open until its deadline, or until everyone has answered."))
    _close(proposal, round, now=now)
    return True


def _close(proposal: Proposal, round: ConsentRound, *, now: datetime.datetime) -> None:
    # In the site's language: the outcome and whatever the effect records (or refuses with) are stored.
    with translation.override(settings.LANGUAGE_CODE):
        _tally_and_decide(proposal, round, now=now)


def _tally_and_decide(proposal: Proposal, round: ConsentRound, *, now: datetime.datetime) -> None:
    answers = selectors.counted_answers(round)  # one per voice
    tally = Counter(answer.kind for answer in answers)
    proposer_voice = Elector.objects.filter(round=round, person_id=proposal.proposer_id).values_list("voice", flat=True)
    excluded = set(proposer_voice) or {voices.personal_voice(proposal.proposer_id)}
    consents_besides_proposer = sum(1 for a in answers if a.kind in CONSENTING and a.voice not in excluded)
    reasons: list[str] = []
    if tally[AnswerKind.OBJECTION]:
        reasons.append(RoundReason.OBJECTION)
    if len(answers) < round.quorum:
        reasons.append(RoundReason.QUORUM_MISSED)
    if consents_besides_proposer < 2:
        reasons.append(RoundReason.TOO_FEW_CONSENTS)
    round.answered_count = len(answers)
    round.consent_count = tally[AnswerKind.CONSENT]
    round.concern_count = tally[AnswerKind.CONCERN]
    round.objection_count = tally[AnswerKind.OBJECTION]
    round.stand_aside_count = tally[AnswerKind.STAND_ASIDE]
    decide = functools.partial(_decide, proposal, round, answers, consents_besides_proposer, now=now)
    if not reasons:
        try:
            # The adoption is written and the effect carried out in one savepoint: the effect sees
            # the decision really adopted, and if it refuses, both are rolled back together.
            with transaction.atomic():
                decide(RoundResult.ADOPTED, ProposalState.ADOPTED, reasons=[])
                effects.carry_out(proposal)
        except ValidationError as exc:
            proposal.refresh_from_db()  # as it was before the savepoint
            reasons.append(RoundReason.EFFECT_FAILED)
            round.effect_error = " ".join(exc.messages)
        else:
            notifications.round_closed(round)
            return
    if RoundReason.QUORUM_MISSED in reasons and RoundReason.OBJECTION not in reasons:
        decide(RoundResult.LAPSED, ProposalState.LAPSED, reasons=reasons)
    else:
        decide(RoundResult.NOT_ADOPTED, ProposalState.NOT_ADOPTED, reasons=reasons)
    notifications.round_closed(round)


def _decide(
    proposal: Proposal,
    round: ConsentRound,
    answers: list[Answer],
    consents_besides_proposer: int,
    result: str,
    state: str,
    *,
    reasons: list[str],
    now: datetime.datetime,
) -> None:
    """Write the round's result and the proposal's outcome (a review date when adopted)."""
    round.reasons = [str(reason) for reason in reasons]
    _end_round(round, result=result, now=now)
    if result == RoundResult.ADOPTED:
        today = timezone.localdate(now)
        if proposal.review_date is None or proposal.review_date <= today:
            days = selectors.decision_settings_for(proposal.network).review_after_days
            proposal.review_date = today + datetime.timedelta(days=days)
    proposal.decided_at = now
    proposal.outcome = _outcome_statement(proposal, round, answers, consents_besides_proposer)
    _move(proposal, state, by=None, now=now)


def _outcome_statement(
    proposal: Proposal, round: ConsentRound, answers: list[Answer], consents_besides_proposer: int
) -> str:
    """The outcome in words (decisions/outcome_statement.txt), in the site's language as ``_close`` calls it."""
    return render_to_string(
        "decisions/outcome_statement.txt",
        {
            "proposal": proposal,
            "round": round,
            "date": formats.date_format(timezone.localtime(round.closed_at), "j F Y"),
            "review_date": formats.date_format(proposal.review_date, "j F Y") if proposal.review_date else "",
            "objections": [a for a in answers if a.kind == AnswerKind.OBJECTION],
            "concerns": [a for a in answers if a.kind == AnswerKind.CONCERN],
            "consents_besides_proposer": consents_besides_proposer,
        },
    ).strip()
