"""Build the demo network (idempotent), then let each app add its own demo content."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ecosystem import demo
from ecosystem.models import OutgoingEmail


class Command(BaseCommand):
    help = "Create or complete the Klooz demo network and the demo logins (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            started = timezone.now()
            networks = self._build()
            # Demo people have no mailbox: what the demo's services queued is marked sent, so the
            # on-commit delivery skips it instead of printing dozens of e-mails.
            OutgoingEmail.objects.filter(created_at__gte=started, sent_at__isnull=True).update(
                sent_at=timezone.now(), last_error="demo data: not sent"
            )
        self.stdout.write(self.style.SUCCESS("Demo network ready: " + ", ".join(n.name for n in networks.values())))
        self.stdout.write(f"Demo logins (password: {demo.DEMO_PASSWORD}):")
        for email, roles in demo.DEMO_LOGINS:
            where = "; ".join(f"{slug}: {', '.join(str(r.label) for r in rs)}" for slug, rs in roles.items())
            self.stdout.write(f"  {email:<26} {where}")

    def _build(self):
        networks = demo.build()
        for config in apps.get_app_configs():
            if config.name == "ecosystem":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            module.build(networks)
        return networks
