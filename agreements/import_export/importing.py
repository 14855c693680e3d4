"""Bulk import of old agreements from a CSV or XLSX file, with a report per row.

A file imports whole or not at all. First every row is read and checked (types, codes, dates,
regions, lengths, duplicates); any problem and nothing is written, and the report lists every
problem with its row number (the file's own: the header is row 1), its column, a message and a
stable code. Then, in ONE transaction, every row goes through the register's own action
(`actions.create_agreement`, so the register's rules, permission and audit apply unchanged); if
the action refuses any row, the whole transaction is rolled back and those refusals are reported
the same way.

Relations between agreements (a PKS under its KSB, an addendum to an agreement, a renewal of
one) are written as the other agreement's document number (this region's own number,
`own_document_number`): of another row of the same file, or of an agreement already in the
register. Rows are written in an order where the agreement referred to comes first; a reference
to nothing, to two agreements, to the row itself, in a circle, or a PKS under a PKS is reported
on its row, and nothing is imported.

Rows enter the register in preparation: entering an agreement *as signed* needs its signed PDF
(the lifecycle's rule), which a spreadsheet row cannot carry; the office records each signing
with its scan afterwards.

The file's type is decided by its content, never its name: an XLSX is a ZIP holding a workbook,
a CSV is text (UTF-8, or Windows-1252 as Excel saves it) separated by commas or semicolons.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from agreements.import_export.exporting import add_sheet, workbook_bytes, write_csv
from agreements.models import Agreement
from agreements.register import actions
from agreements.register.parties import PartyData
from cooperation import urusan as urusan_codes
from cooperation.errors import AgreementError
from cooperation.models import Cooperation, Kind, Party, PartyKind
from cooperation.policy import AgreementPerm
from core.errors import Forbidden
from core.spreadsheets import append_row
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership, Region
from tenants.policy import has_perm

# At most this many agreements per file (a larger archive is imported in several files).
MAX_ROWS = 2000
# An XLSX is a ZIP: refuse one that would inflate past this (a "zip bomb").
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class ImportErrorCode(StrEnum):
    """Stable codes of the import's report (the register's own codes, cooperation.errors, are
    reported as they are when its action refuses a row)."""

    FILE_TYPE = "import_file_type"
    OLD_EXCEL = "import_old_excel"
    FILE_TOO_LARGE = "import_file_too_large"
    FILE_UNREADABLE = "import_file_unreadable"
    EMPTY = "import_empty"
    MISSING_COLUMNS = "import_missing_columns"
    UNKNOWN_COLUMNS = "import_unknown_columns"
    TOO_MANY_ROWS = "import_too_many_rows"
    REQUIRED = "import_required"
    INVALID_CHOICE = "import_invalid_choice"
    INVALID_DATE = "import_invalid_date"
    INVALID_BOOLEAN = "import_invalid_boolean"
    UNKNOWN_REGION = "import_unknown_region"
    TOO_LONG = "import_too_long"
    DUPLICATE_IN_FILE = "import_duplicate_in_file"
    ALREADY_IN_REGISTER = "import_already_in_register"
    UNKNOWN_REFERENCE = "import_unknown_reference"
    AMBIGUOUS_REFERENCE = "import_ambiguous_reference"
    SELF_REFERENCE = "import_self_reference"
    REFERENCE_CYCLE = "import_reference_cycle"
    PARENT_NOT_KSB = "import_parent_not_ksb"


@dataclass(frozen=True)
class Column:
    key: str  # the header, as written in the file (stable; not translated)
    help: object  # lazy: what to write
    required: bool = False
    max_length: int | None = None
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "kind",
        gettext_lazy("Kind of cooperation, one of the codes on the sheet “codes”."),
        required=True,
        example=Kind.KSDD_SUKARELA,
    ),
    Column("title", gettext_lazy("Title of the agreement."), True, 300, "KSB Malang Raya"),
    Column(
        "urusan",
        gettext_lazy("Urusan codes, separated by semicolons (e.g. 1.03; 2.15)."),
        True,
        example="1.03; 2.15",
    ),
    Column("object", gettext_lazy("Object."), True, example="Penanganan kemacetan lalu lintas"),
    Column("scope", gettext_lazy("Scope."), example="Infrastruktur dan perhubungan"),
    Column("purpose", gettext_lazy("Purpose.")),
    Column("legal_basis", gettext_lazy("Legal basis."), example="PP 28/2018"),
    Column("funding_source", gettext_lazy("Funding source."), max_length=300, example="APBD"),
    Column(
        "term_start",
        gettext_lazy("Start of the term: YYYY-MM-DD or DD/MM/YYYY."),
        example="2021-01-01",
    ),
    Column(
        "term_end", gettext_lazy("End of the term: YYYY-MM-DD or DD/MM/YYYY."), example="2025-12-31"
    ),
    Column(
        "own_document_number",
        gettext_lazy("This region's number for the document."),
        max_length=120,
        example="180/01/35.73.112/2021",
    ),
    Column("own_signatory_name", gettext_lazy("This region's signatory."), max_length=150),
    Column("own_signatory_position", gettext_lazy("Their position."), max_length=200),
    Column("own_signatory_authority", gettext_lazy("Their basis of authority."), max_length=300),
    Column(
        "partner_kind",
        gettext_lazy("Kind of partner: region, organisation, ministry or foreign."),
        required=True,
        example=PartyKind.REGION,
    ),
    Column(
        "partner_region_code",
        gettext_lazy("For a region: its Kemendagri code (e.g. 35.07)."),
        example="35.07",
    ),
    Column(
        "partner_name",
        gettext_lazy("For an organisation, ministry or foreign body: its name."),
        max_length=200,
    ),
    Column("partner_details", gettext_lazy("The partner's details (address, legal form).")),
    Column(
        "partner_document_number",
        gettext_lazy("The partner's number for the document."),
        max_length=120,
    ),
    Column("partner_signatory_name", gettext_lazy("The partner's signatory."), max_length=150),
    Column("partner_signatory_position", gettext_lazy("Their position."), max_length=200),
    Column(
        "partner_signatory_authority", gettext_lazy("Their basis of authority."), max_length=300
    ),
    Column("responsible_opd", gettext_lazy("The responsible OPD (internal)."), max_length=150),
    Column(
        "burdens_public",
        gettext_lazy("Burdens the public or the region: yes or no (empty: no)."),
        example="no",
    ),
    Column(
        "funded_in_current_budget",
        gettext_lazy("Funding is in the current budget or none is needed: yes or no (empty: yes)."),
        example="yes",
    ),
    # Relations: the other agreement's own_document_number (a row of this file or an agreement
    # already in the register).
    Column(
        "parent_document_number",
        gettext_lazy(
            "For a PKS under a KSB: the KSB's own_document_number (a row of this file, or an "
            "agreement already in the register)."
        ),
        max_length=120,
    ),
    Column(
        "amends_document_number",
        gettext_lazy(
            "For an addendum: the own_document_number of the agreement it amends (a row of "
            "this file, or an agreement already in the register)."
        ),
        max_length=120,
    ),
    Column(
        "renews_document_number",
        gettext_lazy(
            "For a renewal: the own_document_number of the agreement it renews (a row of this "
            "file, or an agreement already in the register)."
        ),
        max_length=120,
    ),
)
# The relation columns and the shared record's field each one sets.
RELATIONS = {
    "parent_document_number": "parent",
    "amends_document_number": "amends",
    "renews_document_number": "renews",
}
KEYS = tuple(c.key for c in COLUMNS)
BY_KEY = {c.key: c for c in COLUMNS}
YES = {"yes", "ya", "y", "true", "1", "benar"}
NO = {"no", "tidak", "t", "n", "false", "0", "salah"}


@dataclass(frozen=True)
class RowError:
    row: int  # the file's row number (the header is row 1); 0 for the file as a whole
    column: str
    message: str
    code: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0  # data rows read
    imported: int = 0  # agreements written (0 unless the whole file went in)
    checked_only: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class FileRefused(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.error = RowError(0, "", message, code)


# --- Reading the file -------------------------------------------------------------------------


def read_table(content: bytes) -> list[tuple[int, dict[str, object]]]:
    """The data rows of a CSV or XLSX file as (row number, {column: value}); blank rows are
    skipped. Raises FileRefused for a file that cannot be imported as a whole."""
    if content.startswith(XLS_MAGIC):
        raise FileRefused(
            _("This is an old Excel file (.xls). Save it as .xlsx or CSV and upload it again."),
            ImportErrorCode.OLD_EXCEL,
        )
    if content.startswith(ZIP_MAGIC):
        table = _read_xlsx(content)
    elif content.startswith(b"%PDF") or b"\x00" in content[:4096]:
        raise FileRefused(_not_a_table(), ImportErrorCode.FILE_TYPE)
    else:
        table = _read_csv(content)
    if not table or not any(_filled(v) for v in table[0]):
        raise FileRefused(_("The file is empty."), ImportErrorCode.EMPTY)
    header = [str(v or "").strip().lower() for v in table[0]]
    missing = [c.key for c in COLUMNS if c.required and c.key not in header]
    if missing:
        raise FileRefused(
            _("The first row must name the columns; missing: %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)},
            ImportErrorCode.MISSING_COLUMNS,
        )
    unknown = [h for h in header if h and h not in BY_KEY]
    if unknown:
        raise FileRefused(
            _("Unknown columns: %(columns)s. Use the template's column names.")
            % {"columns": ", ".join(unknown)},
            ImportErrorCode.UNKNOWN_COLUMNS,
        )
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(_filled(v) for v in values):
            continue
        rows.append(
            (
                number,
                {
                    key: values[i] if i < len(values) else None
                    for i, key in enumerate(header)
                    if key
                },
            )
        )
    if not rows:
        raise FileRefused(_("The file has no agreements below its header."), ImportErrorCode.EMPTY)
    if len(rows) > MAX_ROWS:
        raise FileRefused(
            _(
                "The file has %(rows)s agreements; at most %(max)s can be imported at once. "
                "Split it."
            )
            % {"rows": len(rows), "max": MAX_ROWS},
            ImportErrorCode.TOO_MANY_ROWS,
        )
    return rows


def _not_a_table() -> str:
    return _("This is neither a CSV nor an XLSX file. Start from the template.")


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")  # what Excel's "CSV" saves on Windows
        except UnicodeDecodeError as exc:
            raise FileRefused(_not_a_table(), ImportErrorCode.FILE_TYPE) from exc
    # Text, not a binary file that happens to decode: no control characters but line breaks
    # and tabs.
    if any(ord(ch) < 32 and ch not in "\t\r\n" or ord(ch) == 127 for ch in text[:4096]):
        raise FileRefused(_not_a_table(), ImportErrorCode.FILE_TYPE)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileRefused(
            _("The CSV file cannot be read: %(error)s") % {"error": exc},
            ImportErrorCode.FILE_UNREADABLE,
        ) from exc


def _read_xlsx(content: bytes) -> list[list[object]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileRefused(_not_a_table(), ImportErrorCode.FILE_TYPE) from exc
    if "xl/workbook.xml" not in names:
        raise FileRefused(_not_a_table(), ImportErrorCode.FILE_TYPE)
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused(
            _("The workbook is too large once unpacked. Split it into several files."),
            ImportErrorCode.FILE_TOO_LARGE,
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileRefused(
            _("The XLSX file cannot be read; open it in a spreadsheet and save it again."),
            ImportErrorCode.FILE_UNREADABLE,
        ) from exc


# --- Checking each row ------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int
    fields: dict
    parties: list[PartyData]
    private: dict
    own_document_number: str
    # {relation column: ("row", the row's number) or ("register", an agreement's pk)}
    references: dict = field(default_factory=dict)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _boolean(value, default: bool) -> bool:
    text = _text(value).lower()
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


def check_rows(
    rows: Iterable[tuple[int, dict]], *, region: Region
) -> tuple[list[ParsedRow], list[RowError]]:
    """Every row read into the action's input, and every problem found on the way."""
    rows = list(rows)
    codes = {
        _text(values.get("partner_region_code"))
        for _number, values in rows
        if _text(values.get("partner_region_code"))
    }
    regions = {r.code: r for r in Region.objects.autonomous().filter(code__in=codes)}
    own_numbers = {
        _text(values.get("own_document_number"))
        for _number, values in rows
        if _text(values.get("own_document_number"))
    }
    # This region's document numbers already in its register (its own party on its agreements).
    registered = set(
        Party.objects.filter(
            region=region,
            document_number__in=own_numbers,
            cooperation_id__in=Agreement.objects.values("cooperation_id"),
        ).values_list("document_number", flat=True)
    )
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        row_errors: list[RowError] = []

        def fail(column: str, message: str, code: str, number=number, row_errors=row_errors):
            row_errors.append(RowError(number, column, message, code))

        text = {key: _text(values.get(key)) for key in KEYS}
        for column in COLUMNS:
            if column.required and not text[column.key]:
                fail(column.key, _("Required."), ImportErrorCode.REQUIRED)
            if column.max_length and len(text[column.key]) > column.max_length:
                fail(
                    column.key,
                    _("At most %(max)s characters (this has %(length)s).")
                    % {"max": column.max_length, "length": len(text[column.key])},
                    ImportErrorCode.TOO_LONG,
                )
        kind = text["kind"].lower()
        if kind and kind not in Kind.values:
            fail(
                "kind",
                _("“%(value)s” is not a kind; use one of: %(choices)s.")
                % {"value": text["kind"], "choices": ", ".join(Kind.values)},
                ImportErrorCode.INVALID_CHOICE,
            )
        partner_kind = text["partner_kind"].lower()
        if partner_kind and partner_kind not in PartyKind.values:
            fail(
                "partner_kind",
                _("“%(value)s” is not a kind of partner; use one of: %(choices)s.")
                % {"value": text["partner_kind"], "choices": ", ".join(PartyKind.values)},
                ImportErrorCode.INVALID_CHOICE,
            )
        dates = {}
        for key in ("term_start", "term_end"):
            try:
                dates[key] = _date(values.get(key))
            except ValueError:
                fail(
                    key,
                    _("“%(value)s” is not a date; write YYYY-MM-DD or DD/MM/YYYY.")
                    % {"value": text[key]},
                    ImportErrorCode.INVALID_DATE,
                )
        flags = {}
        for key, default in (("burdens_public", False), ("funded_in_current_budget", True)):
            try:
                flags[key] = _boolean(values.get(key), default)
            except ValueError:
                fail(
                    key,
                    _("“%(value)s” is neither yes nor no.") % {"value": text[key]},
                    ImportErrorCode.INVALID_BOOLEAN,
                )
        partner_region = None
        if partner_kind == PartyKind.REGION:
            code = text["partner_region_code"]
            partner_region = regions.get(code)
            if not code:
                fail("partner_region_code", _("Required for a region."), ImportErrorCode.REQUIRED)
            elif partner_region is None:
                fail(
                    "partner_region_code",
                    _("“%(code)s” is not the code of a province, kabupaten or kota.")
                    % {"code": code},
                    ImportErrorCode.UNKNOWN_REGION,
                )
        elif partner_kind and not text["partner_name"]:
            fail("partner_name", _("Required for this kind of partner."), ImportErrorCode.REQUIRED)
        own_number = text["own_document_number"]
        if own_number:
            if own_number in registered:
                fail(
                    "own_document_number",
                    _("An agreement with this document number is already in the register."),
                    ImportErrorCode.ALREADY_IN_REGISTER,
                )
            elif own_number in seen:
                fail(
                    "own_document_number",
                    _("Row %(row)s has the same document number.") % {"row": seen[own_number]},
                    ImportErrorCode.DUPLICATE_IN_FILE,
                )
            seen.setdefault(own_number, number)
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append(
            ParsedRow(
                number=number,
                fields={
                    "kind": kind,
                    "title": text["title"],
                    "urusan": [
                        c.strip() for c in text["urusan"].replace(",", ";").split(";") if c.strip()
                    ],
                    "object": text["object"],
                    "scope": text["scope"],
                    "purpose": text["purpose"],
                    "legal_basis": text["legal_basis"],
                    "funding_source": text["funding_source"],
                    "term_start": dates.get("term_start"),
                    "term_end": dates.get("term_end"),
                },
                parties=[
                    PartyData(
                        kind=PartyKind.REGION,
                        region=region,
                        document_number=own_number,
                        signatory_name=text["own_signatory_name"],
                        signatory_position=text["own_signatory_position"],
                        signatory_authority=text["own_signatory_authority"],
                    ),
                    PartyData(
                        kind=partner_kind,
                        region=partner_region,
                        name="" if partner_region else text["partner_name"],
                        details=text["partner_details"],
                        document_number=text["partner_document_number"],
                        signatory_name=text["partner_signatory_name"],
                        signatory_position=text["partner_signatory_position"],
                        signatory_authority=text["partner_signatory_authority"],
                    ),
                ],
                private={"responsible_opd": text["responsible_opd"], **flags},
                own_document_number=own_number,
            )
        )
    references, reference_errors = _check_references(rows, region=region)
    errors = sorted([*errors, *reference_errors], key=lambda e: e.row)
    for row in parsed:
        row.references = references.get(row.number, {})
    return _in_creation_order(parsed), errors


# --- Relations between rows ----------------------------------------------------------------------


def _check_references(
    rows: list[tuple[int, dict]], *, region: Region
) -> tuple[dict[int, dict], list[RowError]]:
    """Every relation column resolved to ("row", its number) or ("register", an agreement's
    pk), and every reference that resolves to nothing, to two agreements, to its own row, in a
    circle, or to a PKS as a KSB. Two queries, whatever the number of references."""
    in_file: dict[str, int] = {}
    parent_of: dict[int, str] = {}
    for number, values in rows:
        own = _text(values.get("own_document_number"))
        if own:
            in_file.setdefault(own, number)
        parent_of[number] = _text(values.get("parent_document_number"))
    wanted = {_text(values.get(column)) for _number, values in rows for column in RELATIONS} - {""}
    outside = wanted - set(in_file)
    found: dict[str, list[tuple[int, bool]]] = {}  # number -> [(agreement pk, is a PKS)]
    if outside:
        owners = dict(
            Party.objects.filter(
                region=region,
                document_number__in=outside,
                cooperation_id__in=Agreement.objects.values("cooperation_id"),
            ).values_list("cooperation_id", "document_number")
        )
        for pk, cooperation_id, parent_id in Agreement.objects.filter(
            cooperation_id__in=owners
        ).values_list("pk", "cooperation_id", "cooperation__parent_id"):
            found.setdefault(owners[cooperation_id], []).append((pk, parent_id is not None))
    references: dict[int, dict] = {}
    errors: list[RowError] = []
    for number, values in rows:
        own = _text(values.get("own_document_number"))
        for column, relation in RELATIONS.items():
            ref = _text(values.get(column))
            if not ref:
                continue
            message, code = None, None
            if ref == own:
                message = _("A row cannot refer to itself.")
                code = ImportErrorCode.SELF_REFERENCE
            elif ref in in_file:
                target = in_file[ref]
                if relation == "parent" and parent_of[target]:
                    message = _("Row %(row)s is itself a PKS; a PKS falls under a KSB.") % {
                        "row": target
                    }
                    code = ImportErrorCode.PARENT_NOT_KSB
                else:
                    references.setdefault(number, {})[column] = ("row", target)
            elif not found.get(ref):
                message = _(
                    "No row of this file and no agreement in the register has the document "
                    "number “%(number)s” (this region's own number, own_document_number)."
                ) % {"number": ref}
                code = ImportErrorCode.UNKNOWN_REFERENCE
            elif len(found[ref]) > 1:
                message = _(
                    "%(count)s agreements in the register have the document number "
                    "“%(number)s”; link this one by hand after the import."
                ) % {"count": len(found[ref]), "number": ref}
                code = ImportErrorCode.AMBIGUOUS_REFERENCE
            elif relation == "parent" and found[ref][0][1]:
                message = _("“%(number)s” is a PKS in the register; a PKS falls under a KSB.") % {
                    "number": ref
                }
                code = ImportErrorCode.PARENT_NOT_KSB
            else:
                references.setdefault(number, {})[column] = ("register", found[ref][0][0])
            if code:
                errors.append(RowError(number, column, message, code))
    errors.extend(_cycles(references))
    return references, errors


def _depends_on(references: dict) -> set[int]:
    return {target for where, target in references.values() if where == "row"}


def _cycles(references: dict[int, dict]) -> list[RowError]:
    """The rows whose references go round in a circle (none can be written first)."""
    remaining = {number: _depends_on(refs) for number, refs in references.items()}
    changed = True
    while changed:  # drop the rows that can be written first, and those no row waits for
        changed = False
        for number, targets in list(remaining.items()):
            waited_for = any(number in others for others in remaining.values())
            if not targets & set(remaining) or not waited_for:
                del remaining[number]
                changed = True
    return [
        RowError(
            number,
            next(c for c, (w, t) in references[number].items() if w == "row" and t in remaining),
            _("The rows %(rows)s refer to each other in a circle; one of them must come first.")
            % {"rows": ", ".join(str(n) for n in sorted(remaining))},
            ImportErrorCode.REFERENCE_CYCLE,
        )
        for number in sorted(remaining)
    ]


def _in_creation_order(parsed: list[ParsedRow]) -> list[ParsedRow]:
    """The rows in the file's order, except that a row comes after the rows it refers to."""
    done: set[int] = set()
    ordered: list[ParsedRow] = []
    pending = list(parsed)
    while pending:
        ready = [r for r in pending if _depends_on(r.references) <= done]
        if not ready:  # a circle (reported by _cycles) or a reference to a refused row
            ready = pending
        for row in ready:
            ordered.append(row)
            done.add(row.number)
        pending = [r for r in pending if r.number not in done]
    return ordered


def _resolve(row: ParsedRow, column: str, created: dict[int, Agreement], register: dict):
    where, target = row.references.get(column, (None, None))
    if where == "row":
        return created.get(target)
    if where == "register":
        return register.get(target)
    return None


# Where the register's own refusals point in the file.
_FIELD_COLUMNS = {
    "title": "title",
    "urusan": "urusan",
    "term_end": "term_end",
    "parent": "parent_document_number",
}
_CODE_COLUMNS = {
    AgreementError.PARTNER_REQUIRED: "partner_kind",
    AgreementError.PARTY_KIND_MISMATCH: "partner_kind",
    AgreementError.PARTY_INCOMPLETE: "partner_region_code",
    AgreementError.UNKNOWN_URUSAN: "urusan",
    AgreementError.URUSAN_REQUIRED: "urusan",
    AgreementError.TITLE_REQUIRED: "title",
    AgreementError.TERM_END_BEFORE_START: "term_end",
}


def _refusals(number: int, exc: ValidationError) -> list[RowError]:
    found = []
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                column = _FIELD_COLUMNS.get(name) or _CODE_COLUMNS.get(error.code, "")
                found.append(RowError(number, column, " ".join(error.messages), str(error.code)))
    else:
        for error in exc.error_list:
            column = _CODE_COLUMNS.get(error.code, "")
            found.append(
                RowError(number, column, " ".join(error.messages), str(error.code or "invalid"))
            )
    return found


# --- The action -------------------------------------------------------------------------------


def import_agreements(
    *, membership: Membership, content: bytes, filename: str, check_only: bool = False
) -> ImportResult:
    """Import the agreements in `content` (a CSV or XLSX file) into the region's register, all
    or none. With `check_only`, every check runs (the register's action too) and nothing is
    kept."""
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, AgreementPerm.IMPORT_AGREEMENTS, membership):
        raise Forbidden(_("Only the cooperation office imports agreements."))
    try:
        table = read_table(content)
    except FileRefused as refused:
        return ImportResult(errors=[refused.error])
    parsed, errors = check_rows(table, region=tenant.region)
    result = ImportResult(errors=errors, rows=len(table), checked_only=check_only)
    if errors:
        return result
    register = Agreement.objects.in_bulk(
        {t for r in parsed for w, t in r.references.values() if w == "register"}
    )
    created: dict[int, Agreement] = {}
    relations = 0
    with transaction.atomic():
        for row in parsed:  # a row after the rows it refers to
            try:
                with transaction.atomic():  # a savepoint: one refusal does not stop the check
                    agreement = actions.create_agreement.inner(
                        membership=membership,
                        fields=row.fields,
                        parties=row.parties,
                        private=row.private,
                        parent=_resolve(row, "parent_document_number", created, register),
                    )
                    links = {
                        f"{relation}_id": target.cooperation_id
                        for column, relation in RELATIONS.items()
                        if relation != "parent"
                        and (target := _resolve(row, column, created, register)) is not None
                    }
                    if links:
                        Cooperation.objects.filter(pk=agreement.cooperation_id).update(**links)
                    relations += len(row.references)
                    created[row.number] = agreement
            except ValidationError as exc:
                result.errors.extend(_refusals(row.number, exc))
        result.errors.sort(key=lambda e: e.row)
        if result.errors or check_only:
            transaction.set_rollback(True)
            return result
        audit.record(
            "agreement.imported",
            actor=user,
            tenant=tenant,
            data={
                "file": filename[:255],
                "sha256": hashlib.sha256(content).hexdigest(),
                "rows": len(parsed),
                "relations": relations,
            },
        )
    result.imported = len(parsed)
    return result


# --- The template ------------------------------------------------------------------------------


def _example_row() -> list[str]:
    return [c.example for c in COLUMNS]


def template_csv() -> bytes:
    return write_csv(list(KEYS), [_example_row()])


def template_xlsx() -> bytes:
    """The columns with one example row; a sheet explaining each column, and one with the codes
    (kinds, kinds of partner, urusan). Drop-down lists for the coded columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "agreements"
    for values in (list(KEYS), _example_row()):
        append_row(sheet, values)
    for index, key in enumerate(KEYS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(key) + 2)
        # Text, so that codes such as 35.10 and 2.10 keep their zeros.
        sheet.column_dimensions[letter].number_format = "@"
    for key, choices in (
        ("kind", Kind.values),
        ("partner_kind", PartyKind.values),
        ("burdens_public", ["yes", "no"]),
        ("funded_in_current_budget", ["yes", "no"]),
    ):
        letter = sheet.cell(row=1, column=KEYS.index(key) + 1).column_letter
        validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"')
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    add_sheet(
        workbook,
        "columns",
        [_("Column"), _("Required"), _("What to write")],
        [[c.key, _("yes") if c.required else "", str(c.help)] for c in COLUMNS],
    )
    add_sheet(
        workbook,
        "codes",
        [_("Column"), _("Code"), _("Meaning")],
        [["kind", value, str(label)] for value, label in Kind.choices]
        + [["partner_kind", value, str(label)] for value, label in PartyKind.choices]
        + [["urusan", code, name] for code, name in urusan_codes.URUSAN],
    )
    return workbook_bytes(workbook)
