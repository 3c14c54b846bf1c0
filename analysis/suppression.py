"""Small-cell suppression: the one rule for every count published anywhere (workspace, exports, the draft).

A table is its cells with, when shown, a total for each row, a total for each column and a grand total.
Each row whose cells add up to its shown total is an equation a reader can solve, and so is each such column
(and the row of column totals, and the column of row totals, against the grand total). So:

- primary: a count from 1 to min_cell - 1 is hidden (a zero identifies no one and is shown; the grand total
  is always shown);
- secondary: in every equation, no hidden entry may be alone (it would be the total minus the rest), and
  when the equation's total is shown, the hidden cells together (which a reader gets by subtraction) must
  hold 0 or at least min_cell people. Further entries are hidden until that holds everywhere: inner cells
  before totals, the smallest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.shares import percent

Cell = int | None  # None: hidden
HIDDEN = "not shown"  # one word for every hidden count, small or hidden to protect a small one


def count_text(count: Cell) -> str:
    """A published count as printed: '1,234', or HIDDEN."""
    return HIDDEN if count is None else f"{count:,}"


def explanation(min_cell: int) -> str:
    """What a reader is told once beside figures that may hide counts."""
    return (f"To protect respondents, counts from 1 to {min_cell - 1} are {HIDDEN}, nor is any other count from "
            f"which one of them could be worked out, for example by subtracting from a total.")


def small(count: int, min_cell: int) -> bool:
    return 0 < count < min_cell


@dataclass(frozen=True)
class SuppressedTable:
    """`cells[i][j]` is row i, column j; None means hidden. Totals are None where hidden, and the lists are
    None where the table shows no such totals."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: int | None


def suppress_table(counts: Sequence[Sequence[int]], min_cell: int, *, row_totals: Sequence[int] | None = None,
                   column_totals: Sequence[int] | None = None, grand_total: int | None = None,
                   rows_add_up: bool = True, columns_add_up: bool = True) -> SuppressedTable:
    """Hide what must be hidden in a table of counts whose totals are shown where given.

    `rows_add_up`: each row's cells add up to its total (every person counted in one column), and the column
    totals to the grand total; False when people can fall in several columns. `columns_add_up` likewise.
    """
    rows, cols = len(counts), len(counts[0]) if counts else 0
    grid: dict[tuple[int, int], int] = {(i, j): counts[i][j] for i in range(rows) for j in range(cols)}
    if row_totals is not None:
        grid.update({(i, cols): row_totals[i] for i in range(rows)})
    if column_totals is not None:
        grid.update({(rows, j): column_totals[j] for j in range(cols)})
    corner = (rows, cols)
    if grand_total is not None:
        grid[corner] = grand_total
    hidden = {place for place, value in grid.items() if place != corner and small(value, min_cell)}
    lines = []
    for i in range(rows + 1):
        line = [(i, j) for j in range(cols + 1)]
        if rows_add_up and (i, cols) in grid and all(place in grid for place in line):
            lines.append(line)
    for j in range(cols + 1):
        line = [(i, j) for i in range(rows + 1)]
        if columns_add_up and (rows, j) in grid and all(place in grid for place in line):
            lines.append(line)
    while True:
        extra = next((place for line in lines if (place := _to_hide(line, grid, hidden, corner, min_cell))), None)
        if extra is None:
            break
        hidden.add(extra)

    def shown(place: tuple[int, int]) -> Cell:
        return None if place in hidden else grid[place]

    return SuppressedTable(
        cells=[[shown((i, j)) for j in range(cols)] for i in range(rows)],
        row_totals=[shown((i, cols)) for i in range(rows)] if row_totals is not None else None,
        column_totals=[shown((rows, j)) for j in range(cols)] if column_totals is not None else None,
        grand_total=grand_total)


def _to_hide(line: list[tuple[int, int]], grid: dict, hidden: set, corner: tuple[int, int],
             min_cell: int) -> tuple[int, int] | None:
    """The next entry of one equation (its last entry is the total) to hide, or None when it is safe."""
    total = line[-1]
    unknown = [place for place in line if place in hidden]
    if not unknown:
        return None
    revealed = sum(grid[place] for place in unknown) if total not in hidden else None
    if len(unknown) > 1 and (revealed is None or not small(revealed, min_cell)):
        return None
    # Hidden alone, or a small sum left by subtraction: hide one more, which must add people to the sum.
    open_entries = [place for place in line if place not in hidden and place != corner]
    # Alone, any other entry will do (a zero too); a small sum needs one that adds people.
    candidates = open_entries if len(unknown) == 1 else [place for place in open_entries if grid[place] > 0]
    if not candidates:
        return None
    return min(candidates, key=lambda place: (place == total, grid[place] == 0, grid[place], place))


def suppress_counts(counts: Sequence[int], total: int, min_cell: int, *,
                    adds_up: bool = True) -> tuple[list[Cell], Cell]:
    """(each count or None, the total or None) for counts out of a shown total. `adds_up`: each person is in
    exactly one count (single choice), so the counts sum to the total."""
    if not counts:
        return [], None if small(total, min_cell) else total
    table = suppress_table([[c] for c in counts], min_cell, column_totals=[total], columns_add_up=adds_up)
    assert table.column_totals is not None
    return [row[0] for row in table.cells], table.column_totals[0]


def table(counts: Sequence[int], total: int, min_cell: int, *, partition: bool = True) -> list[dict]:
    """Rows of {"count", "percent", "suppressed"} for counts out of a shown total (see suppress_counts)."""
    shown, _total = suppress_counts(counts, total, min_cell, adds_up=partition)
    return [{"count": None, "percent": None, "suppressed": True} if c is None
            else {"count": c, "percent": percent(c, total), "suppressed": False} for c in shown]


def publishable_sums(values: Sequence[int], hidden: set[int], blocks: Sequence[Sequence[int]],
                     min_cell: int) -> list[bool]:
    """Which block sums (e.g. agree = strongly agree + agree) can be shown beside a table whose `hidden`
    cells are suppressed and whose total is shown.

    A shown block sum reveals the sum of its hidden cells, and the rows outside every shown block can be
    worked out from the total; each such revealed group of hidden cells, and each revealed sum, must be 0 or
    at least min_cell."""

    def safe(cells: Sequence[int]) -> bool:
        in_hidden = [values[i] for i in cells if i in hidden]
        return not small(sum(values[i] for i in cells), min_cell) and (not in_hidden or sum(in_hidden) >= min_cell)

    shown: list[Sequence[int]] = []
    result = []
    for block in blocks:
        trial = shown + [block]
        covered = {i for b in trial for i in b}
        rest = [i for i in range(len(values)) if i not in covered]
        ok = all(safe(b) for b in trial) and safe(rest)
        if ok:
            shown = trial
        result.append(ok)
    return result
