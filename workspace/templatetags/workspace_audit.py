"""The history's rows in words (tenants/audit.py's registry describes each event)."""

from django import template

from tenants.audit import describe_events

register = template.Library()


@register.simple_tag
def described_events(events):
    """`{% described_events page as rows %}`: each row has `event`, `label` and
    `description`, in the active language; region names are looked up once for all rows."""
    return describe_events(events)
