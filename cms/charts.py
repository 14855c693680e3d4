"""Charts drawn on the server as SVG, each with its data as a table (screen readers and anyone
without the picture read the table; the SVG is marked as an image named by its caption).

No JavaScript and no inline style: the bars are plain SVG shapes with presentation attributes,
which the strict Content-Security-Policy allows."""

from __future__ import annotations

from dataclasses import dataclass

# Each bar's label stands on its own line above the bar, from the left edge: a label beside the
# bar was drawn leftwards from the bar's start and, longer than the room left of it, ran off the
# picture ("DPK (dengan…", "nergi"). The whole label is always in the data table.
LABEL_LINE = 18  # the label's line, above its bar
BAR_HEIGHT = 20
GAP = 12
ROW = LABEL_LINE + BAR_HEIGHT + GAP
CHART_WIDTH = 440
VALUE_WIDTH = 48
# At the charts' 13 px a character is at most about 7.5 px wide on average (capitals, digits):
# a label of this many fits the chart's width whatever the font.
MAX_LABEL_CHARS = 58


def fit_label(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """The label, cut at a word with an ellipsis when it is longer than the chart is wide."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0] if " " in label[: limit - 1] else label[: limit - 1]
    return cut.rstrip(" ,;:(") + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int  # the bar's top
    width: int
    label_y: int  # the label's baseline, above the bar
    text_y: int  # the value's baseline, beside the bar
    value_x: int

    @property
    def shown_label(self) -> str:
        return fit_label(self.label)


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one bar per (label, value), longest bar = the largest value."""

    caption: str
    label_heading: str
    value_heading: str
    bars: tuple[Bar, ...]
    height: int
    width: int = CHART_WIDTH

    @property
    def is_empty(self) -> bool:
        return not self.bars

    @property
    def bar_x(self) -> int:
        return 0

    @property
    def label_x(self) -> int:
        return 0

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def bar_chart(
    caption: str, rows: list[tuple[str, int]], *, label_heading: str, value_heading: str
) -> BarChart:
    room = CHART_WIDTH - VALUE_WIDTH
    largest = max((value for _label, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        top = index * ROW
        y = top + LABEL_LINE
        width = max(round(room * value / largest) if largest else 0, 1 if value else 0)
        bars.append(Bar(str(label), int(value), y, width, top + 13, y + 15, width + 6))
    height = max(len(bars) * ROW - GAP, 0)
    return BarChart(caption, label_heading, value_heading, tuple(bars), height)
