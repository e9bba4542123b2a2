"""Small charts drawn on the server as inline SVG: no script, no CDN, nothing to download.

Two shapes cover the dashboard: horizontal stacked bars (one row per lane or process, one
segment per series) and grouped columns (one group per week). Every text goes through
escaping; colours come from CSS classes (`chart-series-N`), so the stylesheet keeps the palette
and the table beside each chart carries the same numbers for screen readers."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

ROW_HEIGHT, BAR_HEIGHT, LABEL_WIDTH, BARS_WIDTH, GAP = 28, 18, 180, 320, 6
COLUMNS_HEIGHT, AXIS_HEIGHT = 160, 34


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


def _scale(largest: int, room: float) -> float:
    return room / largest if largest > 0 else 0.0


def _shorten(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def stacked_bars(title: str, labels: list[str], series: list[Series]) -> Markup:
    """One horizontal bar per label, its segments the series' values, the total at its end."""
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    unit = _scale(max(totals, default=0), BARS_WIDTH)
    body = []
    for row, label in enumerate(labels):
        y = row * ROW_HEIGHT
        body.append(f'<text class="chart-label" x="{LABEL_WIDTH - GAP}" y="{y + BAR_HEIGHT - 4}" '
                    f'text-anchor="end">{escape(_shorten(label))}</text>')
        x = float(LABEL_WIDTH)
        for index, one in enumerate(series):
            value = one.values[row]
            if value:
                width = value * unit
                body.append(f'<rect class="chart-series-{index}" x="{x:.1f}" y="{y}" width="{width:.1f}" '
                            f'height="{BAR_HEIGHT}"><title>{escape(label)}, {escape(one.name)}: {value}</title></rect>')
                x += width
        body.append(f'<text class="chart-value" x="{x + GAP:.1f}" y="{y + BAR_HEIGHT - 4}">{totals[row]}</text>')
    return _svg(LABEL_WIDTH + BARS_WIDTH + 48, max(1, len(labels)) * ROW_HEIGHT, title, body)


def grouped_columns(title: str, categories: list[str], series: list[Series]) -> Markup:
    """One group of columns per category (a week), one column per series, values above them."""
    group = len(series) * 14 + 18  # room for a "26 Oct" label under each group
    unit = _scale(max((v for s in series for v in s.values), default=0), COLUMNS_HEIGHT - 16)
    body = [f'<line class="chart-axis" x1="0" y1="{COLUMNS_HEIGHT}" x2="{group * len(categories)}" '
            f'y2="{COLUMNS_HEIGHT}"/>']
    for column, category in enumerate(categories):
        left = column * group + 5
        for index, one in enumerate(series):
            value = one.values[column]
            height = value * unit
            x = left + index * 14
            body.append(f'<rect class="chart-series-{index}" x="{x}" y="{COLUMNS_HEIGHT - height:.1f}" width="12" '
                        f'height="{height:.1f}"><title>{escape(category)}, {escape(one.name)}: {value}</title></rect>')
            if value:
                body.append(f'<text class="chart-value chart-value-small" x="{x + 6}" '
                            f'y="{COLUMNS_HEIGHT - height - 3:.1f}" text-anchor="middle">{value}</text>')
        body.append(f'<text class="chart-label chart-label-small" x="{left + group / 2 - 5:.1f}" '
                    f'y="{COLUMNS_HEIGHT + 14}" text-anchor="middle">{escape(category)}</text>')
    return _svg(max(group * len(categories), 1), COLUMNS_HEIGHT + AXIS_HEIGHT, title, body)
