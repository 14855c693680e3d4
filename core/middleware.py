from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from .errors import DomainError, error_payload


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


class DomainErrorMiddleware:
    """A `DomainError` that reached the top answers with its status and message: an error page
    for people, JSON with the stable code for the API. Views still handle the errors they can
    explain in place (a form error next to its field)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        status, body = error_payload(exception)
        if wants_json(request):
            return JsonResponse(body, status=status)
        return render(request, "error.html", {"error": exception}, status=status)
