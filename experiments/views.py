"""The experiments board and an experiment's page. The actions are in ``views_actions.py``."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View

from decisions import selectors as decision_selectors
from ecosystem.permissions import VIEW_ACCOUNTABILITY, VIEW_EXPERIMENTS
from ecosystem.selectors import members_of, stage_history
from ecosystem.views_base import NetworkMixin
from experiments import selectors
from experiments.forms import (
    BoardFilter,
    LessonForm,
    MoveForm,
    PeriodForm,
    ReachForm,
    ReopenForm,
    StopForm,
    TrekkerForm,
)
from experiments.lifecycle import STEPS, allowed_steps
from experiments.models import Experiment, Standing
from partners import selectors as partner_selectors


class BoardView(NetworkMixin, TemplateView):
    """Columns by stage. Members see every experiment with its trekker and filters; a funder (who may
    only read the accountability view) sees the ecosystem's experiments in their stages, and no names."""

    permission = VIEW_ACCOUNTABILITY
    template_name = "experiments/board.html"

    def get_context_data(self, **kwargs):
        member = VIEW_EXPERIMENTS in self.rights
        filters = None
        if member:
            partners = partner_selectors.partnerships(self.network).order_by("sort_name")  # type: ignore[misc]
            filters = BoardFilter(self.request.GET or None, partners=partners, persons=members_of(self.network))
        chosen = filters.cleaned_data if filters is not None and filters.is_valid() else {}
        columns = selectors.board(
            self.network,
            partner=chosen.get("partner"),
            target_group=chosen.get("target_group", ""),
            trekker=chosen.get("trekker"),
            adopted_only=not member,
        )
        period = PeriodForm(self.request.GET or None)
        dates = period.cleaned_data if period.is_bound and period.is_valid() else {}
        totals = selectors.reach_totals(self.network, start=dates.get("start"), end=dates.get("end"))
        return super().get_context_data(
            columns=columns,
            filters=filters,
            period=period,
            totals=totals,
            stage_history=stage_history(self.network)[:5],  # the network's own stage, beside its experiments'
            **kwargs,
        )


class ExperimentMixin(NetworkMixin):
    """Looks the experiment up inside the network: another network's id is simply not found. A reader
    without the members' right (a funder) reads only the ecosystem's experiments."""

    permission = VIEW_ACCOUNTABILITY

    @cached_property
    def experiment(self) -> Experiment:
        try:
            experiment = selectors.experiment_detail(self.network, self.kwargs["experiment_id"])
        except Experiment.DoesNotExist:
            raise Http404 from None
        if VIEW_EXPERIMENTS not in self.rights and experiment.standing != Standing.ADOPTED:
            raise PermissionDenied
        return experiment


class ExperimentDetailView(ExperimentMixin, TemplateView):
    template_name = "experiments/experiment_detail.html"

    def get_context_data(self, **kwargs):
        experiment = self.experiment
        steps = allowed_steps(experiment, self.rights, self.person)
        moves = [step[3:] for step in STEPS if step.startswith("to_") and step in steps]
        forms_by_name: dict[str, tuple[bool, Callable[[], forms.Form]]] = {
            "move_form": (bool(moves), MoveForm),
            "stop_form": ("stop" in steps, StopForm),
            "trekker_form": ("change_trekker" in steps, lambda: TrekkerForm(persons=members_of(self.network))),
            "reopen_form": ("reopen" in steps, ReopenForm),
            "reach_form": ("record" in steps, lambda: ReachForm(initial={"on": timezone.localdate()})),
            "lesson_form": ("record" in steps, lambda: LessonForm(initial={"on": timezone.localdate()})),
        }
        for name, (offered, build) in forms_by_name.items():
            if offered:
                kwargs.setdefault(name, build())
        if "move_form" in kwargs:  # new, or refused and shown again: it offers the moves allowed now
            kwargs["move_form"].offer(moves)
        return super().get_context_data(
            experiment=experiment,
            guidance=selectors.stage_guidance(experiment.stage),
            steps=steps,
            proposals=decision_selectors.proposals_about(experiment) if VIEW_EXPERIMENTS in self.rights else [],
            missing_fit=selectors.missing_fit(experiment),
            lesson_counts=selectors.lesson_counts(experiment),
            reach=selectors.experiment_reach(experiment),
            **kwargs,
        )


class EvidenceFileView(ExperimentMixin, View):
    """An evidence file, only to a reader of its experiment (a funder: of an adopted one). Always a
    download under a name of our own, with the type its content showed when it was uploaded."""

    def get(self, request, *args, **kwargs):
        evidence = self.experiment.evidence_files.filter(pk=self.kwargs["file_id"]).first()
        if evidence is None:
            raise Http404
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=f"evidence-{evidence.pk}.{evidence.extension}",
            content_type=evidence.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
