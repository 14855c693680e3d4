"""Top-level actions run in a transaction of their own.

An action that sends e-mail, queues search updates or answers a person commits its own work:
run inside a caller's transaction, its on-commit work would wait for (or vanish with) someone
else's. `top_level` says so mechanically, as Zulip's actions do: the action runs in
`transaction.atomic(durable=True)`, which Django refuses inside another atomic block. Code that
composes actions in one transaction of its own (the demo's "create, submit, publish") calls
each one's `.inner`, the same function without the durable block.

    @top_level
    def publish_listing(*, membership, listing): ...

    with transaction.atomic():
        listing = actions.create_listing.inner(membership=m, fields=f)
        actions.publish_listing.inner(membership=office, listing=listing)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")


class TopLevel(Generic[P, R]):
    """An action that runs in a transaction of its own; `inner` is the action itself. Typed
    with the action's own parameters and result, so the type checker follows both."""

    def __init__(self, action: Callable[P, R]) -> None:
        functools.update_wrapper(self, action)
        self.inner: Callable[P, R] = action

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=True):
            return self.inner(*args, **kwargs)


def top_level(action: Callable[P, R]) -> TopLevel[P, R]:
    """`action` in a transaction of its own, never inside a caller's (a RuntimeError there);
    `.inner` is `action` itself, for callers that compose actions in their own transaction."""
    return TopLevel(action)
