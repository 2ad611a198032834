"""Charts drawn on the server as inline SVG: no script, no style attributes, no third party.

Each chart is an image with a title for screen readers, which are pointed to the table of the
same numbers that the page puts below it. A hidden count draws no bar, only its words, so a
chart never shows more than its table.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from schoolsafe.services.insight.suppress import Cell

WIDTH = 640
INK, MUTED, BAR, GRID = "#1b1b1b", "#4a4a4a", "#1d4f91", "#b1b4b6"
TABLE_NOTE = "The same numbers are in the table below."


Bar = tuple[str, float | None, str]  # label, value (None when hidden), value in words


def bar_chart(chart_id: str, title: str, rows: Sequence[Bar]) -> Markup:
    """Horizontal bars, one per label, the label above each bar and its value in words after."""
    most = max((value or 0 for _, value, _ in rows), default=0) or 1
    room = WIDTH - 160  # space right of the longest bar for its words
    shapes: list[str] = []
    for n, (label, value, words) in enumerate(rows):
        top = 8 + n * 44
        shapes.append(_text(0, top + 14, label))
        length = round(room * (value or 0) / most)
        if value:
            shapes.append(_rect(0, top + 20, length, 18))
        shapes.append(_text(length + 6, top + 34, words, MUTED if value is None else INK))
    return _svg(chart_id, title, 16 + len(rows) * 44, shapes)


def cell_bars(rows: Sequence[tuple[str, Cell]]) -> list[Bar]:
    """Bars for counts: a hidden count has no value, only its words."""
    return [(label, cell.value, cell.text) for label, cell in rows]


def column_chart(chart_id: str, title: str, columns: Sequence[tuple[str, Cell]]) -> Markup:
    """Vertical columns, one per labelled count (months), on a scale with gridlines."""
    height, base, left = 260, 210, 44
    ticks = nice_ticks(max((cell.value or 0 for _, cell in columns), default=0))
    scale = (base - 20) / ticks[-1]
    shapes = [_gridline(left, base - round(t * scale), f"{t:,}") for t in ticks]
    step = (WIDTH - left) / max(len(columns), 1)
    for n, (label, cell) in enumerate(columns):
        x = left + n * step
        centre = round(x + step / 2)
        if cell.value:
            bar = round(cell.value * scale)
            shapes.append(_rect(round(x + step * 0.15), base - bar, max(round(step * 0.7), 1), bar))
        elif cell.hidden:
            shapes.append(_text(centre, base - 6, "<5" if cell.hidden == "small" else "*",
                                MUTED, anchor="middle"))
        shapes.extend(_month_label(centre, base, label, first=n == 0))
    return _svg(chart_id, title, height, shapes)


def nice_ticks(most: int) -> list[int]:
    """Gridline values from 0 to a round number at or above `most`: steps of 1, 2 or 5 x 10^n."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if most <= step * 5:
                top = max(-(-most // step), 1) * step
                return list(range(0, top + 1, step))
        magnitude *= 10


def _month_label(centre: int, base: int, label: str, *, first: bool) -> list[str]:
    # "Jan 2025": the month under each column, the year under the first and each January.
    month, _, year = label.partition(" ")
    shapes = [_text(centre, base + 18, month, anchor="middle", size=12)]
    if year and (first or month == "Jan"):
        shapes.append(_text(centre, base + 34, year, anchor="middle", size=12))
    return shapes


# The shapes are plain strings with the words escaped as they go in, and the chart becomes
# Markup once: a page draws hundreds of shapes, and escaping field by field through
# Markup.format took most of the insight page's time. Every other value is a number or a
# constant of this module.
def _gridline(left: int, y: int, label: str) -> str:
    line = f'<line x1="{left}" y1="{y}" x2="{WIDTH}" y2="{y}" stroke="{GRID}" stroke-width="1"/>'
    return line + _text(left - 6, y + 4, label, MUTED, anchor="end", size=12)


def _rect(x: int, y: int, width: int, height: int) -> str:
    return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{BAR}"/>'


def _text(x: int, y: int, words: str, fill: str = INK, *, anchor: str = "start",
          size: int = 14) -> str:
    return (f'<text x="{x}" y="{y}" fill="{fill}" font-size="{size}" text-anchor="{anchor}" '
            f'font-family="system-ui, sans-serif">{escape(words)}</text>')


def _svg(chart_id: str, title: str, height: int, shapes: list[str]) -> Markup:
    chart_id = escape(chart_id)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} '
           f'{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
           f'focusable="false"><title id="{chart_id}-title">{escape(title)}</title>'
           f'<desc id="{chart_id}-desc">{TABLE_NOTE}</desc>{"".join(shapes)}</svg>')
    return Markup(svg)  # noqa: S704 - every word in it was escaped above
