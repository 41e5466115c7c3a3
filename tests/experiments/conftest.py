"""Fixtures of the experiments tests: refusals read by their English msgids."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _refusals_in_english():
    with translation.override("en"):
        yield
