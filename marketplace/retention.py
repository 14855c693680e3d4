"""What leaves the marketplace with a region purged for good
(tenants.region_lifecycle.purge_tenant).

Deleting the tenant row takes its listings (Listing.tenant cascades), but an inquiry protects its
listing, so the inquiries about the region's listings go first: each thread was with the region
that is gone, and its side of them is in the final export. Inquiries the region sent about other
regions' listings stay with those regions (their sender region becomes empty)."""

from .models import Inquiry


def on_region_deleting(sender, *, tenant, **kwargs) -> None:
    Inquiry.objects.filter(listing__tenant=tenant).delete()
