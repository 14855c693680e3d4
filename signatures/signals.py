"""Signals of the signatures app (it sits below the features that show its results)."""

from django.dispatch import Signal

# A check's result or an office's acceptance changed for these files (`sha256s`): pages that
# cache what they show of them (the public registry) renew. Sent after the commit.
results_changed = Signal()
