from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from decisions.effects import register_effect
        from decisions.voices import register_voice_provider
        from partners.effects import admit_partner, check_admission
        from partners.selectors import admission_candidates, organisation_voices

        register_effect("admit_partner", admit_partner, check=check_admission, subjects=admission_candidates)
        register_voice_provider(organisation_voices)
