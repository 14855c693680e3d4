"""Token authentication: `Authorization: Bearer jjr_...`. The API knows no sessions, so a
browser's cookies never authorise a call (and no CSRF token is needed)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .errors import ApiError
from .tokens import token_for


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as `Authorization: Bearer <token>`."),
                code=ApiError.AUTHENTICATION_FAILED,
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = token_for(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The token is unknown, expired or revoked. Create a new one in your workspace."),
                code=ApiError.AUTHENTICATION_FAILED,
            )
        return token.membership.user, token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "A token created by a region member on their workspace's API tokens page; it "
                "acts as that member, in that region, with that role."
            ),
        }
