"""Forms of the trade mission pages. They shape input; missions/actions.py decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import MAX_MESSAGE, slot_label


class _Choosing(forms.Form):
    """A form with one field whose choices are objects given to it (`field`, `objects`)."""

    def _objects(self, field: str, objects, label, empty=None) -> None:
        self._choices = getattr(self, "_choices", {})
        self._choices[field] = {o.pk: o for o in objects}
        choices = [(o.pk, label(o)) for o in objects]
        if empty is not None:
            choices = [("", empty), *choices]
        self.fields[field].choices = choices

    def _chosen(self, field: str):
        pk = self.cleaned_data.get(field)
        return self._choices[field].get(pk) if pk is not None else None


class MissionFields(forms.Form):
    """What the organiser writes about a mission, when creating it and when changing it."""

    title = forms.CharField(label=_("Title"), max_length=160)
    destination = forms.CharField(
        label=_("Destination"),
        max_length=160,
        help_text=_("The province, city or country the mission goes to."),
    )
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))


class MissionForm(_Choosing, MissionFields):
    organiser = forms.TypedChoiceField(label=_("Organised by"), coerce=int)
    field_order = ["organiser"]

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._objects("organiser", memberships, lambda m: m.tenant.name)

    def clean_organiser(self):
        return self._chosen("organiser")


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=160, required=False)


class RemoveSlotForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the people who were to meet (optional)"),
        max_length=MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say why the slot is removed; it goes with the cancellation."),
    )
    cancel_meetings = forms.BooleanField(
        label=_("Cancel the requests and meetings in this slot and tell both sides"),
        required=False,
    )


class EnrolForm(_Choosing):
    listing = forms.TypedChoiceField(label=_("Listing"), coerce=int)

    def __init__(self, *args, listings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._objects("listing", listings, lambda item: f"{item.title} ({item.tenant.name})")

    def clean_listing(self):
        return self._chosen("listing")


class MeetingRequestForm(_Choosing):
    listing = forms.TypedChoiceField(label=_("About the listing"), coerce=int)
    slot = forms.TypedChoiceField(
        label=_("Slot"),
        coerce=int,
        help_text=_("The region's free slots are confirmed when it answers."),
    )
    requester_tenant = forms.TypedChoiceField(
        label=_("You ask"), required=False, coerce=int, empty_value=None
    )
    organisation = forms.CharField(
        label=_("Your organisation"),
        max_length=160,
        required=False,
        help_text=_("For a company, a cooperative or a buyer: its name, as the region sees it."),
    )
    message = forms.CharField(
        label=_("What you would like to talk about"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, enrolments=(), slots=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._objects(
            "listing",
            [e.listing for e in enrolments],
            lambda item: f"{item.title} ({item.tenant.name})",
        )
        self._objects("slot", slots, slot_label)
        self._objects(
            "requester_tenant",
            regions,
            lambda t: _("For %(region)s, as its member") % {"region": t.name},
            empty=_("For myself or my organisation (a third party)"),
        )

    def clean_listing(self):
        return self._chosen("listing")

    def clean_slot(self):
        return self._chosen("slot")

    def clean_requester_tenant(self):
        return self._chosen("requester_tenant")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer (optional)"),
        max_length=MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RescheduleForm(_Choosing):
    slot = forms.TypedChoiceField(label=_("Move to the slot"), coerce=int)
    answer = forms.CharField(
        label=_("Your answer (optional)"),
        max_length=MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._objects("slot", slots, slot_label)

    def clean_slot(self):
        return self._chosen("slot")


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the region (optional)"),
        max_length=MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
