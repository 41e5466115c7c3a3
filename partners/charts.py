"""Geometry for the growth chart, drawn as inline SVG (no JavaScript, works offline)."""

from __future__ import annotations

from dataclasses import dataclass

from partners.selectors import GrowthPoint

BAR_WIDTH, GAP, PLOT_HEIGHT, TOP, BOTTOM = 28, 10, 120, 18, 20


@dataclass(frozen=True)
class Bar:
    point: GrowthPoint
    x: int
    core_y: float
    core_height: float
    broad_y: float
    broad_height: float
    label_x: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    baseline: int


def growth_chart(points: list[GrowthPoint]) -> Chart:
    top = max((p.total for p in points), default=0) or 1
    scale = PLOT_HEIGHT / top
    baseline = TOP + PLOT_HEIGHT
    bars = []
    for i, point in enumerate(points):
        x = GAP + i * (BAR_WIDTH + GAP)
        core_height, broad_height = point.core * scale, point.broad * scale
        bars.append(
            Bar(
                point,
                x,
                baseline - core_height,
                core_height,
                baseline - core_height - broad_height,
                broad_height,
                x + BAR_WIDTH // 2,
            )
        )
    width = GAP + len(points) * (BAR_WIDTH + GAP)
    return Chart(bars, width, baseline + BOTTOM, baseline)
