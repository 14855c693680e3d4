"""The product's own 503 page while the database cannot be reached.

When PostgreSQL restarts, fails over or refuses connections, whatever touches it first (the
tenant lookup in django-tenants' middleware, a session, a view) raises Django's
OperationalError or InterfaceError. Django turns an uncaught exception into the answer of the
root URL conf's `handler500`, called inside the `except` block, so the exception is still the
one being handled: `server_error` below answers a database outage with 503 Service Unavailable,
the product's page `503.html` and `Retry-After`, and anything else with the usual 500 page.
Neither page touches the database (they are rendered without a request context: no context
processor, no session, no user). With DEBUG on, Django's technical page is shown instead, as for
any error. `CONN_HEALTH_CHECKS` (settings) drops a broken persistent connection before reuse, so
the first request after the database is back reconnects by itself.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# Seconds a client (or a proxy) is told to wait before trying again.
RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(exc: BaseException | None) -> bool:
    """The exception, or one it was raised from or during, is a lost or refused database
    connection (psycopg's own errors arrive wrapped in Django's)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """`handler500` of both URL confs (portal/urls_public.py, portal/urls_tenant.py)."""
    if is_database_outage(sys.exc_info()[1]):
        logger.warning("Database unavailable: answered %s with 503", request.path)
        return unavailable_response()
    return django_server_error(request, template_name=template_name)
