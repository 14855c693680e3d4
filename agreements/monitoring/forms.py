"""Forms of the action plan, the monitoring reports and the reminder settings. They shape input;
the actions in monitoring.py validate the rules and raise the codes."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.models import ActionItemStatus, MonitoringRecommendation
from agreements.monitoring import periods
from agreements.register.forms import DATE


class ActionItemForm(forms.Form):
    activity = forms.CharField(label=_("Activity"), max_length=300)
    owner_opd = forms.CharField(label=_("Owner OPD"), max_length=150)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionItemStatus.choices, initial=ActionItemStatus.PLANNED
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class MonitoringReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    progress = forms.CharField(
        label=_("Progress on the action plan"), widget=forms.Textarea(attrs={"rows": 5})
    )
    problems = forms.CharField(
        label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=MonitoringRecommendation.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.key, p.label) for p in periods.recent(today)]
        self.fields["period"].choices = choices
        self.fields["period"].initial = periods.last_completed(today).key

    def clean_period(self) -> periods.Period:
        return periods.Period.parse(self.cleaned_data["period"])


class DaysField(forms.CharField):
    """A list of whole numbers of days, separated by commas: `90, 60, 30, 7, 0`."""

    def to_python(self, value) -> list[int]:
        text = super().to_python(value)
        try:
            return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError as exc:
            raise ValidationError(
                _("Give whole numbers of days separated by commas, e.g. 90, 60, 30, 7, 0."),
                code="expiry_days_invalid",
            ) from exc

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(d) for d in value)
        return value


class ReminderSettingsForm(forms.Form):
    expiry_days = DaysField(
        label=_("Days before an agreement's end to send a reminder"),
        max_length=100,
        help_text=_("Separated by commas; 0 is the day it ends."),
    )
    grace_days = forms.IntegerField(
        label=_("Days after a period's end by which its monitoring report is due"),
        min_value=0,
    )
