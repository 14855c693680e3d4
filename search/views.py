"""The synonyms page: platform staff on the platform, a region's office on its subdomain. The
same list for both (synonyms are platform-wide); each removes what tenants.policy allows
(staff any group, an office the groups its region added)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.form_actions import submit
from tenants.decorators import platform_staff_view, workspace_view

from . import synonyms
from .forms import SynonymForm
from .models import Synonym
from .policy import SearchPerm, can_remove_synonym


def _page(request, *, membership, list_url: str, remove_name: str):
    form = SynonymForm(request.POST or None)
    submitted = submit(
        request,
        form,
        lambda data: synonyms.add_synonym_group(
            user=request.user, membership=membership, words=data["words"]
        ),
    )
    if submitted.done:
        messages.success(
            request,
            _("Added: a search for any of “%(words)s” now finds the others too.")
            % {"words": submitted.result.words},
        )
        return redirect(list_url)
    groups = [
        {"synonym": s, "removable": can_remove_synonym(request.user, membership, s)}
        for s in Synonym.objects.select_related("created_by", "tenant__region").order_by(
            "words", "id"
        )
    ]
    return render(
        request,
        "search/synonyms.html",
        {"form": form, "groups": groups, "remove_name": remove_name, "membership": membership},
        status=submitted.status,
    )


def _remove(request, pk: int, *, membership, list_url: str):
    synonym = synonyms.get_synonym(pk)
    synonyms.remove_synonym_group(user=request.user, membership=membership, synonym=synonym)
    messages.success(request, _("Removed the synonyms “%(words)s”.") % {"words": synonym.words})
    return redirect(list_url)


@platform_staff_view(SearchPerm.MANAGE_SYNONYMS)
def platform_synonyms(request):
    return _page(
        request,
        membership=None,
        list_url="marketplace:synonyms",
        remove_name="marketplace:synonym_remove",
    )


@platform_staff_view(SearchPerm.MANAGE_SYNONYMS)
@require_POST
def platform_synonym_remove(request, pk: int):
    return _remove(request, pk, membership=None, list_url="marketplace:synonyms")


@workspace_view(SearchPerm.EXTEND_SYNONYMS)
def region_synonyms(request):
    return _page(
        request,
        membership=request.membership,
        list_url="marketplace_region:synonyms",
        remove_name="marketplace_region:synonym_remove",
    )


@workspace_view(SearchPerm.EXTEND_SYNONYMS)
@require_POST
def region_synonym_remove(request, pk: int):
    return _remove(
        request, pk, membership=request.membership, list_url="marketplace_region:synonyms"
    )
