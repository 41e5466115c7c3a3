"""Settings for the test suite: the production shape (DEBUG off), minus HTTPS and slow hashing.

``DATABASE_URL`` and ``REDIS_URL`` still decide the database and broker, so the same suite runs on
SQLite and, in ``.ci/run``, on PostgreSQL with Redis.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_LIVE_WORKER")
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Evidence uploads of the tests go to a throwaway directory, not var/.
STORAGES["evidence"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": os.path.join(tempfile.gettempdir(), "leerecosysteem-test-evidence")},
}
STATIC_ROOT = None  # type: ignore[assignment]  # whitenoise serves from the finders in tests; nothing is collected
