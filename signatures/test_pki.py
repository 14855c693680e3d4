"""A throw-away public key infrastructure for the tests and the demo, never a real CA: a root, an
intermediate, signers (a valid one, a second party's, an expired one), a timestamp authority and
an unrelated root with its own signer; and signing a PDF with pyHanko as a certified e-signature
application would (PAdES, optionally with a timestamp token).

Made with `cryptography` at run time; nothing here is trusted unless its root's PEM is put in the
trust-roots folder (the demo does so in its own folder, see demo/signatures.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass
class Issued:
    """A certificate and its private key (PEM, so they can be stored and read back)."""

    cert_pem: bytes
    key_pem: bytes

    @property
    def cert(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)

    @property
    def key(self):
        return serialization.load_pem_private_key(self.key_pem, password=None)

    def asn1_cert(self):
        from asn1crypto import x509 as asn1_x509

        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    def asn1_key(self):
        from asn1crypto import keys

        der = self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return keys.PrivateKeyInfo.load(der)


@dataclass
class Pki:
    root: Issued
    intermediate: Issued
    signer: Issued
    second_signer: Issued
    expired_signer: Issued
    tsa: Issued
    other_root: Issued
    other_signer: Issued
    extra: dict = field(default_factory=dict)

    FILES = (
        "root",
        "intermediate",
        "signer",
        "second_signer",
        "expired_signer",
        "tsa",
        "other_root",
        "other_signer",
    )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in self.FILES:
            issued = getattr(self, name)
            (folder / f"{name}.crt.pem").write_bytes(issued.cert_pem)
            key_file = folder / f"{name}.key.pem"
            key_file.write_bytes(issued.key_pem)
            key_file.chmod(0o600)

    @classmethod
    def load(cls, folder: Path) -> Pki | None:
        try:
            return cls(
                **{
                    name: Issued(
                        (folder / f"{name}.crt.pem").read_bytes(),
                        (folder / f"{name}.key.pem").read_bytes(),
                    )
                    for name in cls.FILES
                }
            )
        except FileNotFoundError:
            return None


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Jejaring test PKI (not a real CA)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _issue(
    common_name: str,
    *,
    issuer: Issued | None,
    ca: bool,
    not_before: datetime,
    not_after: datetime,
    tsa: bool = False,
    serial: int,
) -> Issued:
    # The TSA signs with RSA (pyHanko's test timestamper does); the rest with P-256 (fast).
    key = rsa.generate_private_key(65537, 2048) if tsa else ec.generate_private_key(ec.SECP256R1())
    subject = _name(common_name)
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        usage = dict(digital_signature=False, content_commitment=False, key_cert_sign=True)
        usage.update(crl_sign=True)
    else:
        usage = dict(digital_signature=True, content_commitment=not tsa, key_cert_sign=False)
        usage.update(crl_sign=False)
    builder = builder.add_extension(
        x509.KeyUsage(
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    cert = builder.sign(signing_key, hashes.SHA256())
    return Issued(cert.public_bytes(serialization.Encoding.PEM), _pem_key(key))


def make_pki(label: str = "Jejaring Test", *, now: datetime | None = None) -> Pki:
    """A fresh PKI: `label` names its certificates ("<label> Root CA", ...)."""
    now = now or datetime.now(UTC)
    long_ago, far = now - timedelta(days=365 * 3), now + timedelta(days=365 * 10)
    root = _issue(
        f"{label} Root CA", issuer=None, ca=True, not_before=long_ago, not_after=far, serial=1
    )
    intermediate = _issue(
        f"{label} CA DS", issuer=root, ca=True, not_before=long_ago, not_after=far, serial=2
    )

    def person(name: str, serial: int, *, expired: bool = False) -> Issued:
        if expired:
            start, end = now - timedelta(days=730), now - timedelta(days=30)
        else:
            start, end = now - timedelta(days=365), now + timedelta(days=730)
        return _issue(
            name, issuer=intermediate, ca=False, not_before=start, not_after=end, serial=serial
        )

    other_root = _issue(
        "Unknown Root CA", issuer=None, ca=True, not_before=long_ago, not_after=far, serial=10
    )
    return Pki(
        root=root,
        intermediate=intermediate,
        signer=person("Wali Kota Malang (test)", 3),
        second_signer=person("Wali Kota Batu (test)", 4),
        expired_signer=person("Pejabat Lama (test)", 5, expired=True),
        tsa=_issue(
            f"{label} TSA",
            issuer=intermediate,
            ca=False,
            not_before=long_ago,
            not_after=far,
            tsa=True,
            serial=6,
        ),
        other_root=other_root,
        other_signer=_issue(
            "Penanda Tangan Lain (test)",
            issuer=other_root,
            ca=False,
            not_before=now - timedelta(days=10),
            not_after=now + timedelta(days=365),
            serial=11,
        ),
    )


# --- PDFs ---------------------------------------------------------------------------------------


def simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF (A4, Helvetica) with `lines` of text, with a correct cross-reference
    table (pyHanko reads strictly)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "\n".join(
        f"BT /F1 12 Tf 72 {770 - 18 * i} Td ({escape(line)}) Tj ET" for i, line in enumerate(lines)
    ).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def sign_pdf(
    content: bytes,
    signer: Issued,
    chain: list[Issued],
    *,
    field_name: str = "Signature1",
    tsa: Issued | None = None,
    tsa_chain: list[Issued] = (),
    reason: str = "",
    location: str = "",
    timestamp_at: datetime | None = None,
) -> bytes:
    """`content` signed by `signer` (its certificate chain embedded) in an incremental update,
    as a PAdES signature; with `tsa`, a timestamp token from it (PAdES-T)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    registry = SimpleCertificateStore.from_certs([c.asn1_cert() for c in chain])
    simple = signers.SimpleSigner(
        signing_cert=signer.asn1_cert(), signing_key=signer.asn1_key(), cert_registry=registry
    )
    timestamper = None
    if tsa is not None:
        timestamper = DummyTimeStamper(
            tsa_cert=tsa.asn1_cert(),
            tsa_key=tsa.asn1_key(),
            certs_to_embed=SimpleCertificateStore.from_certs([c.asn1_cert() for c in tsa_chain]),
            fixed_dt=timestamp_at,
        )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    from signatures.engine import outside_event_loop

    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=True)
    out = outside_event_loop(signers.sign_pdf, writer, meta, signer=simple, timestamper=timestamper)
    return out.getvalue()


def change_after_signing(content: bytes, new_line: str = "Changed after signing") -> bytes:
    """An incremental update that replaces the first page's text: what a forger appends."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=True)
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    data = f"BT /F1 12 Tf 72 770 Td ({new_line}) Tj ET".encode("latin-1")
    stream = generic.StreamObject(stream_data=data)
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
