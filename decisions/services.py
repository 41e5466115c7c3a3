"""Writes of consent decisions: one function per transition. Views, tasks, commands and tests call these.

Each service is atomic, checks the proposal's state and the acting user's rights before it changes
anything, locks what it changes, and records who and when. ``by=None`` means the system itself
(a task, ``seed_demo``); a service that acts *for* a person then names that person (``person=`` or
``proposer=``).

The life of a proposal::

    draft ──start_questions──▶ questions ──start_reactions──▶ reactions
                                   │                              │
                                   └──────open_consent_round──────┴──▶ consent_round ──close_round──▶ adopted
                                                                            │                         not_adopted
                                                                            │                         lapsed
    new_version: in draft, questions and reactions it revises the text; after a round that did not
    adopt (not_adopted), or during a round with an objection (the round is superseded), it brings the
    proposal back to reactions, or straight into a new round when given a deadline.
    withdraw_proposal: by the proposer, from any state that is not final.

Locks are always taken in the same order, proposal row first and then its open round, so that two
transitions on one proposal queue behind each other instead of deadlocking.

**Adopted, not adopted or lapsed** (decided by :func:`close_round`, at the deadline or as soon as
everyone eligible has answered):

- *adopted* when there is no standing objection, the quorum answered (``ceil(quorum_fraction ×
  electorate)``, fixed when the round opened; stand aside counts as an answer), at least two persons
  other than the proposer consented (consent with a concern counts as consent), and the kind's effect
  could be carried out;
- *lapsed* when the quorum was not reached and nobody objected: the deadline passed without enough
  people caring to answer; nothing to integrate, so the proposal ends (a new proposal may follow);
- *not adopted* otherwise (an objection, with or without the quorum; too few consents; the effect
  no longer possible): the proposer may integrate what was said into a new version.

An early close (everyone answered) always has the quorum, so a round lapses only at its deadline.
"""

from __future__ import annotations

import datetime
import logging
import math
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from decisions import effects, notifications, selectors, voices
from decisions.models import (
    CONSENTING,
    FINAL_STATES,
    Answer,
    AnswerKind,
    ClarifyingQuestion,
    ConsentRound,
    DecisionSettings,
    Delivery,
    Elector,
    Electorate,
    NotificationPreference,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposalVersion,
    Reaction,
    RoundReason,
    RoundResult,
)
from ecosystem.models import Network, Person, User
from ecosystem.permissions import (
    MANAGE_PROPOSALS,
    PROPOSE,
    TAKE_PART_IN_DECISIONS,
    acting_person,
    can,
    permissions_for_roles,
    require,
    require_unless_system,
    roles_in,
)

logger = logging.getLogger(__name__)

# A reminder goes out this long before the deadline (or halfway through a shorter round).
REMINDER_BEFORE = datetime.timedelta(hours=48)
SETTINGS_FIELDS = ("quorum_fraction", "one_voice_per_organisation", "review_after_days")


# --- Who acts -------------------------------------------------------------------------------------


def _acting_person(by: User | None, person: Person | None) -> Person:
    """The person who acts: the login's own person; for the system (``by=None``), the one it names."""
    if by is None:
        if person is None:
            raise TypeError("the system acts for a named person: pass the person")
        return person
    actor = acting_person(by)
    if actor is None or (person is not None and person.pk != actor.pk):
        raise PermissionDenied
    return actor


def _require_proposer(by: User | None, proposal: Proposal) -> Person | None:
    """Only the proposer (who may still propose in this network), or the system."""
    if by is None:
        return None
    require(by, PROPOSE, proposal.network)
    actor = acting_person(by)
    if actor is None or actor.pk != proposal.proposer_id:
        raise PermissionDenied(_("Only the proposer can do this."))
    return actor


def _require_proposer_or_manager(by: User | None, proposal: Proposal) -> Person | None:
    """The proposer, or someone who manages proposals on behalf of the network (a coordinator)."""
    if by is None:
        return None
    actor = acting_person(by)
    if can(by, MANAGE_PROPOSALS, proposal.network):
        return actor
    return _require_proposer(by, proposal)


# --- Locks and state ------------------------------------------------------------------------------


def _lock_proposal(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("network", "proposer").get(pk=proposal.pk)


def _lock_round(round_id: int) -> ConsentRound:
    return ConsentRound.objects.select_for_update(of=("self",)).select_related("version").get(pk=round_id)


def _locked_open_round(proposal: Proposal) -> ConsentRound | None:
    """The proposal's open round, locked. Call with the proposal already locked."""
    round_id = proposal.rounds.filter(closed_at__isnull=True).values_list("pk", flat=True).first()
    return _lock_round(round_id) if round_id is not None else None


def _require_state(proposal: Proposal, allowed: set[str] | frozenset[str], message: str) -> None:
    if proposal.state not in allowed:
        raise ValidationError(message, code="invalid_state")


def _move(proposal: Proposal, to_state: str, *, by: Person | None, now: datetime.datetime) -> None:
    proposal.state = to_state
    proposal.state_changed_at = now
    proposal.state_changed_by = by
    proposal.save()


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- Proposals --------------------------------------------------------------------------------------


@transaction.atomic
def create_proposal(
    *,
    network: Network,
    title: str,
    driver: str,
    text: str,
    by: User | None,
    kind: str = ProposalKind.GENERAL,
    electorate: str = Electorate.COALITION,
    subject: Any = None,
    effect_params: dict | None = None,
    review_date: datetime.date | None = None,
    proposer: Person | None = None,
) -> Proposal:
    """Make a proposal in draft, with its text as version 1.

    Before: ``by`` may propose in the network (a coordinator or coalition member); for the system,
    ``proposer`` holds such a role. The subject, if any, belongs to the same network; the kind's
    effect accepts the subject and ``effect_params``. After: a draft that only its readers see
    being prepared; nobody is notified yet.
    """
    require_unless_system(by, PROPOSE, network)
    person = _acting_person(by, proposer)
    if by is None and PROPOSE not in permissions_for_roles(roles_in(person, network)):
        raise ValidationError(_("The proposer must be a coordinator or coalition member of this network."))
    text = _text(text, "text", _("Write the proposal."))
    params = dict(effect_params or {})
    if review_date is not None and review_date <= timezone.localdate():
        raise ValidationError({"review_date": _("The review date must be in the future.")})
    if subject is not None and getattr(subject, "network", None) != network:
        raise ValidationError(_("A proposal can only be about something of its own network."))
    proposal = Proposal(
        network=network,
        title=(title or "").strip(),
        driver=(driver or "").strip(),
        kind=kind,
        electorate=electorate,
        proposer=person,
        effect_params=params,
        review_date=review_date,
        state=ProposalState.DRAFT,
        state_changed_by=person,
    )
    if subject is not None:
        proposal.content_type = ContentType.objects.get_for_model(subject)
        proposal.object_id = subject.pk
    proposal.full_clean(exclude=["network", "proposer", "state_changed_by", "content_type"])
    effects.check_effect(kind=kind, network=network, subject=subject, params=params)
    proposal.save()
    ProposalVersion.objects.create(proposal=proposal, number=1, text=text, created_by=person)
    return proposal


@transaction.atomic
def start_questions(*, proposal: Proposal, by: User | None) -> Proposal:
    """draft → questions: the electorate may now ask clarifying questions. By the proposer or a coordinator."""
    proposal = _lock_proposal(proposal)
    actor = _require_proposer_or_manager(by, proposal)
    _require_state(proposal, {ProposalState.DRAFT}, _("Only a draft can be opened for clarifying questions."))
    _move(proposal, ProposalState.QUESTIONS, by=actor, now=timezone.now())
    return proposal


@transaction.atomic
def start_reactions(*, proposal: Proposal, by: User | None) -> Proposal:
    """questions → reactions: everyone taking part may now react (broad partners as advice)."""
    proposal = _lock_proposal(proposal)
    actor = _require_proposer_or_manager(by, proposal)
    _require_state(proposal, {ProposalState.QUESTIONS}, _("Reactions open after the round of clarifying questions."))
    _move(proposal, ProposalState.REACTIONS, by=actor, now=timezone.now())
    return proposal


@transaction.atomic
def new_version(
    *,
    proposal: Proposal,
    text: str,
    by: User | None,
    change_note: str = "",
    deadline: datetime.datetime | None = None,
    hide_answers_until_close: bool = False,
) -> ProposalVersion:
    """The proposer writes a new version of the text.

    Before: the proposer acts; the proposal is in draft, questions or reactions (the text is revised,
    the state stays), or not adopted after a round, or in a round in which someone objects (that
    round ends as superseded: answers count only for the version they were given on). After: the
    new version is the current text; from a round or after one, the proposal is back in reactions,
    or, with ``deadline``, in a new round on this version, everyone eligible notified again.
    """
    proposal = _lock_proposal(proposal)
    actor = _require_proposer(by, proposal)
    _require_state(
        proposal,
        {
            ProposalState.DRAFT,
            ProposalState.QUESTIONS,
            ProposalState.REACTIONS,
            ProposalState.CONSENT_ROUND,
            ProposalState.NOT_ADOPTED,
        },
        _("This proposal has ended; it can no longer get a new version."),
    )
    text = _text(text, "text", _("Write the new version."))
    latest = selectors.latest_version(proposal)
    if text == latest.text.strip():
        raise ValidationError({"text": _("The new version is the same as the current one.")})
    if deadline is not None and proposal.state == ProposalState.DRAFT:
        raise ValidationError(_("A draft goes through clarifying questions before a consent round."))
    now = timezone.now()
    current_round = _locked_open_round(proposal)
    if current_round is not None:
        has_objection = Answer.objects.filter(round=current_round, is_current=True, kind=AnswerKind.OBJECTION).exists()
        if not has_objection:
            raise ValidationError(_("While a consent round is open, a new version can only integrate an objection."))
    version = ProposalVersion.objects.create(
        proposal=proposal,
        number=latest.number + 1,
        text=text,
        change_note=change_note.strip(),
        created_by=actor or proposal.proposer,
        created_at=now,
    )
    if current_round is not None:
        _end_round(current_round, result=RoundResult.SUPERSEDED, now=now)
    if proposal.state in (ProposalState.CONSENT_ROUND, ProposalState.NOT_ADOPTED):
        _move(proposal, ProposalState.REACTIONS, by=actor, now=now)
    if deadline is not None:
        _open_round(proposal, deadline=deadline, by=actor, hide_answers_until_close=hide_answers_until_close, now=now)
    return version


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, by: User | None, reason: str = "") -> Proposal:
    """The proposer withdraws the proposal. An open round ends (its electorate is told); nothing is deleted."""
    proposal = _lock_proposal(proposal)
    actor = _require_proposer(by, proposal)
    _require_state(
        proposal,
        set(ProposalState.values) - FINAL_STATES,
        _("This proposal has ended already; it can no longer be withdrawn."),
    )
    now = timezone.now()
    current_round = _locked_open_round(proposal)
    with translation.override(settings.LANGUAGE_CODE):
        statement = _("Withdrawn on %(date)s by %(proposer)s.") % {
            "date": formats.date_format(timezone.localtime(now), "j F Y"),
            "proposer": proposal.proposer.full_name,
        }
    if reason.strip():
        statement += "\n" + reason.strip()
    proposal.outcome = statement
    _move(proposal, ProposalState.WITHDRAWN, by=actor, now=now)
    if current_round is not None:
        _end_round(current_round, result=RoundResult.WITHDRAWN, now=now)
        notifications.round_closed(current_round)
    return proposal


@transaction.atomic
def set_review_date(*, proposal: Proposal, review_date: datetime.date, by: User | None) -> Proposal:
    """Move an adopted decision's review date (after a review, or to bring it forward). A coordinator."""
    require_unless_system(by, MANAGE_PROPOSALS, proposal.network)
    proposal = _lock_proposal(proposal)
    _require_state(proposal, {ProposalState.ADOPTED}, _("Only an adopted decision has a review date."))
    if review_date < timezone.localdate():
        raise ValidationError({"review_date": _("The review date cannot be in the past.")})
    proposal.review_date = review_date
    proposal.save(update_fields=["review_date", "updated_at"])
    return proposal


# --- Questions and reactions ----------------------------------------------------------------------


@transaction.atomic
def ask_question(*, proposal: Proposal, text: str, by: User | None, person: Person | None = None) -> ClarifyingQuestion:
    """Ask the proposer a clarifying question, during questions or reactions. Anyone taking part."""
    require_unless_system(by, TAKE_PART_IN_DECISIONS, proposal.network)
    asker = _acting_person(by, person)
    proposal = _lock_proposal(proposal)
    _require_state(
        proposal,
        {ProposalState.QUESTIONS, ProposalState.REACTIONS},
        _("Clarifying questions can be asked before the consent round."),
    )
    return ClarifyingQuestion.objects.create(
        proposal=proposal,
        version=selectors.latest_version(proposal),
        asked_by=asker,
        text=_text(text, "text", _("Write your question.")),
    )


@transaction.atomic
def answer_question(*, question: ClarifyingQuestion, answer: str, by: User | None) -> ClarifyingQuestion:
    """The proposer answers a clarifying question, once, while the proposal is under way."""
    proposal = _lock_proposal(question.proposal)
    actor = _require_proposer(by, proposal)
    question = ClarifyingQuestion.objects.select_for_update().get(pk=question.pk)
    _require_state(
        proposal,
        {
            ProposalState.QUESTIONS,
            ProposalState.REACTIONS,
            ProposalState.CONSENT_ROUND,
            ProposalState.NOT_ADOPTED,
        },
        _("This proposal has ended; its questions can no longer be answered."),
    )
    if question.answered_at is not None:
        raise ValidationError(_("This question has been answered already."))
    question.answer = _text(answer, "answer", _("Write your answer."))
    question.answered_by = actor or proposal.proposer
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    return question


@transaction.atomic
def add_reaction(*, proposal: Proposal, text: str, by: User | None, person: Person | None = None) -> Reaction:
    """React to the proposal during reactions. Anyone taking part; from outside the electorate
    (a broad partner on a coalition decision) the reaction is advice."""
    require_unless_system(by, TAKE_PART_IN_DECISIONS, proposal.network)
    reactor = _acting_person(by, person)
    proposal = _lock_proposal(proposal)
    _require_state(proposal, {ProposalState.REACTIONS}, _("Reactions are given in the reactions phase."))
    return Reaction.objects.create(
        proposal=proposal,
        version=selectors.latest_version(proposal),
        by=reactor,
        text=_text(text, "text", _("Write your reaction.")),
        is_advice=not selectors.in_electorate(reactor, proposal),
    )


# --- Consent rounds ---------------------------------------------------------------------------------


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
    _require_state(
        proposal,
        {ProposalState.QUESTIONS, ProposalState.REACTIONS},
        _("A consent round opens after the clarifying questions or the reactions."),
    )
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
    *, round: ConsentRound, kind: str, by: User | None, reason: str = "", person: Person | None = None
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
    person = _acting_person(by, person)
    proposal = _lock_proposal(round.proposal)
    round = _lock_round(round.pk)
    elector = Elector.objects.filter(round=round, person=person).select_related("speaks_for").first()
    if elector is None:
        raise PermissionDenied(_("You are not among those who answer in this round."))
    now = timezone.now()
    if round.closed_at is not None:
        raise ValidationError(_("This consent round has closed; answers are no longer accepted."))
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

    Idempotent: a closed round is returned as it is, nothing is done twice. See the module's
    docstring for the rule; the adoption and the kind's effect happen in this one transaction,
    the effect in a savepoint, and the outcome is e-mailed to the electorate after commit.
    """
    _close_round(round, now=now or timezone.now())
    return ConsentRound.objects.get(pk=round.pk)


def _close_round(round: ConsentRound, *, now: datetime.datetime) -> bool:
    """Close the round if it is still open; whether this call closed it."""
    proposal = _lock_proposal(round.proposal)
    round = _lock_round(round.pk)
    if round.closed_at is not None:
        return False
    if now < round.deadline and len(selectors.counted_answers(round)) < round.electorate_size:
        raise ValidationError(_("This round stays open until its deadline, or until everyone has answered."))
    _close(proposal, round, now=now)
    return True


def _close(proposal: Proposal, round: ConsentRound, *, now: datetime.datetime) -> None:
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
    with translation.override(settings.LANGUAGE_CODE):
        if not reasons:
            # The effect sees the decision as adopted (a service such as admit_to_core insists on
            # it); if the effect turns out impossible, the proposal is not adopted after all.
            previous_state, proposal.state = proposal.state, ProposalState.ADOPTED
            try:
                effects.carry_out(proposal)
            except ValidationError as exc:
                proposal.state = previous_state
                reasons.append(RoundReason.EFFECT_FAILED)
                round.effect_error = " ".join(exc.messages)
            else:
                proposal.state = previous_state  # _move below records the transition itself
        if not reasons:
            result, state = RoundResult.ADOPTED, ProposalState.ADOPTED
        elif RoundReason.QUORUM_MISSED in reasons and RoundReason.OBJECTION not in reasons:
            result, state = RoundResult.LAPSED, ProposalState.LAPSED
        else:
            result, state = RoundResult.NOT_ADOPTED, ProposalState.NOT_ADOPTED
        round.reasons = [str(reason) for reason in reasons]
        round.answered_count = len(answers)
        round.consent_count = tally[AnswerKind.CONSENT]
        round.concern_count = tally[AnswerKind.CONCERN]
        round.objection_count = tally[AnswerKind.OBJECTION]
        round.stand_aside_count = tally[AnswerKind.STAND_ASIDE]
        _end_round(round, result=result, now=now)
        if result == RoundResult.ADOPTED:
            today = timezone.localdate(now)
            if proposal.review_date is None or proposal.review_date <= today:
                days = selectors.decision_settings_for(proposal.network).review_after_days
                proposal.review_date = today + datetime.timedelta(days=days)
        proposal.decided_at = now
        proposal.outcome = _outcome_statement(proposal, round, answers, consents_besides_proposer)
    _move(proposal, state, by=None, now=now)
    notifications.round_closed(round)


def _end_round(round: ConsentRound, *, result: str, now: datetime.datetime) -> None:
    round.closed_at = now
    round.result = result
    round.save()


def _outcome_statement(
    proposal: Proposal, round: ConsentRound, answers: list[Answer], consents_besides_proposer: int
) -> str:
    """The outcome in words, in the site's language (call inside ``translation.override``)."""
    date = formats.date_format(timezone.localtime(round.closed_at), "j F Y")
    version = round.version.number
    if round.result == RoundResult.ADOPTED:
        lines = [_("Adopted on %(date)s, on version %(version)s.") % {"date": date, "version": version}]
    elif round.result == RoundResult.LAPSED:
        lines = [_("Lapsed on %(date)s: the deadline passed without the quorum.") % {"date": date}]
    else:
        lines = [_("Not adopted on %(date)s (version %(version)s).") % {"date": date, "version": version}]
    lines.append(
        _(
            "%(answered)s of %(size)s answered (quorum %(quorum)s). Consent: %(consent)s; consent with a "
            "concern: %(concern)s; objection: %(objection)s; stand aside: %(stand_aside)s."
        )
        % {
            "answered": round.answered_count,
            "size": round.electorate_size,
            "quorum": round.quorum,
            "consent": round.consent_count,
            "concern": round.concern_count,
            "objection": round.objection_count,
            "stand_aside": round.stand_aside_count,
        }
    )
    for answer in answers:
        if answer.kind == AnswerKind.OBJECTION:
            lines.append(
                _("Objection by %(person)s: %(reason)s") % {"person": answer.person.full_name, "reason": answer.reason}
            )
    if RoundReason.QUORUM_MISSED in round.reasons:
        lines.append(_("The quorum of %(quorum)s was not reached.") % {"quorum": round.quorum})
    if RoundReason.TOO_FEW_CONSENTS in round.reasons:
        lines.append(
            _("Fewer than two persons besides the proposer consented (%(count)s).")
            % {"count": consents_besides_proposer}
        )
    if RoundReason.EFFECT_FAILED in round.reasons:
        lines.append(_("The decision could not be carried out: %(error)s") % {"error": round.effect_error})
    concerns = [a for a in answers if a.kind == AnswerKind.CONCERN]
    if concerns:
        lines.append(_("Concerns, for the review:"))
        lines.extend(f"- {a.person.full_name}: {a.reason}" for a in concerns)
    lines.append(_("Proposed by %(proposer)s.") % {"proposer": proposal.proposer.full_name})
    if round.result == RoundResult.ADOPTED and proposal.review_date is not None:
        lines.append(_("Review on %(date)s.") % {"date": formats.date_format(proposal.review_date, "j F Y")})
    return "\n".join(lines)


# --- Periodic work (called by decisions/tasks.py) ---------------------------------------------------


def close_due_rounds(*, now: datetime.datetime | None = None) -> list[int]:
    """Close every open round whose deadline has passed. Returns the ids this run closed.

    Safe to run twice or in two workers at once: each round is closed in its own transaction, under
    lock, and a closed round is left alone. A round that fails for an unexpected reason is logged and
    tried again on the next run; the others still close.
    """
    now = now or timezone.now()
    due = ConsentRound.objects.filter(closed_at__isnull=True, deadline__lte=now).select_related("proposal")
    closed = []
    for round in due.order_by("deadline", "pk"):
        try:
            with transaction.atomic():
                if _close_round(round, now=now):
                    closed.append(round.pk)
        except Exception:
            logger.exception("could not close consent round %s; the next run tries again", round.pk)
    return closed


def _reminder_due(round: ConsentRound, now: datetime.datetime) -> bool:
    """48 hours before the deadline; halfway through a round shorter than 96 hours, so that a short
    round's reminder does not arrive together with its opening e-mail."""
    due = max(round.deadline - REMINDER_BEFORE, round.opened_at + (round.deadline - round.opened_at) / 2)
    return due <= now < round.deadline


def send_deadline_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind those who have not answered, once per round. Returns how many rounds were reminded.

    Idempotent: ``reminder_sent_at`` is set in the transaction that writes the reminders.
    """
    now = now or timezone.now()
    candidates = ConsentRound.objects.filter(
        closed_at__isnull=True, reminder_sent_at__isnull=True, deadline__gt=now, deadline__lte=now + REMINDER_BEFORE
    ).select_related("proposal")
    reminded = 0
    for candidate in candidates.order_by("deadline", "pk"):
        if not _reminder_due(candidate, now):
            continue
        with transaction.atomic():
            _lock_proposal(candidate.proposal)
            round = _lock_round(candidate.pk)
            if round.closed_at is not None or round.reminder_sent_at is not None:
                continue
            progress = selectors.round_progress(round)
            notifications.deadline_reminder(round, [row.person for row in progress.not_answered])
            round.reminder_sent_at = now
            round.save(update_fields=["reminder_sent_at"])
            reminded += 1
    return reminded


# --- Settings -------------------------------------------------------------------------------------


@transaction.atomic
def update_decision_settings(*, network: Network, by: User | None, **changes: Any) -> DecisionSettings:
    """Change how the network decides (quorum, one voice per organisation, review period). A coordinator.

    Rounds already open keep the quorum they opened with.
    """
    require_unless_system(by, MANAGE_PROPOSALS, network)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"these fields are not decision settings: {sorted(unknown)}")
    Network.objects.select_for_update().filter(pk=network.pk).first()  # serialise the get-or-create
    decision_settings = DecisionSettings.objects.filter(network=network).first() or DecisionSettings(network=network)
    for field, value in changes.items():
        setattr(decision_settings, field, value)
    decision_settings.full_clean()
    decision_settings.save()
    return decision_settings


@transaction.atomic
def set_notification_preference(*, person: Person, delivery: str, by: User | None) -> NotificationPreference:
    """A person chooses e-mail at once or a daily digest. Only for themselves (or the system)."""
    if by is not None and acting_person(by) != person:
        raise PermissionDenied
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("Choose how you want to receive e-mail.")})
    preference, _created = NotificationPreference.objects.update_or_create(
        person=person, defaults={"delivery": delivery}
    )
    return preference
