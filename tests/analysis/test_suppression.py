"""Small-cell suppression and percentages: the rules every page, export and draft prints counts by."""
import random

import pytest

from analysis.shares import percent, percent_text
from analysis.suppression import (HIDDEN, count_text, explanation, publishable_sums, small, suppress_counts,
                                  suppress_table, table)


def hidden_of(shown):
    return {i for i, c in enumerate(shown) if c is None}


def test_percentages_round_half_up_from_exact_counts():
    assert percent(145, 420) == 35  # 34.52...: 34 by banker's rounding of a rounded share
    assert percent(690 + 656, 1856) == 73  # not 37 + 35 rounded apart
    assert percent(1, 8) == 13 and percent(3, 8) == 38  # 12.5 and 37.5 go up
    assert percent(0, 0) is None and percent(0, 5) == 0 and percent(5, 5) == 100
    assert percent_text(35) == "35%" and percent_text(None) == "" and percent_text(None, missing="–") == "–"


def test_primary_suppression_hides_counts_below_min_cell_but_not_zero():
    assert [small(c, 5) for c in (0, 1, 4, 5, 50)] == [False, True, True, False, False]
    assert suppress_counts([0, 12, 30], 42, 5) == ([0, 12, 30], 42)
    assert suppress_counts([3, 0, 0], 3, 5, adds_up=False) == ([None, 0, 0], None)


def test_secondary_suppression_hides_the_smallest_other_cell_until_the_hidden_sum_is_safe():
    # 30 + 12 + 3 = 45 shown: 3 alone would be 45 - 30 - 12.
    assert hidden_of(suppress_counts([30, 12, 3], 45, 5)[0]) == {1, 2}
    # Two small cells that together reach min_cell need nothing more.
    assert hidden_of(suppress_counts([30, 3, 4], 37, 5)[0]) == {1, 2}
    # 1 + 2 < 5 is still small once subtracted from the total: a third cell joins, the smallest non-zero one.
    assert hidden_of(suppress_counts([40, 1, 9, 2, 0], 52, 5)[0]) == {1, 2, 3}
    # A zero beside a lone hidden cell would leave the small count to subtraction: a count of people goes.
    assert hidden_of(suppress_counts([0, 6, 0, 2, 0, 0], 8, 5)[0]) == {1, 3}


def test_secondary_suppression_is_skipped_when_the_counts_do_not_add_up_to_the_total():
    assert hidden_of(suppress_counts([30, 12, 3], 40, 5, adds_up=False)[0]) == {2}


def test_table_rows_carry_shares_of_the_total():
    assert table([30, 12, 3], 45, 5) == [
        {"count": 30, "percent": 67, "suppressed": False},
        {"count": None, "percent": None, "suppressed": True},
        {"count": None, "percent": None, "suppressed": True},
    ]


def test_a_cross_table_hides_a_second_cell_in_the_same_row_and_column():
    found = suppress_table([[20, 3], [30, 40]], 5, row_totals=[23, 70], column_totals=[50, 43], grand_total=93)
    # 3 is hidden; its row then hides 20 (else 23 - 20 = 3), its column hides 40, and 30 closes the square.
    assert found.cells == [[None, None], [None, None]]
    assert found.row_totals == [23, 70] and found.column_totals == [50, 43] and found.grand_total == 93


def test_a_table_without_column_totals_is_protected_along_its_rows():
    # Themes by group: each theme's total is shown; the groups' columns have no total.
    found = suppress_table([[40, 3, 20], [12, 12, 0]], 5, row_totals=[63, 24], columns_add_up=False)
    assert found.cells[0] == [40, None, None] and found.cells[1] == [12, 12, 0]
    assert found.column_totals is None


def test_totals_may_hide_too_and_the_grand_total_always_shows():
    found = suppress_table([[3, 0], [10, 12]], 5, row_totals=[3, 22], column_totals=[13, 12], grand_total=25)
    assert found.cells[0][0] is None and found.row_totals[0] is None and found.grand_total == 25


def _lines_safe(counts, found, min_cell):
    rows, cols = len(counts), len(counts[0])
    grid = {(i, j): counts[i][j] for i in range(rows) for j in range(cols)}
    grid |= {(i, cols): sum(counts[i]) for i in range(rows)}
    grid |= {(rows, j): sum(r[j] for r in counts) for j in range(cols)}
    grid[(rows, cols)] = sum(map(sum, counts))
    shown = {(i, j): found.cells[i][j] for i in range(rows) for j in range(cols)}
    shown |= {(i, cols): found.row_totals[i] for i in range(rows)}
    shown |= {(rows, j): found.column_totals[j] for j in range(cols)}
    shown[(rows, cols)] = found.grand_total
    lines = [[(i, j) for j in range(cols + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(cols + 1)]
    for place, value in shown.items():
        assert value is None or (value == grid[place] and (not small(value, min_cell) or place == (rows, cols)))
    for line in lines:
        hidden = [place for place in line if shown[place] is None]
        assert len(hidden) != 1, line
        if hidden and shown[line[-1]] is not None:
            assert not small(sum(grid[place] for place in hidden), min_cell), line


def test_no_hidden_count_can_be_worked_out_from_any_total_shown():
    rng = random.Random(7)
    for _ in range(500):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        counts = [[rng.choice([0, 1, 2, 4, 5, 8, 20, 60]) for _ in range(cols)] for _ in range(rows)]
        if sum(map(sum, counts)) < 5:
            continue  # the grand total is always shown: a survey of 4 people has nothing to hide it behind
        found = suppress_table(counts, 5, row_totals=[sum(r) for r in counts],
                               column_totals=[sum(r[j] for r in counts) for j in range(cols)],
                               grand_total=sum(map(sum, counts)))
        _lines_safe(counts, found, 5)


def test_every_hidden_count_reads_the_same():
    assert count_text(None) == HIDDEN == "not shown" and count_text(1234) == "1,234"
    assert "1 to 4" in explanation(5)


@pytest.mark.parametrize(
    "values, expected",
    [
        # Nothing hidden: both sums shown.
        ([40, 30, 10, 8, 6, 0], [True, True]),
        # Strongly agree 3 is hidden with strongly disagree 6 (the smallest other): agree
        # (3 + 30) would give the 3 away, and so would total - disagree - neither.
        ([3, 30, 10, 8, 6, 0], [False, False]),
        # Strongly disagree and don't know hidden (3 + 4): the disagree sum would reveal 3.
        ([40, 30, 10, 8, 3, 4], [True, False]),
        # The agree sum is small in itself; disagree would leave it as total minus the rest.
        ([2, 0, 20, 8, 30, 0], [False, False]),
    ],
)
def test_block_sums_that_would_reveal_hidden_cells_are_withheld(values, expected):
    hidden = hidden_of(suppress_counts(values, sum(values), 5)[0])
    assert publishable_sums(values, hidden, [[0, 1], [3, 4]], 5) == expected
