"""{{ cooperation.stage|stage_label }}: a stage as this region's workspace labels it
(agreements/register/stages.py)."""

from __future__ import annotations

from django import template

from agreements.register import stages

register = template.Library()


@register.filter
def stage_label(stage: str) -> str:
    return stages.label(stage)
