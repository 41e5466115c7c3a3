"""Forms of the decision pages. They parse what a person typed; the rules live in decisions/services/."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions import effects
from decisions.models import DECIDED_STATES, AnswerKind, Electorate, ProposalKind, ProposalState
from ecosystem.forms import DateInput
from ecosystem.models import GovernanceForm, Stage


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser's own date-and-time picker; read back by DateTimeField's ISO parsing."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def default_deadline() -> datetime.datetime:
    """A week from now, on the hour: long enough for everyone to read, short enough to keep moving."""
    return (timezone.localtime() + datetime.timedelta(days=7)).replace(minute=0, second=0, microsecond=0)


def proposable_kinds() -> list[tuple[str, Any]]:
    """The kinds a proposal can have now: a kind whose effect nothing carries out yet is left out."""
    return [
        (value, label)
        for value, label in ProposalKind.choices
        if value not in effects.KINDS_WITH_EFFECT or effects.effect_for(value) is not None
    ]


class SubjectChoiceField(forms.ModelChoiceField):
    """A choice among the subjects an effect accepts (``effects.subjects_for``), shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ProposalForm(forms.Form):
    """A new proposal. Kinds with an effect ask for what the effect needs (a partner, a stage, a governance)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    driver = forms.CharField(
        label=_("Driver"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The need or tension this proposal answers."),
    )
    text = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you propose, so that others can say whether it is safe enough to try."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ProposalKind.choices, initial=ProposalKind.GENERAL)
    partnership = SubjectChoiceField(
        label=_("Partner to admit to the core"),
        queryset=None,
        required=False,
        help_text=_("Only for an admission: a broad partner of this network."),
    )
    to_stage = forms.ChoiceField(
        label=_("New stage of the network"),
        choices=[("", "---------"), *Stage.choices],
        required=False,
        help_text=_("Only for a change of the network's stage."),
    )
    governance_form = forms.ChoiceField(
        label=_("New governance form"),
        choices=[("", "---------"), *GovernanceForm.choices],
        required=False,
        help_text=_("Only for a change of governance."),
    )
    principles = forms.CharField(
        label=_("New simple principles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for a change of governance: one principle per line; they replace the current ones."),
    )
    electorate = forms.ChoiceField(
        label=_("Who decides"),
        choices=Electorate.choices,
        initial=Electorate.COALITION,
        help_text=_("The coalition, or the whole network (broad partners answer too)."),
    )
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=DateInput(),
        help_text=_("When to look at this decision again; without one, the network's usual period applies."),
    )

    def __init__(self, *args: Any, partnerships: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = proposable_kinds()
        if partnerships is not None:
            cast(forms.ModelChoiceField, self.fields["partnership"]).queryset = partnerships

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ProposalKind.ADMIT_PARTNER and not data.get("partnership"):
            self.add_error("partnership", _("Choose the partner to admit to the core."))
        if kind == ProposalKind.CHANGE_NETWORK_STAGE and not data.get("to_stage"):
            self.add_error("to_stage", _("Choose the stage the network moves to."))
        if kind == ProposalKind.CHANGE_GOVERNANCE and not (data.get("governance_form") or self.principle_lines()):
            self.add_error(None, _("Say which governance form or which principles the network adopts."))
        return data

    def principle_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("principles", "").splitlines() if line.strip()]

    def subject_and_params(self) -> tuple[Any, dict[str, Any]]:
        """What ``create_proposal`` needs for the chosen kind: the subject and the effect's parameters."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == ProposalKind.ADMIT_PARTNER:
            return data["partnership"], {}
        if kind == ProposalKind.CHANGE_NETWORK_STAGE:
            return None, {"to_stage": data["to_stage"]}
        if kind == ProposalKind.CHANGE_GOVERNANCE:
            params: dict[str, Any] = {}
            if data["governance_form"]:
                params["governance_form"] = data["governance_form"]
            if self.principle_lines():
                params["principles"] = self.principle_lines()
            return None, params
        return None, {}


class OpenRoundForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=DateTimeLocalInput(),
        initial=default_deadline,
        help_text=_("Answers are accepted until this moment; the round closes earlier when everyone has answered."),
    )
    hide_answers_until_close = forms.BooleanField(
        label=_("Hide the answers until the round closes"),
        required=False,
        help_text=_("Everyone sees who answered, but not what, until the round has closed."),
    )


class NewVersionForm(OpenRoundForm):
    """The proposer's new text; with a deadline a new consent round opens on it at once."""

    text = forms.CharField(label=_("New version of the proposal"), widget=forms.Textarea(attrs={"rows": 12}))
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Which objection or concern this version integrates, and how."),
    )
    open_round = forms.BooleanField(label=_("Open a new consent round on this version"), required=False)

    field_order = ["text", "change_note", "open_round", "deadline", "hide_answers_until_close"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("open_round") and not data.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", _("A new consent round needs a deadline."))
        return data

    def round_deadline(self) -> datetime.datetime | None:
        return self.cleaned_data["deadline"] if self.cleaned_data.get("open_round") else None


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; kept with the proposal."),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your clarifying question"), widget=forms.Textarea(attrs={"rows": 2}))


class QuestionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 2}))


class ReactionForm(forms.Form):
    text = forms.CharField(label=_("Your reaction"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    """Consent, consent with a concern, objection or stand aside; the answer page renders the choices large."""

    kind = forms.ChoiceField(
        label=_("Your answer"),
        choices=AnswerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your answer."), "invalid_choice": _("Choose your answer.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for an objection (why is it not safe enough to try?) and for a concern."),
    )


REGISTER_STATES = [(state, label) for state, label in ProposalState.choices if state in DECIDED_STATES]


class RegisterFilterForm(forms.Form):
    """The register's filters; the CSV download takes the same ones."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("all kinds")), *ProposalKind.choices], required=False)
    state = forms.ChoiceField(label=_("Outcome"), choices=[("", _("all outcomes")), *REGISTER_STATES], required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, with_state: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not with_state:
            del self.fields["state"]
