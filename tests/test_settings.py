"""Production settings, read from the environment, checked in fresh processes with a clean environment.

Each case starts ``python`` with only the variables it names (plus PATH and HOME), so nothing leaks in
from the test settings or the shell that runs the suite (``.ci/run`` sets DATABASE_URL and REDIS_URL).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "leerecosysteem.example.org",
}
# Nothing listens on port 1: a check that tried to connect would fail loudly.
UNREACHABLE = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:1/leerecosysteem",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}


def run(code: str | None = None, *, args: list[str] | None = None, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` after ``django.setup()`` (or ``manage.py args``) with exactly ``env``."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    if args is not None:
        command = [sys.executable, "manage.py", *args]
    else:
        command = [sys.executable, "-c", "import django\ndjango.setup()\n" + textwrap.dedent(code or "")]
    return subprocess.run(command, cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120)


def settings_json(**env: str) -> dict:
    result = run(
        """
        import json
        from django.conf import settings
        print(json.dumps({
            "debug": settings.DEBUG,
            "cache": settings.CACHES["default"]["BACKEND"],
            "cache_location": settings.CACHES["default"].get("LOCATION"),
            "eager": settings.CELERY_TASK_ALWAYS_EAGER,
            "broker": settings.CELERY_BROKER_URL,
            "result_backend": settings.CELERY_RESULT_BACKEND,
            "engine": settings.DATABASES["default"]["ENGINE"],
        }))
        """,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def error_of(result: subprocess.CompletedProcess) -> str:
    """The exception line at the end of a failed start-up's traceback."""
    assert result.returncode != 0, "the process started, but should have refused"
    return result.stderr.strip().splitlines()[-1]


def test_refuses_to_start_without_a_secret_key():
    error = error_of(run("", DJANGO_ALLOWED_HOSTS="leerecosysteem.example.org"))
    assert error.startswith("django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY is not set.")


def test_refuses_to_start_without_allowed_hosts():
    error = error_of(run("", DJANGO_SECRET_KEY=PRODUCTION["DJANGO_SECRET_KEY"]))
    assert error.startswith("django.core.exceptions.ImproperlyConfigured: DJANGO_ALLOWED_HOSTS is not set.")


@pytest.mark.parametrize("value", ["maybe", "yes please", "2"])
def test_refuses_an_unreadable_debug_flag(value):
    error = error_of(run("", DJANGO_DEBUG=value, **PRODUCTION))
    assert error == f"django.core.exceptions.ImproperlyConfigured: DJANGO_DEBUG must be true or false, not {value!r}."


def test_debug_flag_off_by_default_and_on_when_asked():
    assert settings_json(**PRODUCTION)["debug"] is False
    # Local development: no key or hosts needed.
    assert settings_json(DJANGO_DEBUG="true")["debug"] is True


def test_sqlite_without_database_url_uses_wal_and_immediate_transactions(tmp_path):
    """Open a real connection with the configured OPTIONS (on a temporary file) and ask SQLite."""
    db = tmp_path / "probe.sqlite3"
    result = run(
        f"""
        import json, sqlite3
        from django.conf import settings
        from django.db import connection, transaction

        config = settings.DATABASES["default"]
        assert config["ENGINE"] == "django.db.backends.sqlite3", config["ENGINE"]
        assert connection.connection is None, "opened before NAME was swapped"
        config["NAME"] = {str(db)!r}  # same OPTIONS, a throwaway file instead of var/db.sqlite3
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal_mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("CREATE TABLE probe (id integer)")

        # IMMEDIATE takes the write lock at BEGIN, before any statement: a second writer that
        # will not wait is refused at once. (With DEFERRED it would get the lock.)
        other = sqlite3.connect({str(db)!r}, timeout=0, isolation_level=None)
        with transaction.atomic():
            try:
                other.execute("BEGIN IMMEDIATE")
                second_writer = "got the lock"
                other.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                second_writer = str(exc)
        print(json.dumps({{
            "journal_mode": journal_mode,
            "synchronous": synchronous,
            "transaction_mode": connection.transaction_mode,
            "second_writer": second_writer,
        }}))
        """,
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["journal_mode"] == "wal"
    assert probe["synchronous"] == 1  # NORMAL
    assert probe["transaction_mode"] == "IMMEDIATE"
    assert probe["second_writer"] == "database is locked"


def test_without_redis_tasks_run_in_process_and_the_cache_is_local():
    config = settings_json(**PRODUCTION)
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert config["eager"] is True
    assert config["broker"] == "memory://"


def test_with_redis_tasks_go_to_the_broker_and_the_cache_is_redis():
    config = settings_json(**PRODUCTION, **UNREACHABLE)
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert config["cache_location"] == UNREACHABLE["REDIS_URL"]
    assert config["eager"] is False
    assert config["broker"] == UNREACHABLE["REDIS_URL"]
    assert config["result_backend"] == UNREACHABLE["REDIS_URL"]


@pytest.mark.parametrize(
    ("env", "eager"),
    [({}, True), ({"REDIS_URL": "redis://127.0.0.1:1/0"}, True), ({"CELERY_LIVE_WORKER": "1"}, False)],
)
def test_test_settings_run_tasks_eagerly_unless_a_live_worker_is_asked_for(env, eager):
    assert settings_json(DJANGO_SETTINGS_MODULE="config.settings_test", **env)["eager"] is eager


def test_check_deploy_passes_in_a_production_environment():
    """``check --deploy`` reports nothing, and does not need the database or Redis to answer."""
    result = run(args=["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION, **UNREACHABLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_e_mailed_links_follow_the_port_the_local_server_runs_on():
    """`make run PORT=9000` serves on 9000: an invitation e-mailed from it must link to 9000."""
    code = "from django.conf import settings; print(settings.SITE_URL)"

    on_9000 = run(code, DJANGO_DEBUG="true", PORT="9000")
    chosen = run(code, DJANGO_DEBUG="true", PORT="9000", SITE_URL="https://leerecosysteem.example.org/")

    assert on_9000.stdout.strip() == "http://127.0.0.1:9000", on_9000.stderr
    assert chosen.stdout.strip() == "https://leerecosysteem.example.org"
