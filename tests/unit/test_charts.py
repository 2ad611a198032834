"""Server-drawn SVG charts: what they draw, what they escape, and what a hidden count shows."""

from __future__ import annotations

import re

import pytest

from schoolsafe.services.insight.suppress import Cell
from schoolsafe.services.insight.svg import bar_chart, cell_bars, column_chart, nice_ticks

HIDDEN_SMALL = Cell(None, "small", 5)
HIDDEN_OTHER = Cell(None, "derivable", 5)


def widths(svg: str) -> list[int]:
    return [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]


def test_bars_are_in_proportion_and_labelled_with_their_numbers():
    svg = bar_chart("c", "Reports", cell_bars([("A", Cell(10)), ("B", Cell(5)), ("C", Cell(0))]))
    assert widths(svg) == [480, 240]  # no bar for a zero
    assert [t for t in re.findall(r">([^<>]+)</text>", svg)] == ["A", "10", "B", "5", "C", "0"]


def test_a_hidden_count_draws_no_bar_only_its_words():
    svg = bar_chart("c", "Reports", cell_bars([("A", Cell(10)), ("B", HIDDEN_SMALL),
                                               ("C", HIDDEN_OTHER)]))
    assert len(widths(svg)) == 1
    assert "fewer than 5" in svg and "not shown" in svg


def test_a_chart_is_an_image_named_by_its_title_with_no_style_or_script():
    svg = bar_chart("chart-kind", "Kinds", cell_bars([("A", Cell(1))]))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="chart-kind-title chart-kind-desc"' in svg
    assert '<title id="chart-kind-title">Kinds</title>' in svg
    assert "style" not in svg and "<script" not in svg and "http://www.w3.org/2000/svg" in svg
    assert "href" not in svg


def test_labels_and_titles_are_escaped():
    svg = bar_chart("c", 'A "title" <b>', cell_bars([("<script>alert(1)</script> & co", Cell(3))]))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in svg


def test_columns_mark_hidden_months_and_name_each_january():
    months = [("Dec 2024", Cell(6)), ("Jan 2025", HIDDEN_SMALL), ("Feb 2025", Cell(0)),
              ("Mar 2025", HIDDEN_OTHER)]
    svg = column_chart("m", "Reports each month", months)
    assert svg.count("<rect") == 1
    assert ">&lt;5</text>" in svg and ">*</text>" in svg
    years = re.findall(r">(\d{4})</text>", svg)
    assert years == ["2024", "2025"]  # under the first column and under January


@pytest.mark.parametrize(("most", "ticks"), [
    (0, [0, 1]), (3, [0, 1, 2, 3]), (5, [0, 1, 2, 3, 4, 5]), (7, [0, 2, 4, 6, 8]),
    (26, [0, 10, 20, 30]), (1234, [0, 500, 1000, 1500]),
])
def test_gridlines_fall_on_round_numbers(most, ticks):
    assert nice_ticks(most) == ticks
