"""The OpenAPI schema each host serves is a valid OpenAPI 3 document (openapi-spec-validator):
an invalid one breaks client generators and misleads the fuzzing that reads it."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from .conftest import MALANG, PLATFORM, api

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", [PLATFORM, MALANG])
def test_the_served_schema_is_valid_openapi(host, malang):
    response = api(host).get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)  # raises OpenAPIValidationError with the offending path
    operation_ids = [
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    assert len(operation_ids) == len(set(operation_ids))


def test_an_optional_email_says_empty_is_allowed_without_a_default(malang):
    """`format: email` with `default: ''` made the schema invalid; the empty string is still
    accepted (no contact e-mail), so the schema says so."""
    components = api().get("/api/v1/schema/").json()["components"]["schemas"]
    for name in ("ListingWriteRequest", "PatchedListingWriteRequest"):
        email = components[name]["properties"]["contact_email"]
        assert "default" not in email
        assert {"type": "string", "maxLength": 0} in email["anyOf"]
    assert api().get("/api/v1/schema/").json()["paths"]["/api/v1/agreements/"]["get"][
        "operationId"
    ] == ("agreements_list")


def test_free_text_parameters_say_they_take_no_nul_character():
    """The NUL guard refuses any parameter holding NUL (400): the schema says so, so no
    schema-valid request is refused (schemathesis found `urusan=%00` before)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="portal.urls_public").get_schema(request=None, public=True)
    strings = [
        parameter
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if parameter["schema"].get("type") == "string" and "enum" not in parameter["schema"]
    ]
    assert strings
    # Each has a pattern (the NUL one, or a stricter one of its own, e.g. a region code's), and
    # no pattern admits a value holding NUL.
    admits_nul = [
        p["name"]
        for p in strings
        if "pattern" not in p["schema"] or re.search(p["schema"]["pattern"], "a\x00b")
    ]
    assert admits_nul == []
