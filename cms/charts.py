"""Charts drawn on the server as SVG, each with its data as a table (screen readers and anyone
without the picture read the table; the SVG is marked as an image named by its caption).

No JavaScript and no inline style: the bars are plain SVG shapes with presentation attributes,
which the strict Content-Security-Policy allows."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 180
CHART_WIDTH = 560
VALUE_WIDTH = 48


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one bar per (label, value), longest bar = the largest value."""

    caption: str
    label_heading: str
    value_heading: str
    bars: tuple[Bar, ...]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def is_empty(self) -> bool:
        return not self.bars

    @property
    def bar_x(self) -> int:
        return self.label_width

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def bar_chart(
    caption: str, rows: list[tuple[str, int]], *, label_heading: str, value_heading: str
) -> BarChart:
    room = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max((value for _label, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        width = max(round(room * value / largest) if largest else 0, 1 if value else 0)
        bars.append(Bar(str(label), int(value), y, width, y + 16, LABEL_WIDTH + width + 6))
    height = max(len(bars) * (BAR_HEIGHT + GAP) - GAP, 0)
    return BarChart(caption, label_heading, value_heading, tuple(bars), height)
