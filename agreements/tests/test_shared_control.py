"""Moves that end or change an agreement for every party (reject, terminate, expire, extend,
amend) are the owning region's: a partner region's office cannot end the shared agreement for
the others, and is not offered the button."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.register import lifecycle
from cooperation.errors import AgreementError
from cooperation.models import Stage

from .factories import step
from .test_partners import accept, offered, offices  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_a_partner_region_cannot_reject_the_shared_agreement_but_the_owner_can(
    malang,
    batu,
    offices,  # noqa: F811
):
    owner, partner = offices(malang), offices(batu)
    agreement = offered(owner, batu)
    accept(partner, agreement)
    with tenant_context(batu):
        theirs = Agreement.objects.get(cooperation_id=agreement.cooperation_id)
        assert "reject" not in [
            t.name for t in lifecycle.offered_transitions(theirs, theirs.cooperation)
        ]
        with pytest.raises(ValidationError) as refused:
            step(partner, theirs, "reject", data={"reason": "Kami mundur."})
        assert refused.value.code == AgreementError.OWNER_ONLY
        theirs.cooperation.refresh_from_db()
        assert theirs.cooperation.stage == Stage.OFFER  # nothing changed, for anyone
    with tenant_context(malang):
        assert "reject" in [
            t.name for t in lifecycle.offered_transitions(agreement, agreement.cooperation)
        ]
        step(owner, agreement, "reject", data={"reason": "Prioritas berubah."})
        agreement.cooperation.refresh_from_db()
        assert agreement.cooperation.stage == Stage.REJECTED
