"""The demo for a first look (`make run`; `make run DEMO=0` starts without it): the regions and
accounts of every role first, then each feature's scenarios. This package sits above the features
in the layers (.importlinter), so it may use all of them; none of them knows about it.

Every step is idempotent: loading the demo again keeps what is there and adds what is missing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from cms import demo as portal
from core.hosts import platform_url
from tenants.demo import load_demo as load_regions_and_accounts

from . import agreements, marketplace, signatures
from . import reporting as reporting_upward

Step = Callable[..., None]


def steps() -> list[Step]:
    """In order: later steps use the regions and accounts of the first."""
    return [
        load_regions_and_accounts,
        agreements.load,
        publish_signed,
        signatures.load,
        reporting_upward.load,
        marketplace.load,
        portal.load,
    ]


def publish_signed(stdout=None) -> None:
    """The demo's agreements are published as they are signed (agreements.register.lifecycle); this
    publishes those of a demo loaded before the public registry existed."""
    from public_registry.publishing import publish_all_signed

    count = publish_all_signed()
    if count and stdout:
        stdout.write(f"Public registry: {count} signed agreements published")


def where_to_start() -> str:
    """Where a first look starts, at the port the platform is served on (JEJARING_PORT, which
    `make run PORT=...` exports): the links the e-mails queued by the demo carry too."""
    platform = platform_url("/")
    malang = platform.replace("://", "://kota-malang.", 1)  # a region's subdomain, same port
    return (
        f"Open {platform} (the platform) and {malang} (Kota Malang's workspace); "
        f"links in the demo's e-mails use port {settings.JEJARING_PORT} too."
    )


def load(stdout=None) -> None:
    for step in steps():
        step(stdout=stdout)
    if stdout:
        stdout.write(where_to_start())
