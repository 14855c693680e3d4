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


# Parameters never carry a NUL character: the guard in front of every view refuses it (400,
# portal.middleware.RejectNullBytesMiddleware), so the schema says so, and a client generated
# from it (or schemathesis) never sends one expecting an answer.
NO_NUL = "^[^\\u0000]*$"


def forbid_nul_in_parameters(result, generator, request, public):
    """drf-spectacular post-processing hook: every free-text string parameter (query and path)
    gets the pattern that excludes NUL."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                target = schema.get("items", {}) if schema.get("type") == "array" else schema
                if target.get("type") == "string" and not {"enum", "pattern"} & set(target):
                    target["pattern"] = NO_NUL
    return result
