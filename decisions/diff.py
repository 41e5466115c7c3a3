"""A word-by-word difference between two versions of a proposal's text, as accessible HTML."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_WORDS = re.compile(r"\s+|\S+")


def word_diff(old: str, new: str) -> SafeString:
    """The difference between two texts word by word, as ``<del>`` and ``<ins>``, escaped.

    Screen readers do not announce ``<del>``/``<ins>`` everywhere, so each change also says in hidden
    text what it is.
    """
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    removed, added = _("removed:"), _("added:")
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(
                format_html(
                    '<del><span class="visually-hidden">[{} </span>{}<span class="visually-hidden">]</span></del>',
                    removed,
                    "".join(a[i1:i2]),
                )
            )
        if tag in ("insert", "replace"):
            parts.append(
                format_html(
                    '<ins><span class="visually-hidden">[{} </span>{}<span class="visually-hidden">]</span></ins>',
                    added,
                    "".join(b[j1:j2]),
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
