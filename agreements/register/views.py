"""The register on the region's subdomain. Views shape input and output; actions decide and
write; tenants.policy decides who may do what (passed to the templates as flags)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tenants.utils import schema_context

from agreements.models import Agreement, InternalDocument
from agreements.policy import can_read_dprd_step
from agreements.register import actions, lifecycle, reviews, scope, selectors
from agreements.register.access import get_agreement_for
from agreements.register.documents import label_signed_documents
from agreements.register.forms import (
    TRANSITION_FORMS,
    AgreementForm,
    InternalDocumentForm,
    PartyFormSet,
    RegisterFilterForm,
    ReviewForm,
    SignedEntryForm,
    parties_initial,
)
from cooperation.policy import AgreementPerm
from core.errors import add_to_form
from core.files import pdf_attachment
from core.form_actions import Submission, perform, posted_version, run, submit
from core.uploads import limit_request_body
from signatures.actions import accept_signature
from signatures.policy import SignaturePerm
from signatures.selectors import attach as attach_signatures
from tenants.decorators import workspace_view
from tenants.policy import Perm, has_perm

PAGE_SIZE = 25


def _can(request, perm: Perm) -> bool:
    return has_perm(request.user, request.tenant, perm, request.membership)


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def register_list(request):
    form = RegisterFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(
        selectors.register(filters=filters, membership=request.membership), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agreements/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_edit": _can(request, AgreementPerm.EDIT_AGREEMENTS),
        },
    )


def _parties(formset) -> list:
    return [p for p in (f.party() for f in formset.forms) if p is not None]


@limit_request_body("JEJARING_DOCUMENT_MAX_BYTES")
@workspace_view(AgreementPerm.EDIT_AGREEMENTS)
def agreement_create(request, signed: bool = False):
    """A new agreement in preparation, or (`signed`) an old one entered directly as signed."""
    region = request.tenant.region
    form = AgreementForm(request.POST or None, with_version=False)
    formset = PartyFormSet(request.POST or None, initial=parties_initial(region=region))
    signing = SignedEntryForm(request.POST or None, request.FILES or None) if signed else None
    if request.method == "POST":
        valid = form.is_valid() & formset.is_valid() & (signing is None or signing.is_valid())
        if valid:
            common = {
                "membership": request.membership,
                "fields": form.shared_data(),
                "parties": _parties(formset),
                "private": form.private_data(),
                "parent": form.parent_agreement(),
            }
            try:
                if signing is None:
                    agreement = actions.create_agreement(**common)
                else:
                    agreement = actions.register_signed_agreement(
                        **common,
                        instrument=signing.cleaned_data["instrument"],
                        signing=signing.cleaned_data,
                        document=signing.cleaned_data.get("document"),
                    )
            except ValidationError as exc:
                add_to_form(signing if signing and _is_signing_error(exc) else form, exc)
            else:
                messages.success(request, _("The agreement was added to the register."))
                return redirect("agreements:detail", pk=agreement.pk)
    errors = form.errors or formset.total_error_count() or (signing is not None and signing.errors)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "formset": formset, "signing": signing, "creating": True},
        status=400 if errors else 200,
    )


def _is_signing_error(exc: ValidationError) -> bool:
    codes = {e.code for e in exc.error_list} if not hasattr(exc, "error_dict") else set()
    return bool(
        codes
        & {
            "signed_document_required",
            "document_not_pdf",
            "document_too_large",
            "signatories_required",
            "signing_date_required",
            "ksb_not_signed",
        }
    )


def _with_signatures(request, agreement, documents) -> list:
    """Each signed document with its electronic signatures' status (`signature`) and, where
    this person may accept its flagged signature now, the form's address (`accept_url`)."""
    documents = attach_signatures(documents)
    may_accept = request.tenant.accepts_writes and _can(request, SignaturePerm.ACCEPT_SIGNATURE)
    for document in documents:
        sig = document.signature
        document.accept_url = (
            reverse("agreements:signed_document_accept", args=[agreement.pk, document.pk])
            if may_accept
            and sig.flagged
            and not sig.stale
            and sig.accepted_by(request.tenant.pk) is None
            else ""
        )
    return documents


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def agreement_detail(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    cooperation = agreement.cooperation
    sees_internal = _can(request, AgreementPerm.VIEW_AGREEMENT_INTERNALS)
    runs = _can(request, AgreementPerm.RUN_AGREEMENT_LIFECYCLE)
    sees_dprd_step = can_read_dprd_step(request.membership)
    events = selectors.history_for(
        agreement,
        tenant=request.tenant,
        include_internal=sees_internal,
        include_dprd=sees_dprd_step,
    )
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "cooperation": cooperation,
            "parties": cooperation.parties.select_related("region"),
            "signed_documents": _with_signatures(
                request,
                agreement,
                label_signed_documents(selectors.signed_documents_for(agreement)),
            ),
            "relations": {
                "parent": cooperation.parent,
                "amends": cooperation.amends,
                "renews": cooperation.renews,
            },
            "transitions": lifecycle.offered_transitions(agreement, cooperation) if runs else [],
            "can_edit": _can(request, AgreementPerm.EDIT_AGREEMENTS),
            "can_request_review": runs,
            "can_review": _can(request, AgreementPerm.REVIEW_AGREEMENTS) and agreement.review_open,
            "sees_internal": sees_internal,
            "sees_dprd_step": sees_dprd_step,
            "can_share_dossier": _can(request, AgreementPerm.SHARE_DOSSIERS),
            "dossier_count": len(agreement.dossier_members),
            "area_names": scope.area_names(agreement.areas) if agreement.areas else [],
            "tally": selectors.review_tally(agreement) if sees_internal else None,
            "reviews": selectors.current_reviews(agreement) if sees_internal else [],
            "internal_documents": agreement.documents.all() if sees_internal else [],
            "document_form": InternalDocumentForm(),
            "events": events[:100],
        },
    )


@workspace_view(AgreementPerm.EDIT_AGREEMENTS)
def agreement_edit(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    cooperation = agreement.cooperation
    locked = cooperation.signed_on is not None
    initial = {
        **{name: getattr(cooperation, name) for name in AgreementForm.SHARED},
        **{name: getattr(agreement, name) for name in AgreementForm.PRIVATE},
        "parent": (
            Agreement.objects.filter(cooperation_id=cooperation.parent_id)
            .values_list("pk", flat=True)
            .first()
        ),
        "version": cooperation.version,
    }
    form = AgreementForm(request.POST or None, initial=initial, locked=locked)
    formset = (
        None if locked else PartyFormSet(request.POST or None, initial=parties_initial(cooperation))
    )
    submitted = Submission(done=False)
    if request.method == "POST":
        if formset is None or formset.is_valid():
            submitted = run(
                form,
                lambda data: actions.update_agreement(
                    membership=request.membership,
                    agreement=agreement,
                    version=data["version"],
                    fields=form.shared_data(),
                    parties=None if formset is None else _parties(formset),
                    private=form.private_data(),
                ),
            )
        else:  # the parties' errors; the form's own are shown too
            form.is_valid()
            submitted = Submission(done=False, status=400)
    if submitted.done:
        messages.success(request, _("The agreement was saved."))
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "formset": formset, "agreement": agreement, "locked": locked},
        status=submitted.status,
    )


@limit_request_body("JEJARING_DOCUMENT_MAX_BYTES")
@workspace_view(AgreementPerm.RUN_AGREEMENT_LIFECYCLE)
def agreement_transition(request, pk: int, transition: str):
    agreement = get_agreement_for(request.membership, pk)
    step = lifecycle.transition_named(transition)
    if step is None:
        raise Http404
    form_class = TRANSITION_FORMS[step.form]
    form = form_class(
        request.POST or None,
        request.FILES or None,
        initial={"version": agreement.cooperation.version},
    )

    def advance(cleaned: dict):
        data = dict(cleaned)  # the step's own fields: without the version and the document
        version, document = data.pop("version"), data.pop("document", None)
        return lifecycle.advance(
            membership=request.membership,
            agreement=agreement,
            transition=step.name,
            version=version,
            data=data,
            document=document,
        )

    submitted = submit(request, form, advance)
    if submitted.done:
        messages.success(request, _("Done: %(step)s.") % {"step": step.label})
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/transition.html",
        {"agreement": agreement, "cooperation": agreement.cooperation, "step": step, "form": form},
        status=submitted.status,
    )


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def signed_document_download(request, pk: int, document_pk: int):
    agreement = get_agreement_for(request.membership, pk)
    document = get_object_or_404(selectors.signed_documents_for(agreement), pk=document_pk)
    # Stored in the folder of the region that uploaded it (a partner's, possibly).
    with schema_context(document.stored_schema):
        return pdf_attachment(document.file, f"{agreement.cooperation.title}.pdf")


@workspace_view(SignaturePerm.ACCEPT_SIGNATURE)
@require_POST
def signed_document_accept(request, pk: int, document_pk: int):
    """The office accepts a signed document whose electronic signature is flagged, with its
    reason (signatures.actions.accept_signature): shown with the document from then on."""
    agreement = get_agreement_for(request.membership, pk)
    document = get_object_or_404(selectors.signed_documents_for(agreement), pk=document_pk)
    (labelled,) = label_signed_documents([document])
    submitted = perform(
        request,
        lambda: accept_signature(
            membership=request.membership,
            sha256=document.sha256,
            reason=request.POST.get("reason", ""),
            document=f"{agreement.cooperation.title}: {labelled.label}",
        ),
    )
    if submitted.done:
        messages.success(request, _("The document was accepted; the reason is shown with it."))
    return redirect("agreements:detail", pk=agreement.pk)


@limit_request_body("JEJARING_DOCUMENT_MAX_BYTES")
@workspace_view(AgreementPerm.EDIT_AGREEMENTS)
@require_POST
def internal_document_upload(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    form = InternalDocumentForm(request.POST, request.FILES)
    submitted = run(
        form,
        lambda data: actions.file_internal_document(
            membership=request.membership,
            agreement=agreement,
            title=data["title"],
            file=data["file"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The document was filed."))
        return redirect("agreements:detail", pk=agreement.pk)
    # The form is on the agreement's page: its errors are told as a message there.
    messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("agreements:detail", pk=agreement.pk)


@workspace_view(AgreementPerm.VIEW_AGREEMENT_INTERNALS)
@require_GET
def internal_document_download(request, pk: int, document_pk: int):
    agreement = get_agreement_for(request.membership, pk)
    document = get_object_or_404(InternalDocument, pk=document_pk, agreement=agreement)
    return pdf_attachment(document.file, f"{document.title}.pdf")


@workspace_view(AgreementPerm.RUN_AGREEMENT_LIFECYCLE)
@require_POST
def review_request(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    version = posted_version(request)
    submitted = perform(
        request,
        lambda: reviews.request_review(
            membership=request.membership, agreement=agreement, version=version
        ),
    )
    if submitted.done:  # a refusal is told as a message on the agreement's page
        messages.success(request, _("The TKKSD was asked to review it."))
    return redirect("agreements:detail", pk=agreement.pk)


@workspace_view(AgreementPerm.REVIEW_AGREEMENTS)
def review_record(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    form = ReviewForm(request.POST or None)
    submitted = submit(
        request,
        form,
        lambda data: reviews.record_recommendation(
            membership=request.membership,
            agreement=agreement,
            recommendation=data["recommendation"],
            notes=data["notes"],
        ),
    )
    if submitted.done:
        messages.success(request, _("Your recommendation was recorded."))
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/review.html",
        {"agreement": agreement, "cooperation": agreement.cooperation, "form": form},
        status=submitted.status,
    )
