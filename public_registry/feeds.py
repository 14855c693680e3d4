"""Atom feeds of newly signed agreements (Django's syndication framework): platform-wide, per
region (a party), per urusan."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cooperation import urusan as urusan_codes
from cooperation.models import Kind
from tenants.models import Region

from .models import PublishedAgreement

ITEMS = 50


class LatestAgreementsFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("Newly signed agreements · Jejaring")

    def subtitle(self, obj=None):
        return _("Cooperation agreements between Indonesia's regions, as they are signed.")

    def link(self, obj=None):
        return reverse("public_registry:list")

    def records(self, obj):
        return PublishedAgreement.objects.all()

    def items(self, obj=None):
        return self.records(obj).defer("search").order_by("-published_at", "-id")[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _("%(kind)s between %(parties)s, signed on %(date)s.") % {
            "kind": Kind(item.kind).label,
            "parties": item.parties_text,
            "date": item.signed_on.isoformat(),
        }

    def item_link(self, item):
        return reverse("public_registry:detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at


class RegionFeed(LatestAgreementsFeed):
    def get_object(self, request, code: str):
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise Http404
        return region

    def title(self, obj=None):
        return _("Newly signed agreements of %(region)s · Jejaring") % {"region": obj.full_name}

    def link(self, obj=None):
        return reverse("public_registry:list") + f"?region={obj.code}"

    def records(self, obj):
        return PublishedAgreement.objects.filter(region_codes__contains=[obj.code])


class UrusanFeed(LatestAgreementsFeed):
    def get_object(self, request, code: str):
        if code not in urusan_codes.NAMES:
            raise Http404
        return code

    def title(self, obj=None):
        return _("Newly signed agreements on %(urusan)s · Jejaring") % {
            "urusan": urusan_codes.label(obj)
        }

    def link(self, obj=None):
        return reverse("public_registry:list") + f"?urusan={obj}"

    def records(self, obj):
        return PublishedAgreement.objects.filter(urusan__contains=[obj])
