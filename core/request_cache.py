"""A memo that lives for one request, for answers that cannot change while it is served.

The policy asks the same questions several times per page (is the e-mail verified, which
membership does this person hold here): the middleware, the view, the navigation and the
template each ask. Inside a request (`RequestCacheMiddleware`) the answer is computed once; outside
one (actions run from commands or tests, where data changes between calls) nothing is memoised.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_memo: ContextVar[dict | None] = ContextVar("jejaring_request_memo", default=None)


def memoised(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget() -> None:
    """After a write that changes an answer (call it from the action that wrote)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
