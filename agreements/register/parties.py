"""The parties of an agreement as the register writes them (cooperation.models.Party)."""

from __future__ import annotations

from dataclasses import dataclass

from cooperation.models import Cooperation, Party
from tenants.models import Region

PARTY_FIELDS = (
    "kind",
    "region",
    "name",
    "details",
    "document_number",
    "signatory_name",
    "signatory_position",
    "signatory_authority",
)


@dataclass
class PartyData:
    """One party as a form or an import gives it: a region of the registry, or an organisation,
    ministry or foreign body by name."""

    kind: str
    region: Region | None = None
    name: str = ""
    details: str = ""
    document_number: str = ""
    signatory_name: str = ""
    signatory_position: str = ""
    signatory_authority: str = ""


def write_parties(cooperation: Cooperation, parties: list[PartyData]) -> None:
    """Replace the agreement's parties (only while it is unsigned: see actions)."""
    cooperation.parties.all().delete()
    Party.objects.bulk_create(
        Party(
            cooperation=cooperation,
            position=position,
            kind=p.kind,
            region=p.region,
            name=p.region.full_name if p.region is not None else p.name.strip(),
            details=p.details,
            document_number=p.document_number,
            signatory_name=p.signatory_name,
            signatory_position=p.signatory_position,
            signatory_authority=p.signatory_authority,
        )
        for position, p in enumerate(parties)
    )


def copy_parties(*, source: Cooperation, target: Cooperation) -> None:
    Party.objects.bulk_create(
        Party(cooperation=target, position=p.position, **{f: getattr(p, f) for f in PARTY_FIELDS})
        for p in source.parties.all()
    )
