"""Checking and storing an agreement's PDFs (signed scans, internal documents), and naming the
signed ones apart."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from cooperation.errors import AgreementError
from cooperation.models import Instrument, PartySignature, SignedDocument
from tenants.errors import ErrorCode
from tenants.models import Tenant
from tenants.validators import validate_pdf


def validate_agreement_pdf(upload) -> None:
    """A real, readable PDF within JEJARING_DOCUMENT_MAX_BYTES (the archive's limit), refused
    with this app's own codes."""
    try:
        validate_pdf(upload, max_bytes=settings.JEJARING_DOCUMENT_MAX_BYTES)
    except ValidationError as exc:
        code = (
            AgreementError.DOCUMENT_TOO_LARGE
            if exc.code == ErrorCode.LETTER_TOO_LARGE
            else AgreementError.DOCUMENT_NOT_PDF
        )
        raise ValidationError(exc.messages[0], code=code) from exc


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# --- Naming the signed documents ---------------------------------------------------------------

# The instrument as the register names it in short (the choices' labels spell it out).
_SHORT_INSTRUMENT = {
    Instrument.KSB: "KSB",
    Instrument.PKS: "PKS",
    Instrument.ADDENDUM: pgettext_lazy("signed instrument", "Addendum"),
}


def label_signed_documents(documents) -> list[SignedDocument]:
    """The agreement's signed documents, each with `label`: which instrument, whose copy and
    when ("KSB — signed copy of Kota Malang, 18 Sep 2026"), so that two copies of one
    instrument signed on one day read apart. A copy is the parties' who signed with it (the one
    they uploaded or confirmed, PartySignature.document); a document no party signature names
    (one party's own record of the signing, an agreement entered as already signed) is the
    uploading region's. Three queries, whatever the number of documents."""
    documents = list(documents)
    signers: dict[int, list[str]] = {}
    for document_id, name in (
        PartySignature.objects.filter(document_id__in=[d.pk for d in documents])
        .order_by("recorded_at", "pk")
        .values_list("document_id", "tenant__name")
    ):
        signers.setdefault(document_id, []).append(name)
    uploaders = dict(
        Tenant.objects.filter(schema_name__in={d.stored_schema for d in documents}).values_list(
            "schema_name", "name"
        )
    )
    for document in documents:
        instrument = _SHORT_INSTRUMENT.get(document.instrument, document.get_instrument_display())
        date = formats.date_format(document.signed_on, "j M Y")
        names = signers.get(document.pk)
        if names:
            document.label = _("%(instrument)s — signed copy of %(parties)s, %(date)s") % {
                "instrument": instrument,
                "parties": get_text_list(names, _("and")),
                "date": date,
            }
        elif document.stored_schema in uploaders:
            document.label = _("%(instrument)s — uploaded by %(region)s, %(date)s") % {
                "instrument": instrument,
                "region": uploaders[document.stored_schema],
                "date": date,
            }
        else:
            document.label = f"{instrument}, {date}"
    return documents


def signed_files():
    """Every signed document's file, for the signatures' sweep (signatures.sources): those not
    yet checked against the trust roots in force are checked by the worker."""
    from django.db.models import F

    return SignedDocument.objects.annotate(schema=F("stored_schema"), name=F("file")).values(
        "sha256", "schema", "name"
    )
