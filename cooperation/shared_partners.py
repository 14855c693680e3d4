"""The regions that work on one shared agreement from their own workspaces: who they are, who
has answered the offer, who has signed. Read by the lifecycle's signing guard and by the
partners' pages (agreements/partners/actions.py); nothing here reads a region's schema."""

from __future__ import annotations

from tenants.models import Tenant

from .models import Cooperation, Participation, PartyKind, PartySignature


def party_tenants(cooperation: Cooperation) -> list[Tenant]:
    """The regions among the parties that work on Jejaring (have a live workspace), in the
    parties' order."""
    codes = list(
        cooperation.parties.filter(kind=PartyKind.REGION, region__isnull=False)
        .order_by("position", "pk")
        .values_list("region_id", flat=True)
    )
    tenants = {t.region_id: t for t in Tenant.objects.live().filter(region_id__in=codes)}
    return [tenants[code] for code in codes if code in tenants]


def awaiting_signatures(
    cooperation: Cooperation, instrument: str, *, acting_tenant: Tenant
) -> list[Tenant]:
    """The party regions on Jejaring, other than `acting_tenant`, that have not signed
    `instrument` yet."""
    signed = set(
        PartySignature.objects.filter(cooperation=cooperation, instrument=instrument).values_list(
            "tenant_id", flat=True
        )
    )
    return [
        t for t in party_tenants(cooperation) if t.pk != acting_tenant.pk and t.pk not in signed
    ]


def record_signature(
    *, cooperation: Cooperation, tenant: Tenant, instrument: str, signed_on, document, user
) -> PartySignature:
    """`tenant`'s signature of `instrument` (once; a second record keeps the first)."""
    signature, _created = PartySignature.objects.get_or_create(
        cooperation=cooperation,
        tenant=tenant,
        instrument=instrument,
        defaults={
            "signed_on": signed_on,
            "document": document,
            "signed_by": user,
            "signed_by_email": getattr(user, "email", "") or "",
        },
    )
    return signature


def answers(cooperation: Cooperation) -> dict[int, Participation]:
    """Each partner region's answer to the offer, by tenant id."""
    return {p.tenant_id: p for p in cooperation.participations.all()}
