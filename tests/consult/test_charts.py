"""The pure chart functions: small-cell suppression (primary and secondary) and escaped, labelled SVG."""
from __future__ import annotations

import random
import xml.etree.ElementTree as ET

from consult.responses.charts import bar_chart, percent, suppress

SVG = "{http://www.w3.org/2000/svg}"


def hidden_per_line(table) -> list[int]:
    """How many entries are hidden in each row-with-total and column-with-total equation."""
    rows = [r + [t] for r, t in zip(table.cells, table.row_totals)]
    rows.append(table.column_totals + [table.grand_total])
    lines = rows + [list(column) for column in zip(*rows)]
    return [sum(value is None for value in line) for line in lines]


def test_small_cells_hidden_and_a_second_cell_in_the_same_row_and_column():
    table = suppress([[20, 3], [30, 40]], minimum=5)
    # 3 is hidden; its row then hides 20 (else 23 - 20 = 3), its column hides 40, and 30 closes the square.
    assert table.cells == [[None, None], [None, None]]
    assert table.row_totals == [23, 70] and table.column_totals == [50, 43] and table.grand_total == 93


def test_secondary_suppression_picks_the_smallest_other_cell():
    table = suppress([[50, 2, 9, 40], [60, 30, 20, 70], [60, 30, 25, 70]], minimum=5)
    assert table.cells[0] == [50, None, None, 40]  # 9 is the smallest other cell in the row
    # Columns 2 and 3 then each hide their smallest other cell, both in row 2, which leaves that row with two.
    assert table.cells[1:] == [[60, None, None, 70], [60, 30, 25, 70]]
    assert all(count != 1 for count in hidden_per_line(table))


def test_nothing_hidden_when_every_cell_is_large_enough_and_zeros_are_shown():
    table = suppress([[5, 0], [7, 12]], minimum=5)
    assert table.cells == [[5, 0], [7, 12]] and table.row_totals == [5, 19]


def test_small_totals_are_hidden_too_and_never_alone():
    table = suppress([[3, 0], [10, 12]], minimum=5)
    assert table.cells[0][0] is None and table.row_totals[0] is None
    assert all(count != 1 for count in hidden_per_line(table))


def test_no_line_ever_has_exactly_one_hidden_entry_and_shown_values_are_true():
    rng = random.Random(7)
    for _ in range(300):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        counts = [[rng.choice([0, 1, 2, 4, 5, 8, 20, 60]) for _ in range(cols)] for _ in range(rows)]
        table = suppress(counts, minimum=5)
        assert table.grand_total == sum(map(sum, counts))
        for i in range(rows):
            for j in range(cols):
                shown = table.cells[i][j]
                assert shown is None or shown == counts[i][j]
                assert not (0 < counts[i][j] < 5) or shown is None
        lines = hidden_per_line(table)
        # The grand total is always shown, so a lone hidden margin can only remain in a one-column or one-row table.
        if rows > 1 and cols > 1:
            assert all(count != 1 for count in lines), counts


def test_given_column_totals_for_multiple_choice():
    table = suppress([[6, 7], [6, 1]], minimum=5, column_totals=[10, 7])
    assert table.grand_total == 17 and table.cells[1][1] is None
    assert all(count != 1 for count in hidden_per_line(table))


def test_bar_chart_is_labelled_escaped_and_says_fewer_than():
    svg = bar_chart("chart-q-0", "Q <1> & more", [("<script>alert(1)</script>", 12), ("Tiny & rare", None)],
                    total=20, minimum=5)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Q &lt;1&gt; &amp; more" in svg
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-q-0-title chart-q-0-desc"
    assert root.find(f"{SVG}title").text == "Q <1> & more"
    assert "Tiny & rare: fewer than 5" in root.find(f"{SVG}desc").text
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "12 (60%)" in texts and "fewer than 5" in texts
    assert len(root.findall(f"{SVG}rect")) == 1  # no bar for the hidden count


def test_bar_lengths_are_proportional_and_empty_charts_say_so():
    root = ET.fromstring(bar_chart("c", "T", [("a", 10), ("b", 5)], total=15, width=630))
    widths = [int(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths == [500, 250]
    assert "No answers" in bar_chart("e", "Empty", [], total=0)


def test_percent():
    assert percent(1, 3) == "33%" and percent(1, 40) == "2.5%" and percent(None, 5) == "" and percent(3, 0) == ""
