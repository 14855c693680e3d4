"""The camat and lurah network's page on a region's subdomain (/pasar/rekan/): find camat and
lurah of other regions by area and by what their area publishes, and write to them through an
inquiry about one of their area's listings (marketplace/peers.py)."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.hosts import platform_url
from tenants.decorators import workspace_view
from tenants.models import Region, RegionKind

from . import kbli, peers
from .models import ListingKind
from .policy import MarketplacePerm


class PeerForm(forms.Form):
    area_kind = forms.ChoiceField(
        label=_("Area"),
        required=False,
        choices=[
            ("", _("Every kind of area")),
            *[(k, RegionKind(k).label) for k in peers.AREA_KINDS],
        ],
    )
    name = forms.CharField(label=_("Area name"), required=False, max_length=120)
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(
        label=_("Their area publishes"),
        required=False,
        choices=[("", _("Anything (or nothing yet)")), *ListingKind.choices],
    )
    sector = forms.ChoiceField(
        label=_("In the sector"),
        required=False,
        choices=[("", _("Any sector")), *kbli.CHOICES],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [
            ("", _("Every province")),
            *Region.objects.provinces().order_by("name").values_list("code", "name"),
        ]


def inquiry_url(listing_pk: int) -> str:
    """The inquiry form of a public listing, on the platform."""
    return platform_url(
        reverse("marketplace:inquire", args=[listing_pk], urlconf="portal.urls_public")
    )


@workspace_view(MarketplacePerm.VIEW_LISTINGS)
@require_GET
def peer_finder(request):
    form = PeerForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = peers.PeerFilters(
        area_kind=data.get("area_kind") or "",
        name=(data.get("name") or "").strip(),
        province=data.get("province") or "",
        kind=data.get("kind") or "",
        sector=data.get("sector") or "",
    )
    page, found = peers.find_peers(
        exclude_tenant_id=request.tenant.pk, filters=filters, page=request.GET.get("page") or 1
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "marketplace/peers.html",
        {
            "form": form,
            "page": page,
            "peers": [
                {
                    "peer": peer,
                    "listings": [(item, inquiry_url(item.pk)) for item in peer.listings],
                }
                for peer in found
            ],
            "query": query.urlencode(),
        },
    )
