"""Forms of the experiment pages. They parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from decisions.models import Electorate, ProposalKind
from ecosystem.forms import DateInput
from ecosystem.models import LessonTopic, Loop, Person, Stage
from experiments.models import TargetGroup


class PartnerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PersonChoice(forms.ModelChoiceField):
    pass


class OnePartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LinksField(forms.CharField):
    """Web addresses, one per line: each must be a http(s) address."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        check = URLValidator(schemes=["http", "https"], message=_("A link starts with https:// or http://."))
        for line in lines:
            check(line)
        return lines


def _with_fit_fields(form: forms.Form, principles: QuerySet | None, initial: dict[int, str]) -> None:
    for principle in principles or []:
        form.fields[f"fit_{principle.pk}"] = forms.CharField(
            label=_("How does it fit “%(principle)s”?") % {"principle": principle.text},
            required=False,
            initial=initial.get(principle.pk, ""),
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Needed for every principle before the experiment can be proposed for adoption."),
        )


def fit_of(form: forms.Form) -> dict[int, str]:
    return {int(name[4:]): value for name, value in form.cleaned_data.items() if name.startswith("fit_")}


class ExperimentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("Learning question or hypothesis"), widget=forms.Textarea(attrs={"rows": 3}))
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups_note = forms.CharField(label=_("Target groups, in your own words"), max_length=300, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DateInput())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())

    def __init__(self, *args: Any, principles: QuerySet | None = None, fit: dict | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _with_fit_fields(self, principles, fit or {})

    def fields_and_fit(self) -> tuple[dict[str, Any], dict[int, str]]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("fit_")}
        return data, fit_of(self)


class StartExperimentForm(ExperimentForm):
    partners = PartnerChoice(
        label=_("Partners involved"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, partnerships: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if partnerships is not None:
            cast(forms.ModelMultipleChoiceField, self.fields["partners"]).queryset = partnerships


class PageForm(forms.Form):
    """One of several forms on the experiment's page: its ids carry its own prefix, so none repeats."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class MoveForm(PageForm):
    id_prefix = "move"
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    why = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What shows it: first results, a session report, a partner's commitment."),
    )
    links = LinksField(label=_("Links"), required=False, help_text=_("One web address per line."))
    evidence_files = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        self.fields["evidence_files"].help_text = _("A PDF, an image or an office document, at most %(limit)s MB.") % {
            "limit": limit
        }

    def offer(self, stages: list[str]) -> None:
        """Offer only these stages (the step table's moves for this reader); the service checks again."""
        field = cast(forms.ChoiceField, self.fields["to_stage"])
        field.choices = [(s, label) for s, label in Stage.choices if s in stages]

    def move(self) -> dict[str, Any]:
        """What ``move_experiment`` takes: the one file, if any, as its list of files."""
        upload = self.cleaned_data.get("evidence_files")
        return {**self.cleaned_data, "evidence_files": [upload] if upload else []}


class StopForm(PageForm):
    id_prefix = "stop"
    lessons = forms.CharField(
        label=_("What did it teach us?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: a stopped experiment keeps its lessons."),
    )
    topic = forms.ChoiceField(label=_("About"), choices=LessonTopic.choices)
    loop = forms.ChoiceField(label=_("Loop"), choices=Loop.choices)
    why = forms.CharField(label=_("Why it stops"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TrekkerForm(PageForm):
    id_prefix = "trekker"
    trekker = PersonChoice(label=_("New trekker"), queryset=Person.objects.none())
    why = forms.CharField(label=_("Why"), required=False)

    def __init__(self, *args: Any, persons: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if persons is not None:
            cast(forms.ModelChoiceField, self.fields["trekker"]).queryset = persons


class ReopenForm(PageForm):
    id_prefix = "reopen"
    why = forms.CharField(label=_("Why start again"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(forms.Form):
    kind = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[(k, k) for k in (ProposalKind.ADOPT_EXPERIMENT, ProposalKind.EXPERIMENT_TO_MAINSTREAMING)],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    driver = forms.CharField(label=_("Driver"), widget=forms.Textarea(attrs={"rows": 3}))
    text = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 8}))
    electorate = forms.ChoiceField(label=_("Who decides"), choices=Electorate.choices, initial=Electorate.COALITION)


class BoardFilter(forms.Form):
    partner = OnePartnerChoice(label=_("Partner"), queryset=Person.objects.none(), required=False)
    target_group = forms.ChoiceField(
        label=_("Target group"), choices=[("", "---------"), *TargetGroup.choices], required=False
    )
    trekker = PersonChoice(label=_("Trekker"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, partners: QuerySet, persons: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = partners
        cast(forms.ModelChoiceField, self.fields["trekker"]).queryset = persons


class ReachForm(PageForm):
    id_prefix = "reach"
    on = forms.DateField(label=_("Date"), widget=DateInput())
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    participants = forms.IntegerField(label=_("Participants reached"), min_value=0, initial=0)
    sessions = forms.IntegerField(label=_("Sessions held"), min_value=0, initial=0)
    first_evidence = forms.CharField(
        label=_("First evidence of success"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LessonForm(PageForm):
    id_prefix = "lesson"
    on = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(label=_("Lesson"), widget=forms.Textarea(attrs={"rows": 3}))
    topic = forms.ChoiceField(label=_("About"), choices=LessonTopic.choices)
    loop = forms.ChoiceField(label=_("Loop"), choices=Loop.choices)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())
