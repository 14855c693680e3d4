"""The record of processing as a Markdown document for the operator (docs/privacy-record.md),
written from the registry (privacy/registry.py) by `manage.py privacy_record --write`; a test
checks the file in the repository equals what the code says."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from . import registry

DOCUMENT = Path("docs") / "privacy-record.md"


def path() -> Path:
    return Path(settings.BASE_DIR) / DOCUMENT


def _cell(text) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render(language: str = "en") -> str:
    with translation.override(language):
        lines = [
            "# Record of processing (UU 27/2022 Pasal 31)",
            "",
            "<!-- Written by `manage.py privacy_record --write` from privacy/registry.py; a test",
            "     (privacy/tests/test_record.py) fails when this file and the code differ. -->",
            "",
            "Controller: the operator of this Jejaring installation (the contact in",
            "`JEJARING_CONTACT_EMAIL`). Processors: the regions' governments for their",
            "workspaces. Requests of the people concerned are answered within 3 × 24 hours",
            "(`/data-saya/` for the person, `/platform/data-pribadi/` for staff). Breaches:",
            "`manage.py breach_notice` lists the people affected per region and drafts the",
            "notices to them and to the authority, due within 3 × 24 hours.",
            "",
        ]
        for kind in registry.kinds():
            lines += [
                f"## {_cell(kind.label)} (`{kind.key}`)",
                "",
                "| | |",
                "|---|---|",
                f"| Purpose | {_cell(kind.purpose)} |",
                f"| Legal basis | {_cell(kind.legal_basis)} |",
                f"| Who reads it | {_cell(kind.readers)} |",
                f"| Retention | {_cell(kind.retention)} |",
                f"| On erasure ({kind.on_erasure}) | {_cell(kind.erasure_reason)} |",
                f"| Schema | {kind.schema} |",
                f"| Fields | {', '.join(f'`{f}`' for f in kind.fields)} |",
                "",
            ]
    return "\n".join(lines)
