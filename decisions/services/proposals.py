"""Proposals: made, moved along their life, revised, withdrawn; an adopted decision's review date."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from decisions import effects, notifications, selectors
from decisions.lifecycle import STEPS
from decisions.models import (
    Answer,
    AnswerKind,
    Electorate,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposalVersion,
    RoundResult,
)
from decisions.services._common import (
    _actor,
    _end_round,
    _lock_proposal,
    _locked_open_round,
    _move,
    _require_proposer,
    _require_proposer_or_manager,
    _text,
)
from decisions.services.rounds import _open_round
from ecosystem.lifecycle import require_step
from ecosystem.models import Network, Person, User
from ecosystem.permissions import (
    MANAGE_PROPOSALS,
    PROPOSE,
    permissions_for_roles,
    require_unless_system,
    roles_in,
)


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
    on_behalf_of: Person | None = None,
) -> Proposal:
    """Make a proposal in draft, with its text as version 1.

    Before: ``by`` may propose in the network (a coordinator or coalition member); for the system
    (``by=None``), the person it acts ``on_behalf_of`` holds such a role and is the proposer. The
    subject, if any, belongs to the same network; the kind's effect accepts the subject and
    ``effect_params``. After: a draft that only its readers see being prepared; nobody is notified yet.
    """
    require_unless_system(by, PROPOSE, network)
    person = _actor(by, on_behalf_of)
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
    require_step(STEPS, "start_questions", proposal.state)
    _move(proposal, ProposalState.QUESTIONS, by=actor, now=timezone.now())
    return proposal


@transaction.atomic
def start_reactions(*, proposal: Proposal, by: User | None) -> Proposal:
    """questions → reactions: everyone taking part may now react (broad partners as advice)."""
    proposal = _lock_proposal(proposal)
    actor = _require_proposer_or_manager(by, proposal)
    require_step(STEPS, "start_reactions", proposal.state)
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
    require_step(STEPS, "new_version", proposal.state)
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
    require_step(STEPS, "withdraw", proposal.state)
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
    require_step(STEPS, "set_review_date", proposal.state)
    if review_date < timezone.localdate():
        raise ValidationError({"review_date": _("The review date cannot be in the past.")})
    proposal.review_date = review_date
    proposal.save(update_fields=["review_date", "updated_at"])
    return proposal
