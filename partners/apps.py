from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from decisions.effects import register_effect
        from partners.effects import admit_partner, check_admission

        register_effect("admit_partner", admit_partner, check=check_admission)
