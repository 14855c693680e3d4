"""Signals from the region lifecycle, for the features above this layer (the public portal,
later the marketplace and search). Sent synchronously *inside* the action's transaction, so a
receiver that fails rolls the whole action back: nothing is left half-written."""

from django.dispatch import Signal

# kwargs: tenant, region. After the tenant row, schema and domain exist.
region_provisioned = Signal()
# kwargs: tenant, region. Before the tenant row and schema are dropped.
region_deleting = Signal()
