"""Reading the parties' joint preparation of one agreement (public schema): the inventory of
points per urusan with the heads of region's priorities, the scope text the chosen points make,
and the joint text's versions with a readable difference between two of them. The writes are
the actions in agreements/partners/joint.py; nothing here reads a region's schema."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Max, Prefetch

from . import urusan
from .models import Cooperation, InventoryPoint, Party, Stage, TextVersion


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


@dataclass(frozen=True)
class PointPks:
    """The PKS a chosen point went into, as one party reads it: the shared record (title,
    stage) and that party's own document number for it ("" while it has none)."""

    cooperation: Cooperation
    number: str


# A rejected PKS did not take the point up; an ended one did, and stays its record.
_NOT_TAKEN_UP = (Stage.REJECTED,)


def inventory(cooperation_pk: int, *, region_code: str) -> list[InventoryPoint]:
    """The inventory (points_of), each point with `in_pks`: the PKS it went into, or None.

    A point is in the PKS the owner's office took it up into (InventoryPoint.pks, set by
    agreements.partners.joint.adopt_chosen_points) or, for a chosen point, in the KSB's PKS that
    covers its urusan. The second is how the parties usually work: each PKS is prepared by the
    region that leads its urusan, in its own register, under its own record of the KSB, so no
    adoption ever linked the points (Malang Raya's four signed PKS showed "—"). The number is
    the reading region's (`region_code`). Three queries, whatever the inventory's size."""
    points = list(points_of(cooperation_pk))
    children = list(
        Cooperation.objects.filter(parent_id=cooperation_pk)
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.filter(region_id=region_code),
                to_attr="reader_parties",
            )
        )
        .order_by("pk")
    )
    by_pk = {c.pk: c for c in children}
    live = [c for c in children if c.stage not in _NOT_TAKEN_UP]

    def covering(code: str) -> Cooperation | None:
        return next((c for c in live if code in c.urusan), None)

    for point in points:
        pks = by_pk.get(point.pks_id) if point.pks_id else None
        if pks is None and point.pks_id is None and point.chosen:
            pks = covering(point.urusan)
        if pks is None:
            point.in_pks = None
            continue
        number = next((p.document_number for p in pks.reader_parties if p.document_number), "")
        point.in_pks = PointPks(pks, number)
    return points


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
