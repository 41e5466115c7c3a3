"""What the trekker and the coordinators do on an experiment: each a NetworkActionView calling one service.

An action on one experiment first asks the step table whether this reader may take it (``step``):
someone who may run experiments but does not pull this one gets 403 before any form is read.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from decisions.models import ProposalKind
from ecosystem.models import Stage
from ecosystem.permissions import PROPOSE, RUN_EXPERIMENTS
from ecosystem.selectors import current_principles, members_of
from ecosystem.views_base import NetworkActionView
from experiments import services
from experiments.forms import (
    ExperimentForm,
    LessonForm,
    MoveForm,
    ProposeForm,
    ReachForm,
    ReopenForm,
    StartExperimentForm,
    StopForm,
    TrekkerForm,
)
from experiments.lifecycle import may_act
from experiments.views import ExperimentDetailView, ExperimentMixin
from partners import selectors as partner_selectors


def _url(experiment) -> str:
    return reverse("experiment_detail", args=[experiment.network.slug, experiment.pk])


class StartExperimentView(NetworkActionView):
    permission = RUN_EXPERIMENTS
    template_name = "experiments/experiment_form.html"
    form_class = StartExperimentForm

    def get_form_kwargs(self):
        partnerships = partner_selectors.partnerships(self.network).order_by("sort_name")  # type: ignore[misc]
        principles = current_principles(self.network)
        return {**super().get_form_kwargs(), "partnerships": partnerships, "principles": principles}

    def perform(self, form) -> str:
        data, fit = form.fields_and_fit()
        self.experiment = services.start_experiment(network=self.network, by=self.user, fit=fit, **data)
        return _("%(experiment)s is registered as a candidate.") % {"experiment": self.experiment}

    def get_success_url(self) -> str:
        return _url(self.experiment)


class ExperimentAction(ExperimentMixin, NetworkActionView):
    permission = RUN_EXPERIMENTS
    step = "edit"  # every trekker's step has the same actor; the service checks the step itself

    def get_form_kwargs(self):
        if not may_act(self.step, self.experiment, self.rights, self.person):
            raise PermissionDenied
        return super().get_form_kwargs()

    def get_success_url(self) -> str:
        return _url(self.experiment)


class EditExperimentView(ExperimentAction):
    template_name = "experiments/experiment_form.html"
    form_class = ExperimentForm

    def get_form_kwargs(self):
        experiment = self.experiment
        initial = {field: getattr(experiment, field) for field in services.EDITABLE}
        fit = {statement.principle_id: statement.text for statement in experiment.fit_statements.all()}
        principles = current_principles(self.network)
        return {**super().get_form_kwargs(), "initial": initial, "principles": principles, "fit": fit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(experiment=self.experiment, **kwargs)

    def perform(self, form) -> str:
        data, fit = form.fields_and_fit()
        services.update_experiment(experiment=self.experiment, by=self.user, fit=fit, **data)
        return _("Saved.")


class MoveView(ExperimentAction, ExperimentDetailView):
    http_method_names = ["post"]
    form_class = MoveForm
    form_name = "move_form"

    def perform(self, form) -> str:
        services.move_experiment(experiment=self.experiment, by=self.user, **form.move())
        return _("The experiment moved to: %(stage)s") % {"stage": Stage(form.cleaned_data["to_stage"]).label}


class StopView(ExperimentAction, ExperimentDetailView):
    http_method_names = ["post"]
    form_class = StopForm
    form_name = "stop_form"
    step = "stop"

    def perform(self, form) -> str:
        services.stop_experiment(experiment=self.experiment, by=self.user, **form.cleaned_data)
        return _("The experiment is stopped; its lessons are kept.")


class TrekkerView(ExperimentAction, ExperimentDetailView):
    http_method_names = ["post"]
    form_class = TrekkerForm
    form_name = "trekker_form"
    step = "change_trekker"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "persons": members_of(self.network)}

    def perform(self, form) -> str:
        services.change_trekker(experiment=self.experiment, by=self.user, **form.cleaned_data)
        return _("%(person)s pulls the experiment now.") % {"person": form.cleaned_data["trekker"]}


class ReopenView(ExperimentAction, ExperimentDetailView):
    http_method_names = ["post"]
    form_class = ReopenForm
    form_name = "reopen_form"
    step = "reopen"

    def perform(self, form) -> str:
        self.again = services.reopen_experiment(experiment=self.experiment, by=self.user, **form.cleaned_data)
        return _("A new candidate starts from the stopped experiment.")

    def get_success_url(self) -> str:
        return _url(self.again)


class RecordReachView(ExperimentAction, ExperimentDetailView):
    http_method_names = ["post"]
    form_class = ReachForm
    form_name = "reach_form"
    step = "record"

    def perform(self, form) -> str:
        services.record_reach(experiment=self.experiment, by=self.user, **form.cleaned_data)
        return _("The reach is recorded.")


class RecordLessonView(ExperimentAction, ExperimentDetailView):
    http_method_names = ["post"]
    form_class = LessonForm
    form_name = "lesson_form"
    step = "record"

    def perform(self, form) -> str:
        services.record_lesson(experiment=self.experiment, by=self.user, **form.cleaned_data)
        return _("The lesson is recorded.")


class ProposeView(ExperimentMixin, NetworkActionView):
    """The proposal that adopts the experiment (or moves it to mainstreaming), prefilled from it."""

    permission = PROPOSE
    template_name = "experiments/propose.html"
    form_class = ProposeForm

    def get_initial(self):
        experiment = self.experiment
        kind = self.request.GET.get("kind", ProposalKind.ADOPT_EXPERIMENT)
        if kind == ProposalKind.EXPERIMENT_TO_MAINSTREAMING:
            title = _("Move “%(experiment)s” to mainstreaming") % {"experiment": experiment}
        else:
            kind, title = (
                ProposalKind.ADOPT_EXPERIMENT,
                _("Adopt “%(experiment)s” into the ecosystem") % {"experiment": experiment},
            )
        fit = "\n".join(f"- {s.principle.text}: {s.text}" for s in experiment.fit_statements.all())
        return {"kind": kind, "title": title, "driver": experiment.question, "text": fit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(experiment=self.experiment, **kwargs)

    def perform(self, form) -> str:
        self.proposal = services.propose(experiment=self.experiment, by=self.user, **form.cleaned_data)
        return _("The proposal is drafted: open it to questions and a consent round.")

    def get_success_url(self) -> str:
        return reverse("proposal_detail", args=[self.network.slug, self.proposal.pk])
