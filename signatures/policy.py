"""Who decides about a document whose electronic signature does not validate: the region's
cooperation office (its administrators), who answer for what the region signs. Registered with
the permission mechanism (tenants.policy.grant) from SignaturesConfig.ready()."""

from __future__ import annotations

from enum import StrEnum

from tenants.models import Role
from tenants.policy import grant


class SignaturePerm(StrEnum):
    # Accept a signed document whose signature does not validate, was changed after signing or
    # could not be checked, with a reason (signatures.actions.accept_signature).
    ACCEPT_SIGNATURE = "signature.accept"


def register() -> None:
    grant(
        SignaturePerm,
        role_perms={Role.ADMIN: {SignaturePerm.ACCEPT_SIGNATURE}},
        writes={SignaturePerm.ACCEPT_SIGNATURE},
        owner="signatures",
    )
