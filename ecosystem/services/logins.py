"""A person's login: linked, moved or unlinked, with the rights of the person's roles following it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecosystem.models import (
    Person,
    User,
)
from ecosystem.permissions import sync_login, sync_permissions


@transaction.atomic
def link_user(*, person: Person, user: User) -> Person:
    """Give a person their login and with it the rights of every role they hold."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id not in (None, user.pk):
        raise ValidationError(_("This person already has a login."))
    person.user = user
    person.save(update_fields=["user"])
    sync_permissions(person)
    return person


@transaction.atomic
def set_login(*, person: Person, user: User | None) -> Person:
    """Give a person a login, another login, or none (``user=None``): the Django admin's way.

    Before: ``user`` belongs to no other person. After: the new login has exactly the rights of the
    person's roles, and a login the person had before has none of them any more.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    previous = person.user
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError(_("This login belongs to another person."))
    person.user = user
    person.save(update_fields=["user"])
    if previous is not None and previous != user:
        sync_login(previous)
    sync_permissions(person)
    return person
