"""Reading the parties' joint preparation of one agreement (public schema): the inventory of
points per urusan with the heads of region's priorities, the scope text the chosen points make,
and the joint text's versions with a readable difference between two of them. The writes are
the actions in agreements/joint.py; nothing here reads a region's schema."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Max

from . import urusan
from .models import Cooperation, InventoryPoint, TextVersion


def points_of(cooperation_pk: int):
    """The whole inventory, highest priority first, then by urusan: one query."""
    return InventoryPoint.objects.filter(cooperation_id=cooperation_pk).select_related(
        "region", "pks"
    )


@dataclass(frozen=True)
class UrusanGroup:
    code: str
    label: str
    points: list[InventoryPoint]

    @property
    def chosen(self) -> list[InventoryPoint]:
        return [p for p in self.points if p.chosen]


def by_urusan(points) -> list[UrusanGroup]:
    """The inventory per urusan, in the nomenclature's order; within one, by priority."""
    groups: dict[str, list[InventoryPoint]] = {}
    for point in points:
        groups.setdefault(point.urusan, []).append(point)
    return [
        UrusanGroup(code, urusan.label(code), groups[code])
        for code in sorted(groups, key=lambda c: [int(n) for n in c.split(".")])
    ]


def chosen_points(cooperation_pk: int) -> list[InventoryPoint]:
    return list(points_of(cooperation_pk).filter(chosen=True))


def scope_text(points: list[InventoryPoint]) -> str:
    """The agreement's scope from the chosen points, in the heads' order of priority: one
    numbered line each, with its urusan and the region that proposed it."""
    ordered = sorted(points, key=lambda p: (p.rank is None, p.rank or 0, p.urusan, p.pk))
    return "\n".join(
        f"{n}. {p.text.strip()} ({p.urusan_label}; {p.region.full_name})"
        for n, p in enumerate(ordered, start=1)
    )


def pks_title(ksb: Cooperation, code: str) -> str:
    return f"PKS {urusan.NAMES.get(code, code)} — {ksb.title}"[:300]


# --- The joint text's versions ------------------------------------------------------------------


def versions_of(cooperation_pk: int):
    """Newest first, with the author's region: one query."""
    return TextVersion.objects.filter(cooperation_id=cooperation_pk).select_related("region")


def next_number(cooperation_pk: int) -> int:
    """The next version's number (call with the shared record locked)."""
    last = TextVersion.objects.filter(cooperation_id=cooperation_pk).aggregate(n=Max("number"))
    return (last["n"] or 0) + 1


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "skip"
    text: str
    old: int | None = None  # line numbers, 1-based
    new: int | None = None


def diff(old: str, new: str, *, context: int = 2) -> list[DiffLine]:
    """The lines that differ between two texts, with `context` unchanged lines around each
    change and a "skip" marker where unchanged lines are left out."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("skip", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(
                    DiffLine("same", a[i], i + 1, j + 1)
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            lines.extend(DiffLine("removed", a[i], old=i + 1) for i in range(i1, i2))
            lines.extend(DiffLine("added", b[j], new=j + 1) for j in range(j1, j2))
    return lines
