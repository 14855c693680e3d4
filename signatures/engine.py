"""Validating the electronic signatures in one PDF, offline, with pyHanko.

This module imports nothing of Django: the worker runs it in a child process
(`python -m signatures.engine`, see signatures/checking.py) with a wall-clock limit, a CPU limit
and a memory limit, so a hostile PDF (a broken cross-reference table, a stream that inflates to
gigabytes, a loop of objects) costs one failed check, never a hung or swollen worker.

What is checked, for each signature (`/Sig`) in the file, in signing order:
- *intact*: the digest of the signed byte ranges matches the signed one, and the CMS signature
  over it is cryptographically valid;
- *modified after signing*: pyHanko's coverage and difference analysis of the revisions added
  after it (filling a form or adding the next party's signature is allowed, changing the
  content is not);
- *the signer's certificate*: subject, issuer, serial, validity; whether its chain reaches one of
  the operator's trust roots (no fetching: the chain is built from the certificates in the
  signature, the document's security store and the roots; revocation information is used when
  the document embeds it, never fetched);
- *expired*: a certificate past its validity is accepted only when a trusted timestamp proves
  the signature was made while it was valid (the chain is then validated at that moment);
- *the timestamp token* (PAdES-T): its time and authority, and whether it is intact and trusted.

The answer is plain data (JSON), stable across versions of pyHanko: statuses and codes, not
pyHanko's objects. `status` per signature and `verdict` for the document are from the most to
the least serious: broken, modified, expired, untrusted, unverified (no trust root configured:
"intact, signer not verified"), verified.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

# Statuses, most serious first. A document's verdict is its worst signature's status.
BROKEN = "broken"
MODIFIED = "modified"
EXPIRED = "expired"
UNTRUSTED = "untrusted"
UNVERIFIED = "unverified"
VERIFIED = "verified"
UNSIGNED = "unsigned"
SEVERITY = (BROKEN, MODIFIED, EXPIRED, UNTRUSTED, UNVERIFIED, VERIFIED)

# Why a document could not be checked at all (signatures.models.Check.error_code).
ENCRYPTED = "encrypted"
UNREADABLE = "unreadable"
TOO_COMPLEX = "too_complex"
FAILED = "failed"

ROOT_SUFFIXES = (".pem", ".crt", ".cer", ".der")
NO_ROOTS = "none"


def outside_event_loop(function, *args, **kwargs):
    """`function(*args, **kwargs)`, run in a thread of its own when this thread has an asyncio
    event loop running. pyHanko's synchronous API calls `asyncio.run`, which refuses to start
    inside a running loop (a caller driving Playwright's sync API has one for its whole life)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


class CheckError(Exception):
    """The document could not be checked; `code` says why (one of the codes above)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


# --- Trust roots --------------------------------------------------------------------------------


def root_files(directory: str | Path | None) -> list[Path]:
    if not directory:
        return []
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in ROOT_SUFFIXES and p.is_file())


def load_roots(directory: str | Path | None) -> list[bytes]:
    """The DER bytes of every certificate in the folder's PEM/DER files, sorted and without
    duplicates. A file that holds no certificate is skipped (and logged by the caller)."""
    from pyhanko.keys import load_certs_from_pemder_data

    found: dict[bytes, None] = {}
    for path in root_files(directory):
        try:
            for cert in load_certs_from_pemder_data(path.read_bytes()):
                found[cert.dump()] = None
        except Exception:  # noqa: BLE001, S112 - a bad file is not a root; the others count
            continue
    return sorted(found)


def roots_fingerprint(roots: list[bytes]) -> str:
    """One SHA-256 for a set of roots: the same bytes checked against the same roots give the
    same answer, so results are keyed by the file's SHA-256 and this."""
    if not roots:
        return NO_ROOTS
    digest = hashlib.sha256()
    for der in sorted(roots):
        digest.update(hashlib.sha256(der).digest())
    return digest.hexdigest()


# --- One document --------------------------------------------------------------------------------


def _iso(value) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _name(name) -> str:
    """A certificate name as people read it: the common name, else the whole name."""
    try:
        common = name.native.get("common_name")
    except AttributeError:
        common = None
    if isinstance(common, list):
        common = common[0] if common else None
    return str(common) if common else name.human_friendly


def _certificate(cert) -> dict:
    validity = cert["tbs_certificate"]["validity"]
    return {
        "name": _name(cert.subject),
        "subject": cert.subject.human_friendly,
        "issuer": cert.issuer.human_friendly,
        "issuer_name": _name(cert.issuer),
        "serial": format(cert.serial_number, "X"),
        "not_before": _iso(validity["not_before"].native),
        "not_after": _iso(validity["not_after"].native),
        "sha256": hashlib.sha256(cert.dump()).hexdigest(),
    }


def _context(roots: list[bytes], extra: dict, moment: datetime | None = None):
    from asn1crypto import x509
    from pyhanko_certvalidator import ValidationContext

    kwargs = {
        # An explicit list, even empty: None would fall back to the system's TLS roots.
        "trust_roots": [x509.Certificate.load(der) for der in roots],
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
        **extra,
    }
    if moment is not None:
        kwargs["moment"] = moment
    return ValidationContext(**kwargs)


def _dss_context_kwargs(reader) -> dict:
    """Certificates and revocation information the document carries (PAdES-LT's security
    store), used to build chains offline."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return {}
    try:
        context = dss.as_validation_context({})
    except Exception:  # noqa: BLE001 - a damaged store only means less to build chains from
        return {}
    return {
        "other_certs": list(dss.load_certs()),
        "crls": list(getattr(context, "_crls", ()) or ()),
        "ocsps": list(getattr(context, "_ocsps", ()) or ()),
    }


def _timestamp(status) -> dict | None:
    ts = getattr(status, "timestamp_validity", None)
    if ts is None:
        return None
    return {
        "time": _iso(ts.timestamp),
        "tsa": _name(ts.signing_cert.subject),
        "tsa_subject": ts.signing_cert.subject.human_friendly,
        "intact": bool(ts.intact and ts.valid),
        "trusted": bool(ts.trusted),
    }


def _chain(path) -> list[str]:
    return [_name(c.subject) for c in path.iter_certs(include_root=True)] if path else []


def _one(embedded, roots: list[bytes], extra: dict, now: datetime) -> dict:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    cert = embedded.signer_cert
    result: dict = {
        "field": embedded.field_name,
        "signer": _certificate(cert),
        "signed_at": None,
        "timestamp": None,
        "intact": False,
        "trusted": False,
        "trust_problem": None,
        "chain": [],
        "expired": False,
        "valid_when_signed": False,
        "coverage": None,
        "modification": None,
        "docmdp_ok": None,
        "status": BROKEN,
    }
    status = validate_pdf_signature(embedded, _context(roots, extra, now))
    result["signed_at"] = _iso(status.signer_reported_dt)
    result["timestamp"] = _timestamp(status)
    result["intact"] = bool(status.intact and status.valid)
    result["trusted"] = bool(status.trusted)
    problem = status.trust_problem_indic
    result["trust_problem"] = getattr(problem, "name", None)
    result["chain"] = _chain(status.validation_path)
    coverage = status.coverage
    result["coverage"] = coverage.name if coverage is not None else None
    level = status.modification_level
    result["modification"] = level.name if level is not None else None
    result["docmdp_ok"] = status.docmdp_ok

    not_after = cert["tbs_certificate"]["validity"]["not_after"].native
    not_before = cert["tbs_certificate"]["validity"]["not_before"].native
    result["expired"] = not_after < now or result["trust_problem"] == "EXPIRED"

    stamp = result["timestamp"]
    stamped_at = status.timestamp_validity.timestamp if stamp else None
    stamp_ok = bool(stamp and stamp["intact"] and stamp["trusted"])
    if result["expired"] and stamp_ok and not_before <= stamped_at <= not_after:
        # A trusted timestamp proves the signature existed while the certificate was valid:
        # validate the chain at that moment (point-in-time validation, PAdES-T).
        at_signing = validate_pdf_signature(
            embedded, _context(roots, extra, stamped_at), skip_diff=True
        )
        result["valid_when_signed"] = bool(at_signing.trusted)
        result["chain"] = _chain(at_signing.validation_path) or result["chain"]

    changed = (
        coverage is None
        or coverage == SignatureCoverageLevel.UNCLEAR
        or level == ModificationLevel.OTHER
        or status.docmdp_ok is False
    )
    if not result["intact"] or (stamp and not stamp["intact"]):
        result["status"] = BROKEN
    elif changed:
        result["status"] = MODIFIED
    elif result["expired"] and not result["valid_when_signed"]:
        result["status"] = EXPIRED
    elif result["trusted"] or result["valid_when_signed"]:
        result["status"] = VERIFIED
    elif roots:
        result["status"] = UNTRUSTED
    else:
        result["status"] = UNVERIFIED
    return result


def verdict_of(signatures: list[dict]) -> str:
    if not signatures:
        return UNSIGNED
    return min((s["status"] for s in signatures), key=SEVERITY.index)


def validate(content: bytes, roots: list[bytes], *, now: datetime | None = None) -> dict:
    """Every signature of the PDF `content` against `roots` (DER certificates):
    {"verdict", "signatures": [...]}. Raises CheckError when the file cannot be checked."""
    return outside_event_loop(_validate, content, roots, now=now)


def _validate(content: bytes, roots: list[bytes], *, now: datetime | None) -> dict:
    from pyhanko.pdf_utils.misc import PdfDecodeLimitError, PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    now = now or datetime.now(UTC)
    try:
        # Strict: a damaged file is refused rather than repaired by guesswork. pyHanko's
        # default decoding limits are those meant for untrusted input.
        reader = PdfFileReader(io.BytesIO(content), strict=True)
        if reader.encrypted:
            # An owner password alone (printing, copying restricted) opens with an empty user
            # password; anything else we cannot read.
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001
                opened = None
            if not opened or getattr(opened, "status", None) is None or opened.status.value == 0:
                raise CheckError(ENCRYPTED, "The file is encrypted with a password.")
        extra = _dss_context_kwargs(reader)
        signatures = [_one(sig, roots, extra, now) for sig in reader.embedded_regular_signatures]
    except CheckError:
        raise
    except PdfDecodeLimitError as exc:
        raise CheckError(TOO_COMPLEX, f"{exc}"[:500]) from exc
    except MemoryError as exc:
        raise CheckError(TOO_COMPLEX, "The file needs more memory than allowed.") from exc
    except (PdfError, ValueError, KeyError, TypeError, IndexError, EOFError) as exc:
        raise CheckError(UNREADABLE, f"{type(exc).__name__}: {exc}"[:500]) from exc
    except RecursionError as exc:
        raise CheckError(UNREADABLE, "The file's objects nest too deeply.") from exc
    except Exception as exc:  # noqa: BLE001 - anything else is reported, never raised
        raise CheckError(FAILED, f"{type(exc).__name__}: {exc}"[:500]) from exc
    return {"verdict": verdict_of(signatures), "signatures": signatures}


# --- The child process ---------------------------------------------------------------------------


def answer(content: bytes, roots: list[bytes]) -> dict:
    """What the child process answers for `content`: {"result", "roots"} or {"error": {"code",
    "detail"}} (plain data, as JSON carries it)."""
    try:
        return {"result": validate(content, roots), "roots": roots_fingerprint(roots)}
    except CheckError as exc:
        return {"error": {"code": exc.code, "detail": exc.detail}}


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    import resource

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def main(argv: list[str]) -> int:
    """`python -m signatures.engine ROOTS_DIR MEMORY_MB CPU_SECONDS` with the PDF on standard
    input; the answer as one JSON object on standard output: {"result": ...} or
    {"error": {"code", "detail"}}."""
    roots_dir, memory_mb, cpu_seconds = argv[0], int(argv[1]), int(argv[2])
    content = sys.stdin.buffer.read()
    roots = load_roots(roots_dir or None)
    _limit(memory_mb, cpu_seconds)
    sys.stdout.write(json.dumps(answer(content, roots)))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
