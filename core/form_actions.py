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

from django.contrib import messages
from django.core.exceptions import ValidationError

from .errors import DomainError, add_to_form, status_for


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


def submit(
    request,
    form,
    action: Callable[[dict], Any],
    *,
    method: str = "POST",
    field: str | None = None,
    state_refusal_as_message: bool = False,
) -> Submission:
    """On a `method` request (POST), validate `form` and run `action(form.cleaned_data)`;
    anything else (a GET showing the empty form) does nothing. See `run`."""
    if request.method != method:
        return Submission(done=False)
    message_to = request if state_refusal_as_message else None
    return run(form, action, field=field, message_to=message_to)


def run(
    form, action: Callable[[dict], Any], *, field: str | None = None, message_to=None
) -> Submission:
    """Validate `form` and run `action(form.cleaned_data)`, whatever the request's method (for
    views that only accept a POST, or whose form is bound from elsewhere). Bad input is 400 and
    the action does not run; an action's refusal (a ValidationError or any DomainError) is shown
    on the form (core.errors.add_to_form) and answered with core.errors.status_for's status.
    `field`: where a refusal that names no field of its own is shown (the top of the form
    otherwise).

    `message_to` (a request): a DomainError (the state, a permission: not the input) is told as
    a message on the page instead, for pages whose form is gone once the state changed (the
    staff's suspend form is not shown for a region already suspended)."""
    if not form.is_valid():
        return Submission(done=False, status=400)
    try:
        result = action(form.cleaned_data)
    except (ValidationError, DomainError) as exc:
        if message_to is not None and isinstance(exc, DomainError):
            messages.error(message_to, exc.message)
        else:
            add_to_form(form, exc, field=field)
        return Submission(done=False, status=status_for(exc))
    return Submission(done=True, result=result)


def posted_version(request) -> int:
    """The version a form posted with a button (optimistic locking): 0 when absent or not a
    number, which no record has, so the action refuses it as changed meanwhile."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def perform(request, action: Callable[[], Any]) -> Submission:
    """A button without a form (approve, reactivate, revoke): run `action()`; a refusal (a
    ValidationError or any DomainError) is told as a message on the next page, with
    status_for's status for a page that answers it directly."""
    try:
        result = action()
    except (ValidationError, DomainError) as exc:
        text = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
        messages.error(request, text)
        return Submission(done=False, status=status_for(exc))
    return Submission(done=True, result=result)
