"""The error model: one JSON shape and one status per error, whoever raises it."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.errors import Conflict, DomainError, Forbidden, NotFound, error_payload
from core.middleware import DomainErrorMiddleware


def test_domain_errors_carry_their_status_and_stable_code():
    assert error_payload(Forbidden("Tidak boleh.", code="tenant_suspended")) == (
        403,
        {"error": {"code": "tenant_suspended", "message": "Tidak boleh."}},
    )
    assert error_payload(NotFound("x"))[0] == 404
    assert error_payload(Conflict("x"))[1]["error"]["code"] == "conflict"
    assert isinstance(Forbidden("x"), PermissionDenied)  # Django's 403 handling applies too


def test_validation_errors_map_field_by_field():
    status, body = error_payload(
        ValidationError({"area": ValidationError("Di luar daerah.", code="area_outside_region")})
    )
    assert status == 400
    assert body["error"]["fields"]["area"] == [
        {"code": "area_outside_region", "message": "Di luar daerah."}
    ]


def test_anything_else_is_not_part_of_the_model():
    with pytest.raises(TypeError):
        error_payload(ValueError("x"))


@pytest.mark.django_db
def test_the_middleware_answers_the_api_in_json_and_people_with_a_page():
    middleware = DomainErrorMiddleware(lambda request: None)
    api = middleware.process_exception(
        RequestFactory().get("/api/v1/x/"), Conflict("Sudah diputuskan.", code="already")
    )
    assert api.status_code == 409
    assert json.loads(api.content) == {"error": {"code": "already", "message": "Sudah diputuskan."}}
    assert middleware.process_exception(RequestFactory().get("/"), ValueError()) is None
    assert issubclass(Forbidden, DomainError)
