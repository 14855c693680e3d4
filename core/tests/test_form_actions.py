"""core.form_actions: one place binds a form, runs the action, shows the refusal on the form and
chooses the status from the error's type and code."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.errors import Conflict, Forbidden, NotFound, StaleVersion, status_for
from core.form_actions import submit


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
