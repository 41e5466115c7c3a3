"""One way for a service to change a row's fields (the HackSoft styleguide's ``model_update``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(instance: M, changes: Mapping[str, Any], *, allowed: Collection[str]) -> M:
    """Set ``changes`` on ``instance``, validate the whole row and save it.

    A field outside ``allowed`` is a programming error (``TypeError``), never a silent change: a
    service names the fields its callers may change. A ``ValidationError`` leaves the row unsaved.
    """
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{type(instance).__name__} fields that cannot be changed here: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return instance
