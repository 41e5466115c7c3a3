from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        # Registers the built-in effects (network stage, governance); other apps register theirs
        # in their own ready() through decisions.effects.register_effect.
        from decisions import effects  # noqa: F401
