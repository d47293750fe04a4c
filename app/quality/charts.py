"""The trend chart's geometry: a small server-rendered SVG, drawn by the template from these numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 260, 80
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 8, 20
#: Month labels under the chart, short enough to fit three at 11 px: "sep. 25".
_MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


@dataclass(frozen=True)
class Point:
    month: date
    share: float
    x: float
    y: float


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    points: list[Point]
    segments: list[str]  # polyline "x,y x,y" strings, broken where a month has no figure
    guides: list[tuple[float, str]]  # (y, css class) for the green and yellow threshold lines
    axis: list[tuple[float, str]]  # (y, label) for 100 % and 0 %
    ticks: list[tuple[float, str, str]]  # (x, month label, text-anchor) for the first, middle and last month
    left: int
    right: int
    bottom: float

    @property
    def is_empty(self) -> bool:
        return not self.points

    @property
    def shows_trend(self) -> bool:
        """A trend needs at least two measured months; one figure alone is said in words, not drawn."""
        return len(self.points) >= 2


def _y(share: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(share, 100.0)) / 100), 1)


def trend(series: list[tuple[date, float | None]], green: float, yellow: float) -> Trend:
    """Chart geometry for (month, share) pairs, oldest first; months without a figure leave a gap."""
    count = max(len(series), 2)
    step = (WIDTH - LEFT - RIGHT) / (count - 1)
    points, segments, current = [], [], []
    for index, (month, share) in enumerate(series):
        if share is None:
            if current:
                segments.append(current)
            current = []
            continue
        point = Point(month, share, round(LEFT + index * step, 1), _y(share))
        points.append(point)
        current.append(point)
    if current:
        segments.append(current)
    ticks = []
    for index in sorted({0, len(series) // 2, len(series) - 1}):
        if 0 <= index < len(series):
            month = series[index][0]
            anchor = "end" if index == len(series) - 1 and index else "middle"
            ticks.append((round(LEFT + index * step, 1), f"{_MONTHS[month.month - 1]} {month.year % 100:02d}", anchor))
    return Trend(
        WIDTH, HEIGHT, points,
        [" ".join(f"{p.x},{p.y}" for p in segment) for segment in segments if len(segment) > 1],
        [(_y(green), "guide-green"), (_y(yellow), "guide-yellow")],
        [(_y(100), "100"), (_y(0), "0")],
        ticks, LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM,
    )
