"""One table per lifecycle: which step is allowed from which state, by whom, and why not.

A lifecycle (a proposal's life in ``decisions/lifecycle.py``; an experiment's stages next) is a dict
of its steps, ``STEPS = {"open_round": Step(allowed_from=..., actor="steer", refusal=_("..."))}``.
Two readers, one table:

- a **service** calls :func:`require_step` before it changes anything; in a state the step is not
  allowed from, it raises ``ValidationError(step.refusal, code="invalid_state")``;
- a **page** calls :func:`allowed_steps` with the current state and the actors the viewer counts as,
  and its template asks ``steps.open_round``: a button is shown exactly when the service would take it.

``actor`` is a name the lifecycle gives to whoever may take the step ("proposer", "coordinator",
"system"...). This module only compares names: each lifecycle says which names a viewer counts as
(its rights, whether they proposed it), and its services check the same with ``by`` (see
``ecosystem/permissions.py``). Kept small on purpose: states are strings, the table is data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazy translation; a dev-only package


@dataclass(frozen=True)
class Step:
    """One step of a lifecycle: the states it may be taken from, who takes it, why it is refused."""

    allowed_from: frozenset[str]
    actor: str
    refusal: StrOrPromise  # gettext_lazy: rendered in the language active when it is raised


def require_step(steps: Mapping[str, Step], name: str, state: str) -> None:
    """Refuse the step ``name`` from ``state`` with the table's message (``code="invalid_state"``)."""
    step = steps[name]
    if state not in step.allowed_from:
        raise ValidationError(step.refusal, code="invalid_state")


class AllowedSteps:
    """The steps a viewer may take now, asked by name: ``"withdraw" in steps``, ``steps.withdraw``.

    A name the table does not have is an error in both, so a typo never reads as "not allowed".
    """

    def __init__(self, names: Collection[str], known: Collection[str]):
        self._names, self._known = frozenset(names), frozenset(known)

    def __contains__(self, name: object) -> bool:
        if name not in self._known:
            raise KeyError(name)
        return name in self._names

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_") or name not in self._known:
            raise AttributeError(name)
        return name in self._names

    def without(self, *names: str) -> AllowedSteps:
        """The same, less ``names``: for a condition beyond the state that the lifecycle documents."""
        return AllowedSteps(self._names - set(names), self._known)

    def __bool__(self) -> bool:
        return bool(self._names)

    def __repr__(self) -> str:
        return f"AllowedSteps({sorted(self._names)})"


def allowed_steps(steps: Mapping[str, Step], state: str, actors: Collection[str]) -> AllowedSteps:
    """The steps allowed from ``state`` whose actor is one of ``actors`` (what the viewer counts as)."""
    names = [name for name, step in steps.items() if state in step.allowed_from and step.actor in actors]
    return AllowedSteps(names, steps)
