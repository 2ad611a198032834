"""The charts of an insight view, one per figure, keyed by the figure's key."""

from __future__ import annotations

from markupsafe import Markup

from schoolsafe.services.insight.figures import Figure, Insight
from schoolsafe.services.insight.svg import bar_chart, cell_bars, column_chart


def charts(insight: Insight) -> dict[str, Markup]:
    """Every chart the insight page shows above its table."""
    drawn = {figure.key: _figure_chart(figure) for figure in insight.over_time}
    for figure in (insight.register_changes, insight.register_status, insight.referrals,
                   insight.open_cases):
        drawn[figure.key] = _figure_chart(figure)
    drawn["ack"] = bar_chart("chart-ack", "Median time to acknowledge, by urgency", [
        (row.label, row.median_minutes if not row.acknowledged.hidden else None, row.median)
        for row in insight.acknowledgement])
    return drawn


def _figure_chart(figure: Figure) -> Markup:
    chart_id = f"chart-{figure.key}"
    if figure.key == "month":
        (row,) = figure.rows
        return column_chart(chart_id, figure.title,
                            list(zip((m.label for m in figure.months), row.months, strict=True)))
    title = f"{figure.title} ({figure.when.lower()})"
    return bar_chart(chart_id, title, cell_bars([(row.label, row.total) for row in figure.rows]))
