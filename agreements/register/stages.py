"""How the region's workspace names the stages of an agreement.

The stages, their order and the guards between them are the regulation's (cooperation.models.
Stage, agreements/register/lifecycle.py); what a region may change is only the label its workspace
shows, e.g. "Penjajakan" for preparation. The labels are kept on the region's one settings row
(`ReminderSettings.stage_labels`: {stage: label}, no table of their own); a stage without one
shows its default label. Every place of the workspace that shows a stage asks here: the list
and its filter, the detail, the dashboard, the exports. The semester report to the Governor and
the Minister keeps the official labels, and the parties' shared pages (a partner region, the
proposer) the default ones: a label is this region's own wording.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from agreements.models import ReminderSettings
from cooperation.models import Stage
from cooperation.policy import AgreementPerm
from core.errors import Forbidden
from core.request_cache import forget, memoised
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import has_perm

MAX_LABEL_LENGTH = 60


class StageLabelError(StrEnum):
    UNKNOWN_STAGE = "stage_unknown"
    TOO_LONG = "stage_label_too_long"
    DUPLICATE = "stage_label_duplicate"


def custom_labels() -> dict[str, str]:
    """The region's own labels, {stage: label} (once a request)."""
    return memoised(
        ("stage_labels", connection.schema_name),
        lambda: ReminderSettings.objects.filter(pk=1).values_list("stage_labels", flat=True).first()
        or {},
    )


def labels() -> dict[str, str]:
    """Every stage's label in this region's workspace, in the lifecycle's order."""
    custom = custom_labels()
    return {value: custom.get(value) or str(default) for value, default in Stage.choices}


def label(stage: str) -> str:
    return labels().get(stage, stage)


def choices() -> list[tuple[str, str]]:
    return list(labels().items())


def update_stage_labels(*, membership: Membership, labels: dict[str, str]) -> dict[str, str]:
    """Set the region's labels: `labels` maps stages to a label, blank for the default one.
    Refused: an unknown stage, a label longer than MAX_LABEL_LENGTH, two stages showing the
    same label (a custom one or another stage's default, compared without case)."""
    ensure_writable(membership.tenant)
    if not has_perm(
        membership.user,
        membership.tenant,
        AgreementPerm.CONFIGURE_AGREEMENTS,
        membership=membership,
    ):
        raise Forbidden(_("Only the cooperation office names the stages."))
    errors: dict[str, ValidationError] = {}
    wanted: dict[str, str] = {}
    for stage, text in labels.items():
        text = " ".join(str(text or "").split())
        if stage not in Stage.values:
            errors[stage] = ValidationError(
                _("There is no stage “%(stage)s”.") % {"stage": stage},
                code=StageLabelError.UNKNOWN_STAGE,
            )
        elif len(text) > MAX_LABEL_LENGTH:
            errors[stage] = ValidationError(
                _("At most %(max)s characters (this has %(length)s).")
                % {"max": MAX_LABEL_LENGTH, "length": len(text)},
                code=StageLabelError.TOO_LONG,
            )
        elif text and text != str(Stage(stage).label):
            wanted[stage] = text
    shown: dict[str, str] = {}
    for stage, default in Stage.choices:
        text = wanted.get(stage) or str(default)
        key = text.casefold()
        if key in shown and stage not in errors:
            other = shown[key]
            errors[stage if stage in wanted else other] = ValidationError(
                _("“%(label)s” already names the stage “%(other)s”; give each stage its own label.")
                % {"label": text, "other": Stage(other if stage in wanted else stage).label},
                code=StageLabelError.DUPLICATE,
            )
        shown.setdefault(key, stage)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = ReminderSettings.objects.select_for_update().get_or_create(pk=1)
        before = dict(row.stage_labels or {})
        row.stage_labels = wanted
        row.save(update_fields=["stage_labels", "updated_at"])
        if before != wanted:
            audit.record(
                "agreement.stage_labels_changed",
                actor=membership.user,
                tenant=membership.tenant,
                data={"labels": wanted},
            )
    forget()
    return wanted
