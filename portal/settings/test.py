"""Test settings: a real PostgreSQL, faster hashing, tasks run inline.

The database is the throw-away test cluster (`scripts/db.sh start test`: its own data directory
and port, 54339), never the one `make run` keeps. A DATABASE_URL set in the environment (not in
.env) still wins, for running the suite against another server."""

import os

# Read before the base settings load .env into the environment.
_EXPLICIT_DATABASE_URL = os.environ.get("DATABASE_URL")
# The base settings refuse the development secret key with DEBUG off, except here.
os.environ.setdefault("JEJARING_TEST_SETTINGS", "1")

from . import *  # noqa: E402, F403

if _EXPLICIT_DATABASE_URL is None:
    _TEST_PG_PORT = env("JEJARING_TEST_PG_PORT", default="54339")  # noqa: F405
    DATABASES["default"].update(  # noqa: F405
        env.db_url_config(f"postgres://jejaring@127.0.0.1:{_TEST_PG_PORT}/jejaring")  # noqa: F405
    )
    DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Per test database, so two test runs at once (different DATABASE_URLs) never wipe each other's
# files (conftest empties MEDIA_ROOT at the start of a session).
# Each pytest-xdist worker its own (its database is a clone of its own too).
_RUN = DATABASES["default"]["NAME"] + os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".pytest_media" / _RUN  # noqa: F405
EXPORT_ROOT = BASE_DIR / ".pytest_exports" / _RUN  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
