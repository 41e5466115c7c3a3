"""Form fields for structured text, such as the cells of a spreadsheet a person uploads.

A cell is parsed by its field, never by a hand-written validator (healthchecks' ``HeadersField``):
the field turns the text into a value and words every refusal with the value as written.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CodeField(forms.TypedChoiceField):
    """One code of ``choices`` as a spreadsheet cell holds it: in any case; an empty cell is ``empty_value``.

    A refused code is named as the cell wrote it (``%(value)s`` in the ``invalid_choice`` message).
    """

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("coerce", str.lower)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def valid_value(self, value: Any) -> bool:
        return super().valid_value(str(value).lower())


class CodeListField(forms.Field):
    """Codes separated by ``|`` ("learning|local"): trimmed, lowercased, each once, in the order written.

    Every code must be one of ``choices``; the ``invalid_choice`` message names the unknown ones
    (``%(codes)s``), all of them at once.
    """

    separator = "|"
    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, *, choices: Any, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.choices = list(choices)

    def to_python(self, value: Any) -> list[str]:
        if value in self.empty_values:
            return []
        codes = (code.strip().lower() for code in str(value).split(self.separator))
        return list(dict.fromkeys(code for code in codes if code))

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        known = {str(code) for code, _label in self.choices}
        unknown = [code for code in value if code not in known]
        if unknown:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"codes": ", ".join(unknown), "value": ", ".join(unknown)},
            )


class OneLineField(forms.CharField):
    """Text whose runs of spaces, tabs and line breaks count as one space (a name as a person reads it)."""

    def to_python(self, value: Any) -> str:
        return " ".join((super().to_python(value) or "").split())


class IsoDateField(forms.DateField):
    """A date written as YYYY-MM-DD and nothing else, so 03/04/2025 is never read as the wrong month."""

    default_error_messages = {"invalid": _("The date “%(value)s” is not a date written as YYYY-MM-DD.")}
    pattern = re.compile(r"\d{4}-\d{2}-\d{2}")

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        try:
            if not self.pattern.fullmatch(value):
                raise ValueError(value)
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value}) from None


class WebsiteField(forms.URLField):
    """A web address; whatever is wrong with it (too long, no host), one refusal naming the value.

    The ``invalid`` message gets ``%(value)s``: the value as written, its first 100 characters.
    """

    default_error_messages = {"invalid": forms.URLField.default_error_messages["invalid"]}

    def clean(self, value: Any) -> str:
        try:
            return super().clean(value)
        except ValidationError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": str(value)[:100]}
            ) from None
