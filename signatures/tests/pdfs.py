"""Signed and hostile PDFs for the signatures' tests, made from a test PKI generated here."""

from __future__ import annotations

import io
import zlib
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography.hazmat.primitives import serialization

from signatures import test_pki

TEXT = ["PERJANJIAN KERJA SAMA", "Kota Malang dan Kota Batu", "Nomor 1/PKS/2026"]


@cache
def pki() -> test_pki.Pki:
    return test_pki.make_pki("Uji")


def der(issued: test_pki.Issued) -> bytes:
    return issued.cert.public_bytes(serialization.Encoding.DER)


def chain() -> list[test_pki.Issued]:
    return [pki().intermediate, pki().root]


def unsigned() -> bytes:
    return test_pki.simple_pdf(TEXT)


def signed(signer=None, **kwargs) -> bytes:
    return test_pki.sign_pdf(unsigned(), signer or pki().signer, chain(), **kwargs)


def timestamped() -> bytes:
    return signed(tsa=pki().tsa, tsa_chain=chain())


def expired() -> bytes:
    return signed(pki().expired_signer)


def expired_but_timestamped_in_time() -> bytes:
    """Signed with a certificate that has expired since, timestamped while it was valid."""
    when = datetime.now(UTC) - timedelta(days=60)
    return signed(pki().expired_signer, tsa=pki().tsa, tsa_chain=chain(), timestamp_at=when)


def untrusted() -> bytes:
    return test_pki.sign_pdf(unsigned(), pki().other_signer, [pki().other_root])


def both_parties() -> bytes:
    first = signed(field_name="KotaMalang")
    return test_pki.sign_pdf(first, pki().second_signer, chain(), field_name="KotaBatu")


def changed_after_signing() -> bytes:
    return test_pki.change_after_signing(signed())


def broken_xref() -> bytes:
    """startxref points into the middle of an object: no cross-reference table there."""
    content = unsigned()
    head, _, _tail = content.rpartition(b"startxref\n")
    return head + b"startxref\n20\n%%EOF\n"


def encrypted() -> bytes:
    """Encrypted with a user password (it cannot be opened without it)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(unsigned())))
    writer.encrypt(user_password="rahasia", owner_password="pemilik", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def inflation_bomb(megabytes: int = 300) -> bytes:
    """The catalog lives in an object stream that inflates from a few hundred kilobytes to
    `megabytes` MB (a "huge object stream"): reading the document's root decodes it."""
    header = b"1 0 "
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    compressor = zlib.compressobj(9)
    body = compressor.compress(header + catalog + b" ")
    chunk = b" " * (1024 * 1024)
    for _ in range(megabytes):
        body += compressor.compress(chunk)
    body += compressor.flush()
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    offsets[2] = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    offsets[3] = len(out)
    out += (
        b"3 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(body))
    )
    out += body + b"\nendstream\nendobj\n"
    offsets[4] = len(out)
    # The cross-reference stream: object 1 compressed in stream 3 (type 2), 2-4 in the file.
    rows = [b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows.append(b"\x02" + (3).to_bytes(4, "big") + (0).to_bytes(2, "big"))
    for number in (2, 3, 4):
        rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big"))
    xref = b"".join(rows)
    out += b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(
        xref
    )
    out += xref + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[4]
    return bytes(out)
