"""Figures for closed questions: small-cell suppression and server-side SVG bar charts.

Pure functions (plain data in, a string or plain data out) so the principles PDF can reuse them.
Every piece of text put into the SVG is escaped here; callers pass raw labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

Cell = int | None  # None: suppressed


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts with margins. `cells[i][j]` is row i, column j; None means suppressed."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: int


def suppress(counts: list[list[int]], minimum: int, row_totals: list[int] | None = None,
             column_totals: list[int] | None = None) -> SuppressedTable:
    """Hide counts from 1 to minimum - 1, then enough others that no hidden count can be worked out.

    Each row with its total, and each column with its total, is an equation a reader could solve for
    one unknown: so wherever exactly one entry of a line is hidden, the smallest other entry of that
    line is hidden too (inner cells before totals), until no line has a single hidden entry. Totals
    default to the sums; pass them when they differ (multiple choice: people answering, not ticks).
    The grand total is always shown.
    """
    rows, cols = len(counts), len(counts[0]) if counts else 0
    row_totals = list(row_totals) if row_totals is not None else [sum(r) for r in counts]
    column_totals = list(column_totals) if column_totals is not None else [sum(r[j] for r in counts) for j in range(cols)]
    grand = sum(column_totals)
    # Work on one (rows + 1) x (cols + 1) grid whose last row and column are the totals.
    grid = [list(r) + [row_totals[i]] for i, r in enumerate(counts)] + [list(column_totals) + [grand]]
    hidden = [[0 < grid[i][j] < minimum and (i, j) != (rows, cols) for j in range(cols + 1)] for i in range(rows + 1)]
    lines = [[(i, j) for j in range(cols + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(cols + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[i][j] for i, j in line) != 1:
                continue
            candidates = [(i == rows or j == cols, grid[i][j], i, j) for i, j in line
                          if not hidden[i][j] and (i, j) != (rows, cols)]
            if candidates:
                _is_total, _value, i, j = min(candidates)
                hidden[i][j] = True
                changed = True

    def shown(i: int, j: int) -> Cell:
        return None if hidden[i][j] else grid[i][j]

    return SuppressedTable(cells=[[shown(i, j) for j in range(cols)] for i in range(rows)],
                           row_totals=[shown(i, cols) for i in range(rows)],
                           column_totals=[shown(rows, j) for j in range(cols)], grand_total=grand)


def percent(count: Cell, total: int) -> str:
    """'42%' (one decimal under 10%), or '' when the count is hidden or the total is zero."""
    if count is None or not total:
        return ""
    share = 100 * count / total
    return f"{share:.1f}%" if 0 < share < 10 else f"{share:.0f}%"


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, Cell]], *, total: int,
              minimum: int = 5, width: int = 640) -> str:
    """A horizontal bar chart as an inline <svg role="img">: one bar per (label, count).

    A hidden count (None) draws no bar and reads "fewer than {minimum}". `chart_id` must be unique on
    the page: it names the <title> and <desc> the SVG is labelled by.
    """
    row_height, top, label_gap = 46, 8, 18
    bar_left, value_space = 0, 130
    bar_room = width - bar_left - value_space
    largest = max([count for _label, count in bars if count] or [1])
    height = top + row_height * max(len(bars), 1) + 4
    ident = escape(chart_id, quote=True)
    summary = "; ".join(f"{label}: {_count_text(count, total, minimum)}" for label, count in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kil-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(summary)}</desc>',
    ]
    for index, (label, count) in enumerate(bars):
        y = top + index * row_height
        parts.append(f'<text x="{bar_left}" y="{y + 12}" font-size="14" fill="#0b0c0c">{escape(_clip(label))}</text>')
        length = 0 if not count else max(2, round(bar_room * count / largest))
        if length:
            parts.append(f'<rect x="{bar_left}" y="{y + label_gap}" width="{length}" height="20" fill="#1d70b8"/>')
        parts.append(f'<text x="{bar_left + length + 8}" y="{y + label_gap + 15}" font-size="14" fill="#0b0c0c">'
                     f'{escape(_count_text(count, total, minimum))}</text>')
    if not bars:
        parts.append(f'<text x="0" y="{top + 20}" font-size="14" fill="#0b0c0c">No answers</text>')
    parts.append("</svg>")
    return "".join(parts)


def _count_text(count: Cell, total: int, minimum: int) -> str:
    if count is None:
        return f"fewer than {minimum}"
    share = percent(count, total)
    return f"{count:,} ({share})" if share else f"{count:,}"


def _clip(label: str, limit: int = 80) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"
