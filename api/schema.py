"""The OpenAPI schema's shared parts: every operation documents the one error shape for the
refusals it can give, and each operation's security says whether it needs a token."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from .serializers import ErrorSerializer

# Every operation can be refused for bad input (400), a token that is unknown, expired or revoked
# (401; a read needs none, but a bad one is refused), a role that may not (403), too many calls
# (429); 404 for what does not exist or is not the caller's (never told apart); 405 for
# a method the API does not take. Writes also: 409 (the state does not allow it), 415 (a body
# that is not JSON).
COMMON_ERRORS = ("400", "401", "403", "404", "405", "429")
WRITE_ERRORS = ("409", "415")


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = list(COMMON_ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes += WRITE_ERRORS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses

    def _needs_token(self) -> bool:
        return bool(getattr(self.view, "token_required", False))

    def get_auth(self):
        auth = super().get_auth()
        if self.method == "GET" and not self._needs_token():
            return [*auth, {}] if {} not in auth else auth
        return [a for a in auth if a != {}]
