"""core.form_actions: one place binds a form, runs the action, shows the refusal on the form and
chooses the status from the error's type and code."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.errors import Conflict, Forbidden, NotFound, StaleVersion, status_for
from core.form_actions import perform, submit


class NameForm(forms.Form):
    name = forms.CharField()


def _post(data):
    return RequestFactory().post("/", data)


def test_a_get_shows_the_form_and_runs_nothing():
    ran = []
    submitted = submit(RequestFactory().get("/"), NameForm(), ran.append)
    assert (submitted.done, submitted.status, ran) == (False, 200, [])


def test_a_valid_form_runs_the_action_with_its_cleaned_data():
    submitted = submit(_post({"name": "Malang"}), NameForm({"name": "Malang"}), lambda d: d)
    assert submitted.done and submitted.result == {"name": "Malang"}


def test_bad_input_is_400_and_the_action_does_not_run():
    ran = []
    form = NameForm({"name": ""})
    submitted = submit(_post({}), form, ran.append)
    assert (submitted.done, submitted.status, ran) == (False, 400, [])
    assert "name" in form.errors


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (ValidationError({"name": ValidationError("Taken.", code="taken")}), 400, "taken"),
        (Forbidden("No.", code="not_yours"), 403, "not_yours"),
        (NotFound("Gone."), 404, "not_found"),
        (Conflict("Decided.", code="already_decided"), 409, "already_decided"),
        (StaleVersion("Someone else changed it."), 409, "stale_version"),
    ],
)
def test_a_refusal_is_on_the_form_with_the_status_of_its_type(error, status, code):
    def refuse(data):
        raise error

    form = NameForm({"name": "Malang"})
    submitted = submit(_post({"name": "Malang"}), form, refuse)
    assert (submitted.done, submitted.status) == (False, status)
    assert code in {e.code for errors in form.errors.as_data().values() for e in errors}


def test_a_stale_version_is_a_conflict_by_type_not_by_string():
    stale = StaleVersion("x")
    assert isinstance(stale, Conflict) and stale.code == "stale_version"
    assert status_for(stale) == 409
    assert status_for(PermissionDenied()) == 403
    with pytest.raises(TypeError):
        status_for(ValueError("x"))


class RegionForm(forms.Form):
    region = forms.CharField()
    reason = forms.CharField(required=False)


def test_a_refusal_without_a_field_is_shown_by_the_field_named():
    def refuse(data):
        raise ValidationError("Already on Jejaring.", code="region_already_onboarded")

    form = RegionForm({"region": "35.73"})
    submitted = submit(_post({"region": "35.73"}), form, refuse, field="region")
    assert (submitted.done, submitted.status) == (False, 400)
    assert [e.code for e in form.errors.as_data()["region"]] == ["region_already_onboarded"]


def _with_messages(request):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_state_refusal_can_be_told_as_a_message_and_keeps_its_status():
    """For a page whose form is gone once the state changed (a region already suspended shows
    no suspend form): the conflict is a message, bad input from the action stays on the form."""
    request = _with_messages(_post({"region": "x"}))

    def conflict(data):
        raise Conflict("Already suspended.", code="already_suspended")

    form = RegionForm({"region": "x"})
    submitted = submit(request, form, conflict, state_refusal_as_message=True)
    assert (submitted.done, submitted.status) == (False, 409)
    assert not form.errors
    assert [str(m) for m in request._messages] == ["Already suspended."]

    def bad_input(data):
        raise ValidationError({"reason": ValidationError("Say why.", code="reason_required")})

    form = RegionForm({"region": "x"})
    submitted = submit(request, form, bad_input, state_refusal_as_message=True)
    assert (submitted.done, submitted.status) == (False, 400)
    assert [e.code for e in form.errors.as_data()["reason"]] == ["reason_required"]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ValidationError("Not allowed now.", code="invalid"), 400),
        (Forbidden("No."), 403),
        (Conflict("Already decided."), 409),
    ],
)
def test_a_button_without_a_form_tells_its_refusal_as_a_message(error, status):
    request = _with_messages(_post({}))

    def refuse():
        raise error

    performed = perform(request, refuse)
    assert (performed.done, performed.status) == (False, status)
    assert [str(m) for m in request._messages] == [
        " ".join(error.messages) if isinstance(error, ValidationError) else error.message
    ]
    assert perform(request, lambda: 7).result == 7
