"""Schema-driven fuzzing: schemathesis generates requests from the OpenAPI schema the API
serves, for every operation of both hosts, and sends them in-process through the WSGI
application (the whole middleware stack, real PostgreSQL). No answer may be a server error,
and every answer must be one the schema documents, in the shape it documents."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from agreements.tests.factories import membership_of, new_agreement, step, to_ksb_signed
from api.throttling import AnonThrottle, TokenThrottle
from public_registry.models import PublishedAgreement
from public_registry.tests.test_views import signed
from tenants.models import Role

from .conftest import token_of

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 25


@pytest.fixture
def wsgi_app(monkeypatch):
    """The project's WSGI application, in this test's transaction: the request signals would
    otherwise close the connection mid-transaction (Django's test client does the same)."""
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "100000/min"})
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "100000/min"})
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def fuzz(schema, *, base_url: str, headers: dict) -> list[str]:
    """Every operation, EXAMPLES generated cases each; returns the operations tested."""
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

        run()
        tested.append(f"{operation.method.upper()} {operation.path}")
    return tested


def known(schema, method: str, path: str, *, base_url: str, headers: dict, status: int, **parts):
    """One hand-made case that succeeds, checked the same way (the generated ones mostly meet
    refusals: a random id exists rarely)."""
    operation = (
        schema[path][method].ok() if hasattr(schema[path][method], "ok") else schema[path][method]
    )
    case = operation.Case(**parts)
    response = case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)
    assert response.status_code == status, response.text[:300]


def test_the_platform_api_survives_its_own_schema(wsgi_app, malang, batu, member, make_listing):
    listing = make_listing(malang)  # something for the searches and the detail to find
    published = PublishedAgreement.objects.get(
        cooperation=signed(malang, "KSB Sampah", document=True)
    )
    make_listing(batu, title="Butuh tempe", kind="need")
    raw = token_of(member(malang, Role.ADMIN), malang)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    for headers in ({}, {"Authorization": f"Bearer {raw}"}):
        tested = fuzz(schema, base_url="http://localhost", headers=headers)
    assert "POST /api/v1/listings/" in tested and "GET /api/v1/regions/{code}/" in tested
    token = {"Authorization": f"Bearer {raw}"}
    ok = {"base_url": "http://localhost", "headers": token}
    known(schema, "GET", "/api/v1/regions/", status=200, query={"parent": "35"}, **ok)
    known(
        schema,
        "GET",
        "/api/v1/regions/{code}/",
        status=200,
        path_parameters={"code": "35.73.01"},
        **ok,
    )
    known(schema, "GET", "/api/v1/listings/", status=200, query={"q": "tempe"}, **ok)
    known(
        schema,
        "GET",
        "/api/v1/listings/{id}/",
        status=200,
        path_parameters={"id": listing.pk},
        **ok,
    )
    known(schema, "GET", "/api/v1/partners/", status=200, **ok)
    known(schema, "GET", "/api/v1/listings/own/", status=200, query={"status": "published"}, **ok)
    known(schema, "GET", "/api/v1/agreements/", status=200, query={"region": ["35.73"]}, **ok)
    known(
        schema,
        "GET",
        "/api/v1/agreements/{id}/",
        status=200,
        path_parameters={"id": published.pk},
        **ok,
    )
    known(
        schema,
        "GET",
        "/api/v1/agreements/{id}/versions/{number}/",
        status=200,
        path_parameters={"id": published.pk, "number": 1},
        **ok,
    )
    body = {
        "kind": "need",
        "title": "Kedelai",
        "description": "Kedelai lokal.",
        "sector": "A",
        "urusan": "3.31",
        "contact_name": "Dinas",
        "contact_phone": "0341",
        "valid_until": "2027-06-30",
    }
    known(
        schema,
        "POST",
        "/api/v1/listings/",
        status=201,
        body=body,
        media_type="application/json",
        **ok,
    )
    known(
        schema,
        "POST",
        "/api/v1/proposals/",
        status=201,
        media_type="application/json",
        body={
            "region": "35.79",
            "proposer_kind": "company",
            "organisation": "PT Tempe",
            "title": "Tempe",
            "description": "Tempe bersama.",
            "urusan": ["3.31"],
        },
        **ok,
    )


def test_the_region_api_survives_its_own_schema(wsgi_app, malang, member):
    admin = member(malang, Role.ADMIN)
    office = membership_of(admin, malang)
    with tenant_context(malang):
        agreement = new_agreement(office)
        to_ksb_signed(office, agreement)
        step(office, agreement, "start_implementation")
    raw = token_of(admin, malang)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", wsgi_app, headers={"Host": "kota-malang.localhost"}
    )
    known(
        schema,
        "POST",
        "/api/v1/agreements/{id}/monitoring-reports/",
        status=201,
        path_parameters={"id": agreement.pk},
        media_type="application/json",
        body={"period": "2026-1", "progress": "Berjalan", "recommendation": "continue"},
        base_url="http://kota-malang.localhost",
        headers={"Authorization": f"Bearer {raw}"},
    )
    for headers in ({}, {"Authorization": f"Bearer {raw}"}):
        tested = fuzz(schema, base_url="http://kota-malang.localhost", headers=headers)
    assert sorted(tested) == [
        "GET /api/v1/agreements/{id}/monitoring-reports/",
        "POST /api/v1/agreements/{id}/monitoring-reports/",
    ]
