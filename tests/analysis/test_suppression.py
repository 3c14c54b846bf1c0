import pytest

from analysis.suppression import percent, protect, publishable_sums, small, table


def test_primary_suppression_hides_counts_below_min_cell_but_not_zero():
    assert [small(c, 5) for c in (0, 1, 4, 5, 50)] == [False, True, True, False, False]
    assert protect([0, 12, 30], 5) == set()
    assert protect([3, 0, 0], 5, partition=False) == {0}


def test_secondary_suppression_hides_the_smallest_other_cell():
    # 30 + 12 + 3 = 45 shown: 3 alone would be 45 - 30 - 12.
    assert protect([30, 12, 3], 5) == {1, 2}
    # Two small cells that together reach min_cell need nothing more.
    assert protect([30, 3, 4], 5) == {1, 2}
    # 1 + 2 < 5: a third cell joins, the smallest non-zero one.
    assert protect([40, 1, 9, 2, 0], 5) == {1, 2, 3}


def test_secondary_suppression_is_skipped_when_the_cells_do_not_partition_a_total():
    assert protect([30, 12, 3], 5, partition=False) == {2}


def test_cells_hidden_for_another_reason_are_protected_too():
    # Cell 0 is hidden because its group is; its value 2 would follow from the total.
    assert protect([2, 20, 30], 5, hidden={0}) == {0, 1}


def test_table_rows():
    rows = table([30, 12, 3], 45, 5)
    assert rows == [
        {"count": 30, "percent": 66.7, "suppressed": False},
        {"count": None, "percent": None, "suppressed": True},
        {"count": None, "percent": None, "suppressed": True},
    ]
    assert percent(1, 3) == 33.3 and percent(0, 0) is None


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
        # ... unless the second hidden cell is outside the disagree block.
        ([2, 0, 20, 30, 30, 6], [False, True]),
    ],
)
def test_block_sums_that_would_reveal_hidden_cells_are_withheld(values, expected):
    hidden = protect(values, 5)
    assert publishable_sums(values, hidden, [[0, 1], [3, 4]], 5) == expected


def test_rest_of_the_table_must_not_be_revealed_by_two_shown_sums():
    # neither 2 hidden with agree 20 (smallest other): agree sum partly hidden -> withheld;
    # disagree alone leaves the rest (20 + 2 hidden) safe.
    values = [30, 20, 2, 40, 35, 0]
    hidden = protect(values, 5)
    assert hidden == {1, 2}
    assert publishable_sums(values, hidden, [[0, 1], [3, 4]], 5) == [False, True]
