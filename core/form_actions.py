"""One way for a page to run a form through an action.

Every form view that calls an action does the same four things: bind the form, run the action
with the cleaned data, show a refusal on the form (a field's error by its field, anything else at
the top, with its stable code), and answer with the status the refusal calls for. `submit` does
them once; the status comes from core.errors.status_for (400 bad input, 403, 404, 409 for a state
conflict including a stale version), never from a view.

    form = ListingForm(request.POST or None)
    submitted = submit(request, form, lambda data: actions.create(membership=m, **data))
    if submitted.done:
        messages.success(request, _("Saved."))
        return redirect(...)
    return render(request, "page.html", {"form": form}, status=submitted.status)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import REFUSED, attempt


@dataclass(frozen=True)
class Submission:
    """What became of a form: `done` when the action ran (its return value in `result`);
    otherwise `status` is the page's (200 when nothing was submitted, the refusal's status when
    the form or the action said no, the refusal then shown on the form)."""

    done: bool
    result: Any = None
    status: int = 200

    @property
    def refused(self) -> bool:
        return not self.done and self.status != 200


def submit(request, form, action: Callable[[dict], Any], *, method: str = "POST") -> Submission:
    """On a `method` request (POST), validate `form` and run `action(form.cleaned_data)`;
    anything else (a GET showing the empty form) does nothing."""
    if request.method != method:
        return Submission(done=False)
    return run(form, action)


def run(form, action: Callable[[dict], Any]) -> Submission:
    """Validate `form` and run `action(form.cleaned_data)`, whatever the request's method (for
    views that only accept a POST, or whose form is bound from elsewhere)."""
    result, status = attempt(form, action)
    if result is REFUSED:
        return Submission(done=False, status=status)
    return Submission(done=True, result=result)
