"""Schema-driven fuzzing: schemathesis generates requests from the OpenAPI schema the API
serves, for every operation of both hosts, and sends them in-process through the WSGI
application (the whole middleware stack, real PostgreSQL), anonymously and with a token.

All of schemathesis's checks run (call_and_validate's default set): no server error; every
status, content type and header one the schema documents, in the shape it documents; requests
the schema allows are accepted, requests it forbids refused (positive and negative data); and
undocumented methods answered 405. The phases: the schema's examples, the coverage phase (each
parameter's boundaries, missing and malformed values, undeclared media types) and EXAMPLES
generated cases per operation: about 2,800 requests, two and a half minutes on a busy 2-core
machine."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)

from agreements.tests.factories import membership_of, new_agreement, step, to_ksb_signed
from api.throttling import AnonThrottle, TokenThrottle
from public_registry.models import PublishedAgreement
from public_registry.tests.test_views import signed
from tenants.models import Role

from .conftest import token_of

pytestmark = pytest.mark.django_db

EXAMPLES = 30
# A write's input can be well formed and still refused by the action's rules, which a schema
# cannot state (a listing valid until a date in the past, an area outside the token's region,
# a period already reported): those answer 400 with the rule's code. For writes only, then, a
# 400 to schema-valid input is not a failure; for reads it is (a parameter the schema allows
# must be accepted).
WRITE_ACCEPTANCE = ["2xx", "400", "401", "403", "404", "409", "429"]
CONFIG = schemathesis.Config.from_dict(
    {
        # A fixed seed: a failure found once is found again on the next run.
        "seed": 20260,
        "generation": {"mode": "all", "max-examples": EXAMPLES},
        "operations": [
            {
                "include-method": ["POST", "PATCH"],
                "checks": {"positive_data_acceptance": {"expected-statuses": WRITE_ACCEPTANCE}},
            }
        ],
    }
)
# The schema's examples, the coverage phase (every parameter's boundaries, missing, empty and
# malformed values, undeclared media types, undocumented methods) and EXAMPLES generated cases.
MODES = [HypothesisTestMode.EXAMPLES, HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING]
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the failure is reported as found
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app(monkeypatch):
    """The project's WSGI application, in this test's transaction: the request signals would
    otherwise close the connection mid-transaction (Django's test client does the same).

    The test setting of the rate limits: a run sends a few thousand requests from one address
    in a minute, which the anonymous limit (60 a minute) would answer with 429 after the first
    sixty, leaving the rest of the run untested. The throttles themselves are tested in
    test_reads.py."""
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "1000000/min"})
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "1000000/min"})
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@dataclass
class Platform:
    listing: object
    published: PublishedAgreement
    token: str


@pytest.fixture
def platform(malang, batu, member, make_listing) -> Platform:
    """Something for the searches and the details to find, and a token of Kota Malang's office."""
    listing = make_listing(malang)
    published = PublishedAgreement.objects.get(
        cooperation=signed(malang, "KSB Sampah", document=True)
    )
    make_listing(batu, title="Butuh tempe", kind="need")
    return Platform(listing, published, token_of(member(malang, Role.ADMIN), malang))


@pytest.fixture
def platform_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app, config=CONFIG)


@pytest.fixture
def region_token(malang, member) -> str:
    admin = member(malang, Role.ADMIN)
    office = membership_of(admin, malang)
    with tenant_context(malang):
        agreement = new_agreement(office)
        to_ksb_signed(office, agreement)
        step(office, agreement, "start_implementation")
    return token_of(admin, malang)


@pytest.fixture
def region_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", wsgi_app, headers={"Host": "kota-malang.localhost"}, config=CONFIG
    )


def _sender(base_url: str, token: str, needs_token: bool, sent: list[int]):
    def run(case):
        sent[0] += 1
        with_token = needs_token or sent[0] % 2 == 0
        headers = {"Authorization": f"Bearer {token}"} if with_token else {}
        case.call_and_validate(base_url=base_url, headers=headers)

    return run


def fuzz(schema, *, base_url: str, token: str) -> dict[str, str]:
    """Every operation through every phase; returns each operation's first failure (an empty
    dict when all held), so one run reports every operation that fails.

    Each case is sent once: with the token where the operation needs one, and on the operations
    a token is optional for, with and without it in turn (a token changes what some answer)."""
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        needs_token = {} not in (operation.definition.raw.get("security") or [{}])
        sent = [0]
        run = _sender(base_url, token, needs_token, sent)
        test = create_test(
            operation=operation,
            test_func=run,
            config=HypothesisTestConfig(project=schema.config, modes=MODES, settings=FUZZ_SETTINGS),
        )
        try:
            test()
        except Exception as exc:  # every operation's failure is collected
            failures[operation.label] = str(exc)[:3000]
        assert sent[0] > 0, operation.label
    return failures


def test_the_platform_api_answers_as_its_schema_says(platform, platform_schema):
    failures = fuzz(platform_schema, base_url="http://localhost", token=platform.token)
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())


def test_the_region_api_answers_as_its_schema_says(region_token, region_schema):
    failures = fuzz(region_schema, base_url="http://kota-malang.localhost", token=region_token)
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())


def known(schema, method: str, path: str, *, base_url: str, headers: dict, status: int, **parts):
    """One hand-made case that succeeds, checked the same way (the generated ones mostly meet
    refusals: a random id exists rarely)."""
    operation = schema[path][method]
    operation = operation.ok() if hasattr(operation, "ok") else operation
    case = operation.Case(**parts)
    response = case.call_and_validate(base_url=base_url, headers=headers)
    assert response.status_code == status, response.text[:300]


def test_the_platform_api_accepts_known_good_requests(wsgi_app, platform, platform_schema):
    schema, listing, published, raw = (
        platform_schema,
        platform.listing,
        platform.published,
        platform.token,
    )
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


def test_the_region_api_accepts_known_good_requests(wsgi_app, malang, region_token, region_schema):
    from agreements.models import Agreement

    with tenant_context(malang):
        agreement = Agreement.objects.get()
    known(
        region_schema,
        "POST",
        "/api/v1/agreements/{id}/monitoring-reports/",
        status=201,
        path_parameters={"id": agreement.pk},
        media_type="application/json",
        body={"period": "2026-1", "progress": "Berjalan", "recommendation": "continue"},
        base_url="http://kota-malang.localhost",
        headers={"Authorization": f"Bearer {region_token}"},
    )
