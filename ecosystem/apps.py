from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "ecosystem"
    verbose_name = _("Ecosystem")

    def ready(self) -> None:
        post_migrate.connect(_resync_permissions, sender=self)


def _resync_permissions(sender, using="default", **kwargs) -> None:
    """The role table may have changed with this release: bring every login's rights in line."""
    from ecosystem.permissions import sync_all_permissions

    sync_all_permissions()
