"""The OpenAPI schema each host serves is a valid OpenAPI 3 document (openapi-spec-validator):
an invalid one breaks client generators and misleads the fuzzing that reads it."""

from __future__ import annotations

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
