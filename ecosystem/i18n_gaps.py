"""Dutch for messages that Django itself shows but whose Dutch catalogue lacks (Django 5.2).

makemessages extracts these calls into our catalogue, and LOCALE_PATHS take precedence over
Django's own, so the user sees Dutch. Never called; remove an entry once Django ships it.
"""

from django.utils.translation import ngettext


def _extracted_only() -> None:  # pragma: no cover
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        0,
    )
