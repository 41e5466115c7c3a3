from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperimentsConfig(AppConfig):
    name = "experiments"
    verbose_name = _("Experiments")

    def ready(self) -> None:
        from decisions.effects import register_effect
        from experiments.effects import adopt, check_adoption, check_mainstreaming, mainstream
        from experiments.selectors import adoption_candidates, mainstreaming_candidates

        register_effect("adopt_experiment", adopt, check=check_adoption, subjects=adoption_candidates)
        register_effect(
            "experiment_to_mainstreaming", mainstream, check=check_mainstreaming, subjects=mainstreaming_candidates
        )
