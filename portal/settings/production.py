"""Production settings: behind a TLS-terminating reverse proxy (docker-compose.yml's Caddy).

`manage.py check --deploy` passes with no warnings with these and a real secret key
(portal/tests/test_deploy_check.py). The proxy sets X-Forwarded-Proto; gunicorn is reachable
only through it."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("JEJARING_SCHEME", "https")
os.environ.setdefault("JEJARING_PORT", "443")

from . import *  # noqa: E402, F403

DEBUG = False
# The proxy terminates TLS and says so in this header (set by Caddy; never by the client,
# since gunicorn is not published).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A year of HSTS on the base domain and every region's subdomain. Preload is announced (a
# registrable base domain may then be submitted to browsers' preload lists; removing it later
# takes months).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)  # noqa: F405
