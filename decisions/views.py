"""Pages of consent decisions: the proposals, a proposal with its actions, the answer form, the register.

Each page names the right it needs (``NetworkMixin``); each action is its own POST that calls one
service. A refusal of the service (``ValidationError``) goes back to the person on the form they
used, with nothing changed; a lacking right (``PermissionDenied``) answers 403.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from decisions import forms, selectors, services
from decisions.models import (
    FINAL_STATES,
    Answer,
    AnswerKind,
    ClarifyingQuestion,
    ConsentRound,
    Proposal,
    ProposalKind,
    ProposalState,
)
from decisions.selectors import ElectorRow, RoundProgress
from ecosystem import exports
from ecosystem.models import GovernanceForm, Person, Stage, User
from ecosystem.permissions import (
    MANAGE_PROPOSALS,
    PROPOSE,
    TAKE_PART_IN_DECISIONS,
    VIEW_ACCOUNTABILITY,
    VIEW_PARTNERS,
    VIEW_PROPOSALS,
)
from ecosystem.views_base import NetworkMixin
from partners import selectors as partner_selectors
from partners.models import Status, Tier

# A proposal text longer than this folds away on the answer form, so the choices stay on one screen.
LONG_TEXT = 600
REGISTER_PAGE_SIZE = 50


def add_service_error(form: django_forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def form_messages(form: django_forms.Form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


class DecisionsPage(NetworkMixin):
    @property
    def user(self) -> User:
        return cast(User, self.request.user)  # NetworkMixin lets only a login in


# --- The list of proposals --------------------------------------------------------------------------


class ProposalListView(NetworkMixin, TemplateView):
    permission = VIEW_PROPOSALS
    template_name = "decisions/proposal_list.html"

    def get_context_data(self, **kwargs):
        grouped = selectors.proposals_by_state(self.network)
        progress = _open_round_progress(self.network)
        person = getattr(self.request.user, "person", None)
        awaiting: set[int] = set()
        if person is not None:
            awaiting = set(
                selectors.awaiting_answer(person)
                .filter(proposal__network=self.network)
                .values_list("proposal_id", flat=True)
            )
        in_round = sorted(
            grouped[ProposalState.CONSENT_ROUND], key=lambda p: (p.open_deadline is None, p.open_deadline)
        )
        for proposal in in_round:
            proposal.answered, proposal.electorate_size = progress.get(proposal.pk, (0, 0))
            proposal.awaits_me = proposal.pk in awaiting
        ended = (ProposalState.ADOPTED, ProposalState.NOT_ADOPTED, ProposalState.LAPSED, ProposalState.WITHDRAWN)
        decided = [p for state in ended for p in grouped[state]]
        decided.sort(key=lambda p: p.decided_at or p.state_changed_at, reverse=True)
        today = timezone.localdate()
        for proposal in decided:
            proposal.due_for_review = proposal.is_due_for_review(today)
        groups = [
            ("open", _("Consent rounds open"), in_round),
            ("questions", _("Clarifying questions"), grouped[ProposalState.QUESTIONS]),
            ("reactions", _("Reactions"), grouped[ProposalState.REACTIONS]),
            ("draft", _("Drafts"), grouped[ProposalState.DRAFT]),
            ("decided", _("Decided"), decided),
        ]
        return super().get_context_data(
            groups=groups, can_propose=self.can(PROPOSE), can_manage=self.can(MANAGE_PROPOSALS), **kwargs
        )


def _open_round_progress(network) -> dict[int, tuple[int, int]]:
    """For each proposal in a round: (current answers, electorate size), in one query."""
    rounds = (
        ConsentRound.objects.filter(proposal__network=network, closed_at__isnull=True)
        .annotate(answered=Count("answers", filter=Q(answers__is_current=True)))
        .values_list("proposal_id", "answered", "electorate_size")
    )
    return {proposal_id: (answered, size) for proposal_id, answered, size in rounds}


# --- A new proposal ---------------------------------------------------------------------------------


class NewProposalView(DecisionsPage, FormView):
    permission = PROPOSE
    template_name = "decisions/proposal_form.html"
    form_class = forms.ProposalForm

    @cached_property
    def candidates(self) -> QuerySet:
        """The partners an admission can be about: not core yet, not left."""
        return (
            partner_selectors.partnerships(self.network)
            .exclude(tier=Tier.CORE)
            .exclude(status=Status.LEFT)
            .order_by("sort_name", "pk")  # type: ignore[misc]  # sort_name is the selector's annotation
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnerships": self.candidates}

    def get_initial(self):
        """``?kind=admit_partner&partnership=<id>``: the partner page's "propose admission" link."""
        initial = super().get_initial()
        kind = self.request.GET.get("kind", "")
        if kind in dict(forms.proposable_kinds()):
            initial["kind"] = kind
        partnership_id = self.request.GET.get("partnership", "")
        if partnership_id.isdigit():
            partnership = self.candidates.filter(pk=int(partnership_id)).first()
            if partnership is not None:
                initial.update(
                    kind=ProposalKind.ADMIT_PARTNER,
                    partnership=partnership.pk,
                    title=_("Admit %(partner)s to the core") % {"partner": partnership.name},
                )
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        subject, params = form.subject_and_params()
        try:
            proposal = services.create_proposal(
                network=self.network,
                by=self.user,
                title=data["title"],
                driver=data["driver"],
                text=data["text"],
                kind=data["kind"],
                electorate=data["electorate"],
                subject=subject,
                effect_params=params,
                review_date=data["review_date"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your proposal is saved as a draft. Open it for clarifying questions when it is ready.")
        )
        return HttpResponseRedirect(_proposal_url(proposal))


def _proposal_url(proposal: Proposal) -> str:
    return reverse("proposal_detail", args=[proposal.network.slug, proposal.pk])


# --- A proposal -------------------------------------------------------------------------------------


class ProposalMixin(DecisionsPage):
    """Looks the proposal up inside the network: another network's id is simply not found."""

    @cached_property
    def proposal(self) -> Proposal:
        try:
            return selectors.proposal_in(self.network, self.kwargs["proposal_id"])
        except Proposal.DoesNotExist:
            raise Http404 from None

    @cached_property
    def person(self) -> Person | None:
        return getattr(self.request.user, "person", None)

    @cached_property
    def is_proposer(self) -> bool:
        """The proposer, while they may still propose here (the services ask both)."""
        person = self.person
        return person is not None and person.pk == self.proposal.proposer_id and self.can(PROPOSE)

    @cached_property
    def steers(self) -> bool:
        """Who moves the proposal along its life: its proposer, or a coordinator."""
        return self.is_proposer or self.can(MANAGE_PROPOSALS)


@dataclass
class VersionView:
    version: Any
    diff: SafeString | None  # the difference with the version before, None for the first


@dataclass
class RoundView:
    progress: RoundProgress
    show_answers: bool  # the answers themselves; who answered is always shown
    mine: ElectorRow | None  # the viewer's row, when they are in this round's electorate

    @property
    def round(self) -> ConsentRound:
        return self.progress.round

    @property
    def answered(self) -> int:
        """How many answers count (with one voice per organisation: voices, not persons)."""
        return sum(self.progress.counts.values())

    @property
    def objections(self) -> list[ElectorRow]:
        return [row for row in self.progress.rows if row.answer is not None and row.answer.kind == AnswerKind.OBJECTION]


class ProposalDetailView(ProposalMixin, TemplateView):
    permission = VIEW_PROPOSALS
    template_name = "decisions/proposal_detail.html"

    def get_context_data(self, **kwargs):
        proposal = self.proposal
        rounds = _round_views(proposal, self.person)
        open_round = next((r for r in rounds if r.round.is_open), None)
        take_part = self.can(TAKE_PART_IN_DECISIONS)
        state = proposal.state
        under_way = state in (ProposalState.QUESTIONS, ProposalState.REACTIONS)
        objection_shown = open_round is not None and open_round.show_answers and bool(open_round.objections)
        bound_question = kwargs.pop("answering_question", None)
        question_form = kwargs.pop("question_answer_form", None)
        may_answer_questions = self.is_proposer and state in (
            ProposalState.QUESTIONS,
            ProposalState.REACTIONS,
            ProposalState.CONSENT_ROUND,
            ProposalState.NOT_ADOPTED,
        )
        questions = [
            (
                question,
                (question_form if question.pk == bound_question else forms.QuestionAnswerForm(prefix=f"q{question.pk}"))
                if may_answer_questions and question.answered_at is None
                else None,
            )
            for question in proposal.questions.all()
        ]
        context = {
            "proposal": proposal,
            "subject": _subject_of(proposal),
            "effect_lines": _effect_lines(proposal),
            "versions": _version_views(proposal),
            "current_version": list(proposal.versions.all())[-1],
            "questions": questions,
            "rounds": rounds,
            "open_round": open_round,
            "is_proposer": self.is_proposer,
            "is_decided": state in FINAL_STATES | {ProposalState.NOT_ADOPTED},
            "can_see_partners": self.can(VIEW_PARTNERS),
            "can_start_questions": self.steers and state == ProposalState.DRAFT,
            "can_start_reactions": self.steers and state == ProposalState.QUESTIONS,
            "can_open_round": self.steers and under_way,
            "can_write_version": self.is_proposer
            and (state in (ProposalState.DRAFT, ProposalState.NOT_ADOPTED) or under_way or objection_shown),
            "can_withdraw": self.is_proposer and state not in FINAL_STATES,
            "can_ask": take_part and under_way,
            "can_react": take_part and state == ProposalState.REACTIONS,
            "reaction_is_advice": take_part
            and state == ProposalState.REACTIONS
            and self.person is not None
            and not selectors.in_electorate(self.person, proposal),
            "round_form": kwargs.pop("round_form", None) or forms.OpenRoundForm(),
            "withdraw_form": kwargs.pop("withdraw_form", None) or forms.WithdrawForm(),
            "ask_form": kwargs.pop("ask_form", None) or forms.QuestionForm(),
            "reaction_form": kwargs.pop("reaction_form", None) or forms.ReactionForm(),
        }
        return super().get_context_data(**context, **kwargs)


def _subject_of(proposal: Proposal) -> Any:
    return proposal.subject if proposal.object_id is not None else None


def _effect_lines(proposal: Proposal) -> list[str]:
    """What adopting the proposal changes besides its subject, in words."""
    params, lines = proposal.effect_params or {}, []
    if params.get("to_stage") in Stage.values:
        lines.append(_("The network moves to the stage: %(stage)s") % {"stage": Stage(params["to_stage"]).label})
    if params.get("governance_form") in GovernanceForm.values:
        lines.append(
            _("The governance form becomes: %(form)s") % {"form": GovernanceForm(params["governance_form"]).label}
        )
    if isinstance(params.get("principles"), list):
        principles = "; ".join(params["principles"])
        lines.append(_("The simple principles become: %(principles)s") % {"principles": principles})
    return lines


def _version_views(proposal: Proposal) -> list[VersionView]:
    views, previous = [], None
    for version in proposal.versions.all():
        views.append(VersionView(version, word_diff(previous.text, version.text) if previous else None))
        previous = version
    return views


def _round_views(proposal: Proposal, viewer: Person | None) -> list[RoundView]:
    """Every round of the proposal, the latest first, with who answered what: two queries a round,
    whatever the number of answers.

    The answers themselves are shown to the round's electorate, unless the round hides them until it
    closes; once closed, to every reader of proposals. Who has answered is always shown.
    """
    views = []
    for round in reversed(list(proposal.rounds.all())):
        progress = selectors.round_progress(round)
        mine = next((row for row in progress.rows if viewer is not None and row.person.pk == viewer.pk), None)
        show = not round.is_open or (mine is not None and not round.hide_answers_until_close)
        views.append(RoundView(progress, show, mine))
    return views


_WORDS = re.compile(r"\s+|\S+")


def word_diff(old: str, new: str) -> SafeString:
    """The difference between two texts word by word, as ``<del>`` and ``<ins>``, escaped.

    Screen readers do not announce ``<del>``/``<ins>`` everywhere, so each change also says in hidden
    text what it is.
    """
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    removed, added = _("removed:"), _("added:")
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(
                format_html(
                    '<del><span class="visually-hidden">[{} </span>{}<span class="visually-hidden">]</span></del>',
                    removed,
                    "".join(a[i1:i2]),
                )
            )
        if tag in ("insert", "replace"):
            parts.append(
                format_html(
                    '<ins><span class="visually-hidden">[{} </span>{}<span class="visually-hidden">]</span></ins>',
                    added,
                    "".join(b[j1:j2]),
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


# --- Actions on a proposal: one POST each, one service each -----------------------------------------


class ProposalActionView(ProposalDetailView):
    """A POST that calls one service; on a refusal the proposal page comes back with the form's errors.

    ``actor`` says who may act besides holding ``permission``: "proposer", "steer" (the proposer or a
    coordinator) or "anyone"; the services check the same, this answers a clear 403 before any form.
    """

    http_method_names = ["post"]
    actor = "anyone"
    form_class: type[django_forms.Form] = django_forms.Form
    form_name = ""  # the context name the page renders the form under
    shown_when = ""  # the context flag under which the page shows that form
    redirect_on_error = False  # a button without fields: the refusal comes back as a message

    def check_actor(self) -> None:
        if (self.actor == "proposer" and not self.is_proposer) or (self.actor == "steer" and not self.steers):
            raise PermissionDenied

    def get_form(self) -> django_forms.Form:
        return self.form_class(self.request.POST)

    def perform(self, form) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.check_actor()
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.perform(form)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(self.success_url())
        if self.redirect_on_error:
            for message in form_messages(form):
                messages.error(request, message)
            return HttpResponseRedirect(_proposal_url(self.proposal))
        context = self.get_context_data(**self.error_context(form))
        if not self.form_is_shown(context, form):
            # The page no longer offers this form (the proposal moved on): say why at the top.
            context["action_errors"] = form_messages(form)
        return self.render_to_response(context)

    def error_context(self, form) -> dict[str, Any]:
        return {self.form_name: form}

    def form_is_shown(self, context: dict[str, Any], form) -> bool:
        return bool(context.get(self.shown_when))

    def success_url(self) -> str:
        return _proposal_url(self.proposal)


class StartQuestionsView(ProposalActionView):
    permission = PROPOSE
    actor = "steer"
    redirect_on_error = True

    def perform(self, form) -> str:
        services.start_questions(proposal=self.proposal, by=self.user)
        return _("The proposal is open for clarifying questions.")


class StartReactionsView(ProposalActionView):
    permission = PROPOSE
    actor = "steer"
    redirect_on_error = True

    def perform(self, form) -> str:
        services.start_reactions(proposal=self.proposal, by=self.user)
        return _("The proposal is open for reactions.")


class OpenRoundView(ProposalActionView):
    permission = PROPOSE
    actor = "steer"
    form_class = forms.OpenRoundForm
    form_name = "round_form"
    shown_when = "can_open_round"

    def perform(self, form) -> str:
        services.open_consent_round(proposal=self.proposal, by=self.user, **form.cleaned_data)
        return _("The consent round is open; everyone who decides has been sent the link to answer.")


class WithdrawView(ProposalActionView):
    permission = PROPOSE
    actor = "proposer"
    form_class = forms.WithdrawForm
    form_name = "withdraw_form"
    shown_when = "can_withdraw"

    def perform(self, form) -> str:
        services.withdraw_proposal(proposal=self.proposal, by=self.user, reason=form.cleaned_data["reason"])
        return _("The proposal is withdrawn.")


class AskQuestionView(ProposalActionView):
    permission = TAKE_PART_IN_DECISIONS
    form_class = forms.QuestionForm
    form_name = "ask_form"
    shown_when = "can_ask"

    def perform(self, form) -> str:
        services.ask_question(proposal=self.proposal, text=form.cleaned_data["text"], by=self.user)
        return _("Your question is asked; the proposer answers it here.")


class AnswerQuestionView(ProposalActionView):
    permission = PROPOSE
    actor = "proposer"
    form_class = forms.QuestionAnswerForm

    @cached_property
    def question(self) -> ClarifyingQuestion:
        return get_object_or_404(ClarifyingQuestion, proposal=self.proposal, pk=self.kwargs["question_id"])

    def get_form(self) -> django_forms.Form:
        return self.form_class(self.request.POST, prefix=f"q{self.question.pk}")

    def perform(self, form) -> str:
        services.answer_question(question=self.question, answer=form.cleaned_data["answer"], by=self.user)
        return _("Your answer to the question is saved.")

    def error_context(self, form) -> dict[str, Any]:
        return {"answering_question": self.question.pk, "question_answer_form": form}

    def form_is_shown(self, context: dict[str, Any], form) -> bool:
        return any(shown is form for _question, shown in context["questions"])


class AddReactionView(ProposalActionView):
    permission = TAKE_PART_IN_DECISIONS
    form_class = forms.ReactionForm
    form_name = "reaction_form"
    shown_when = "can_react"

    def perform(self, form) -> str:
        services.add_reaction(proposal=self.proposal, text=form.cleaned_data["text"], by=self.user)
        return _("Your reaction is added.")


class NewVersionView(ProposalMixin, FormView):
    """The proposer's new version, on a page of its own: the current text to edit, the objections beside it."""

    permission = PROPOSE
    template_name = "decisions/new_version.html"
    form_class = forms.NewVersionForm

    def get(self, request, *args, **kwargs):
        self._check_proposer()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_proposer()
        return super().post(request, *args, **kwargs)

    def _check_proposer(self) -> None:
        if not self.is_proposer:
            raise PermissionDenied(_("Only the proposer can do this."))

    def get_initial(self):
        return {"text": list(self.proposal.versions.all())[-1].text, "open_round": True}

    def get_context_data(self, **kwargs):
        rounds = _round_views(self.proposal, self.person)
        last = rounds[0] if rounds else None
        return super().get_context_data(
            proposal=self.proposal,
            last_round=last if last is not None and last.show_answers else None,
            questions=self.proposal.questions.all(),
            reactions=self.proposal.reactions.all(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            version = services.new_version(
                proposal=self.proposal,
                text=data["text"],
                change_note=data["change_note"],
                deadline=form.round_deadline(),
                hide_answers_until_close=data["hide_answers_until_close"],
                by=self.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if form.round_deadline() is not None:
            message = _("Version %(number)s is written and a new consent round is open on it.")
        else:
            message = _("Version %(number)s is written.")
        messages.success(self.request, message % {"number": version.number})
        return HttpResponseRedirect(_proposal_url(self.proposal))


# --- The answer form: a phone, an e-mailed link, one screen ------------------------------------------


class AnswerView(ProposalMixin, TemplateView):
    """Answer in the proposal's consent round: the open one, or after it closed, the last one (read only).

    Only the round's electorate (fixed when it opened) answers: anyone else taking part gets 403.
    Without JavaScript the form is a plain POST and redirect; with htmx it swaps in place.
    """

    permission = TAKE_PART_IN_DECISIONS
    template_name = "decisions/answer.html"
    partial_template_name = "decisions/_answer_form.html"

    @cached_property
    def round(self) -> ConsentRound:
        rounds = list(self.proposal.rounds.all())
        if not rounds:
            raise Http404
        return next((r for r in rounds if r.is_open), rounds[-1])

    @cached_property
    def progress(self) -> RoundProgress:
        return selectors.round_progress(self.round)

    @cached_property
    def mine(self) -> ElectorRow:
        person = self.person
        row = next((row for row in self.progress.rows if person is not None and row.person.pk == person.pk), None)
        if row is None:
            raise PermissionDenied(_("You are not among those who answer in this round."))
        return row

    def get(self, request, *args, **kwargs):
        return self.render(self.blank_form())

    def post(self, request, *args, **kwargs):
        form = forms.AnswerForm(request.POST)
        self.mine  # noqa: B018 - 403 before anything else for those who do not answer here
        if form.is_valid():
            try:
                data = form.cleaned_data
                answer = services.submit_answer(
                    round=self.round, kind=data["kind"], reason=data["reason"], by=self.user
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                saved = _("Your answer is saved: %(answer)s.") % {"answer": answer.get_kind_display()}
                if not getattr(request, "htmx", False):
                    messages.success(request, saved)
                    return HttpResponseRedirect(request.path)
                self.forget()
                return self.render(self.blank_form(), saved=saved)
        return self.render(form)

    def forget(self) -> None:
        """Read the proposal and the round afresh: the answer may just have closed the round."""
        for name in ("proposal", "round", "progress", "mine"):
            self.__dict__.pop(name, None)

    def blank_form(self) -> forms.AnswerForm:
        answer = self.mine.answer
        initial = {"kind": answer.kind, "reason": answer.reason} if answer is not None else {}
        return forms.AnswerForm(initial=initial)

    def render(self, form, saved: str = "") -> HttpResponse:
        round, now = self.round, timezone.now()
        context = {
            "proposal": self.proposal,
            "round": round,
            "version": round.version,
            "progress": self.progress,
            "answered": sum(self.progress.counts.values()),
            "mine": self.mine,
            "form": form,
            "saved": saved,
            "accepting": round.is_open and now < round.deadline,
            "text_is_long": len(round.version.text) > LONG_TEXT,
            "choices": _answer_choices(form),
        }
        if getattr(self.request, "htmx", False):
            return self.response_class(request=self.request, template=[self.partial_template_name], context=context)
        return self.render_to_response(self.get_context_data(**context))


def _answer_choices(form: forms.AnswerForm) -> list[dict[str, Any]]:
    """The four answers as large choices, each with a line that says what it means."""
    hints: dict[str, str] = {
        AnswerKind.CONSENT: _("Good enough for now, safe enough to try."),
        AnswerKind.CONCERN: _("I consent; my concern is recorded for the review and does not block."),
        AnswerKind.OBJECTION: _("Not safe enough to try: say why, so that the proposal can integrate it."),
        AnswerKind.STAND_ASIDE: _("I do not take part in this decision and do not block it."),
    }
    chosen = str(form["kind"].value() or "")
    return [
        {"value": value, "label": label, "hint": hints[value], "checked": value == chosen}
        for value, label in AnswerKind.choices
    ]


# --- The decision register ----------------------------------------------------------------------------


@dataclass
class RegisterRound:
    round: ConsentRound
    answers: list[Answer]  # the current answers, in the order given
    counts: dict[str, int | None]

    @property
    def answered(self) -> int:
        """The answers that counted at closing (voices, with one voice per organisation); so far, while open."""
        return self.round.answered_count if self.round.answered_count is not None else len(self.answers)


@dataclass
class RegisterEntry:
    proposal: Proposal
    versions: int
    rounds: list[RegisterRound]
    due_for_review: bool


class RegisterMixin(NetworkMixin):
    """Every decision, filtered. Funders (no right to read proposals) see the adopted ones, without names:
    counts, dates and review dates, not who answered what (the outcome statement names objections and
    concerns, so it is left out for them too)."""

    permission = VIEW_ACCOUNTABILITY

    @cached_property
    def with_names(self) -> bool:
        return self.can(VIEW_PROPOSALS)

    @cached_property
    def filter_form(self) -> forms.RegisterFilterForm:
        return forms.RegisterFilterForm(self.request.GET or None, with_state=self.with_names)

    def decisions(self) -> QuerySet[Proposal]:
        """The register with the filters applied; an invalid filter applies none (the form says why)."""
        form = self.filter_form
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if not self.with_names:
            states: list[str] | None = [ProposalState.ADOPTED]
        else:
            states = [data["state"]] if data.get("state") else None
        decisions = selectors.decision_register(self.network, states=states)
        if data.get("kind"):
            decisions = decisions.filter(kind=data["kind"])
        if data.get("year"):
            year = data["year"]
            decisions = decisions.filter(
                Q(decided_at__year=year) | Q(decided_at__isnull=True, state_changed_at__year=year)
            )
        if data.get("q"):
            q = data["q"]
            decisions = decisions.filter(Q(title__icontains=q) | Q(driver__icontains=q) | Q(outcome__icontains=q))
        return decisions


def _register_entry(proposal: Proposal, today: datetime.date) -> RegisterEntry:
    """One decision as the register shows it, from what ``decision_register`` prefetched (no query)."""
    rounds = []
    for round in proposal.rounds.all():
        answers = [a for a in round.answers.all() if a.is_current]
        if round.answered_count is not None:  # the tally the round closed with (it counts voices)
            counts: dict[str, int | None] = {
                AnswerKind.CONSENT: round.consent_count,
                AnswerKind.CONCERN: round.concern_count,
                AnswerKind.OBJECTION: round.objection_count,
                AnswerKind.STAND_ASIDE: round.stand_aside_count,
            }
        else:
            tally = Counter(answer.kind for answer in answers)
            counts = {kind: tally[kind] for kind in AnswerKind.values}
        rounds.append(RegisterRound(round, answers, counts))
    return RegisterEntry(proposal, len(proposal.versions.all()), rounds, proposal.is_due_for_review(today))


class DecisionRegisterView(RegisterMixin, TemplateView):
    template_name = "decisions/register.html"

    def get_context_data(self, **kwargs):
        page = Paginator(self.decisions(), REGISTER_PAGE_SIZE).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form,
            page=page,
            entries=[_register_entry(p, today) for p in page.object_list],
            with_names=self.with_names,
            query=query.urlencode(),
            **kwargs,
        )


class DecisionRegisterCsvView(RegisterMixin, View):
    """The register with the same filters, as CSV (UTF-8 with BOM, guarded against formula injection)."""

    def get(self, request, *args, **kwargs) -> HttpResponse:
        form = self.filter_form
        if form.is_bound and not form.is_valid():
            # Never a file of "everything" when a filter was asked for and could not be read.
            return HttpResponseBadRequest(" ".join(form_messages(form)), content_type="text/plain; charset=utf-8")
        sheet = _register_sheet(self.decisions(), with_names=self.with_names)
        return exports.file_response(sheet, "csv", f"{self.network.slug}-decisions")


def _register_sheet(decisions: QuerySet[Proposal], *, with_names: bool) -> exports.Sheet:
    today = timezone.localdate()
    header = [
        _("Number"),
        _("Title"),
        _("Kind"),
        _("Outcome"),
        _("Decided on"),
        _("Review date"),
        _("Due for review"),
        _("Versions"),
        _("Rounds"),
        _("Answered"),
        _("Electorate"),
        _("Consent"),
        _("Consent with a concern"),
        _("Objection"),
        _("Stand aside"),
    ]
    if with_names:  # the outcome statement names objectors and concerns
        header += [_("Outcome statement"), _("Proposer"), _("Answers")]
    rows = []
    for proposal in decisions:
        entry = _register_entry(proposal, today)
        last = entry.rounds[-1] if entry.rounds else None
        counts = last.counts if last else dict.fromkeys(AnswerKind.values, None)
        row: list[exports.Cell] = [
            proposal.pk,
            proposal.title,
            proposal.get_kind_display(),
            proposal.get_state_display(),
            timezone.localtime(proposal.decided_at).date() if proposal.decided_at else None,
            proposal.review_date,
            _("yes") if entry.due_for_review else "",
            entry.versions,
            len(entry.rounds),
            last.answered if last else None,
            last.round.electorate_size if last else None,
            counts[AnswerKind.CONSENT],
            counts[AnswerKind.CONCERN],
            counts[AnswerKind.OBJECTION],
            counts[AnswerKind.STAND_ASIDE],
        ]
        if with_names:
            answers = "; ".join(
                f"{a.person.full_name}: {a.get_kind_display()}" + (f" ({a.reason})" if a.reason else "")
                for a in (last.answers if last else [])
            )
            row += [proposal.outcome, proposal.proposer.full_name, answers]
        rows.append(row)
    return exports.Sheet(title=_("Decisions"), header=[str(h) for h in header], rows=rows)
