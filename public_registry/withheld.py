"""What the public may see of a published version, given what the office withholds now.

A published version is immutable: it keeps what it recorded (publishing._snapshot). A
withholding decided later (UU 14/2008, Pasal 17) must still reach every version the public can
read, so no channel serves a stored snapshot as it is: every one (the detail page, the version
pages, the change feed, the API's record and versions) passes it through `public_version`, with
the record's current withholding. What is withheld comes back as null, the documents as
withheld, and the snapshot's `withheld` note says what is withheld, since when and on what legal
ground (as the Slovak contract registry and Prozorro's API show their redactions).

`FIELD_KEYS` and `PARTY_KEYS` say where each withholdable field lies in a snapshot; the
publication (publishing._snapshot) withholds through the same table (`hide`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .models import WithheldField

# Where each withholdable field lies: keys of the record, and keys of each of its parties.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    WithheldField.OBJECT: ("object",),
    WithheldField.SCOPE: ("scope",),
    WithheldField.PURPOSE: ("purpose",),
    WithheldField.LEGAL_BASIS: ("legal_basis",),
    WithheldField.FUNDING_SOURCE: ("funding_source",),
}
PARTY_KEYS: dict[str, tuple[str, ...]] = {
    WithheldField.SIGNATORIES: ("signatory_name", "signatory_position", "signatory_authority"),
    WithheldField.DOCUMENT_NUMBERS: ("document_number",),
    WithheldField.PARTY_DETAILS: ("details",),
}
# The name the `since` note uses for the signed documents.
DOCUMENTS = "documents"


@dataclass(frozen=True)
class Withheld:
    """What the office withholds from one record now: fields (WithheldField values), the signed
    documents, the legal reason, and since when each is withheld (ISO date-times, by field name
    or DOCUMENTS)."""

    fields: frozenset[str] = frozenset()
    documents: bool = False
    reason: str = ""
    since: dict[str, str] = field(default_factory=dict)

    @property
    def anything(self) -> bool:
        return bool(self.fields) or self.documents

    @classmethod
    def of_record(cls, record) -> Withheld:
        """The withholding as the record's last publication applied it (PublishedAgreement)."""
        return cls(
            fields=frozenset(record.withheld_fields),
            documents=record.documents_withheld,
            reason=record.withholding_reason,
            since=dict(record.withheld_since or {}),
        )


def hide(snapshot: dict, names) -> dict:
    """Null, in place, the values of the fields `names` in `snapshot`; returns it."""
    for name in names:
        for key in FIELD_KEYS.get(name, ()):
            snapshot[key] = None
        for party in snapshot.get("parties") or ():
            for key in PARTY_KEYS.get(name, ()):
                party[key] = None
    return snapshot


def public_version(snapshot: dict, withheld: Withheld) -> dict:
    """The published `snapshot` (any version) as the public may see it now: what it withheld
    when it was published, and what the office withholds today, are withheld; its `withheld`
    note gives today's reason and since when each item is withheld. The stored snapshot is not
    changed."""
    shown = copy.deepcopy(snapshot)
    recorded = snapshot.get("withheld") or {}
    names = set(recorded.get("fields") or ()) | set(withheld.fields)
    hide(shown, names)
    if withheld.documents:
        for document in shown.get("documents") or ():
            document["withheld"] = True
    shown["withheld"] = {
        "fields": sorted(names),
        "documents": bool(recorded.get("documents")) or withheld.documents,
        "reason": withheld.reason if withheld.anything else recorded.get("reason", ""),
        "since": {name: withheld.since[name] for name in sorted(withheld.since)},
    }
    return shown
