"""Fixtures of the decisions tests.

``council``: the shared ``world`` plus two more coalition members. A coalition round there has four
persons eligible (coordinator, coalition, member2, member3; quorum 2); a whole-network round also the
broad partner (five; quorum 3). The world alone has too few: a decision needs two consents besides
the proposer.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import formats, translation


@pytest.fixture(autouse=True)
def _refusals_in_english():
    """A refusal is raised in the active language: these tests read it by its English msgid, so
    they still hold once the Dutch translation arrives. What is stored or e-mailed is rendered in
    the site's language whatever is active; compare that with :func:`in_site_language`."""
    with translation.override("en"):
        yield


def in_site_language(msgid: str, **params) -> str:
    """``msgid`` as the site renders it (Dutch), with dates formatted as the outcome does."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            key: formats.date_format(value, "j F Y") if isinstance(value, datetime.date) else value
            for key, value in params.items()
        }
        text = translation.gettext(msgid)
        return text % values if values else text


class ThreadedDatabase:
    """The test database, reachable from several threads that write at the same moment.

    On PostgreSQL that is the test database itself (with ``transaction=True`` every thread's
    connection sees what the test committed). SQLite's test database lives in memory with a shared
    cache, where concurrent writers fail at once with "database table is locked" instead of
    queueing; so on SQLite the test runs against a fresh, migrated file database with the
    production options (WAL, ``BEGIN IMMEDIATE``, 20 s busy timeout): what ``make run`` uses.
    """

    def __init__(self, settings_dict: dict | None = None):
        self.settings_dict = settings_dict

    @contextmanager
    def thread(self) -> Iterator[None]:
        """Wrap a worker thread's body: its own connection to the right database, closed at the end."""
        if self.settings_dict is not None:
            connections["default"] = _wrapper(self.settings_dict)
        try:
            yield
        finally:
            connections["default"].close()


def _wrapper(settings_dict: dict):
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(copy.deepcopy(settings_dict), "default")


@pytest.fixture
def threaded_db(transactional_db, tmp_path) -> Iterator[ThreadedDatabase]:
    if connection.vendor != "sqlite":
        yield ThreadedDatabase()
        return
    # Swap the connection object, not its settings: closing the in-memory test database's only
    # connection would destroy it for the rest of the session.
    in_memory = connections["default"]
    settings_dict = {**copy.deepcopy(in_memory.settings_dict), "NAME": str(tmp_path / "concurrency.sqlite3")}
    connections["default"] = _wrapper(settings_dict)
    ContentType.objects.clear_cache()  # its ids are those of the in-memory database
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield ThreadedDatabase(settings_dict)
    finally:
        connections["default"].close()
        connections["default"] = in_memory
        ContentType.objects.clear_cache()
