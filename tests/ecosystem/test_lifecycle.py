"""The generic lifecycle table (ecosystem/lifecycle.py): services refuse by it, pages ask it by name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ecosystem.lifecycle import Step, allowed_steps, require_step

STEPS = {
    "start": Step(frozenset({"idea"}), "lead", "Only an idea can start."),
    "stop": Step(frozenset({"idea", "running"}), "anyone", "It has stopped already."),
}


def test_a_step_from_a_state_it_is_not_allowed_from_is_refused_with_the_tables_message():
    require_step(STEPS, "start", "idea")
    with pytest.raises(ValidationError) as refused:
        require_step(STEPS, "start", "running")
    assert refused.value.code == "invalid_state"
    assert refused.value.messages == ["Only an idea can start."]


def test_allowed_steps_are_those_of_the_state_and_the_actors_and_an_unknown_name_is_an_error():
    steps = allowed_steps(STEPS, "idea", {"anyone"})
    assert (steps.stop, steps.start) == (True, False)
    assert "stop" in steps and "start" not in steps
    assert not steps.without("stop")
    assert allowed_steps(STEPS, "running", {"lead", "anyone"}).stop
    with pytest.raises(AttributeError):
        steps.strat  # noqa: B018 - a typo is an error, never "not allowed"
    with pytest.raises(KeyError):
        "strat" in steps  # noqa: B015
