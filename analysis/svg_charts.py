"""Charts as SVG strings for the report: data in, markup out, every text XML-escaped.

Each chart is role="img" with a <title> (short, used as the PDF's alternate text) and a <desc> that
lists every value, so nothing is available only as a picture. Series are told apart by position and
direct labels as well as colour; fills meet WCAG AA contrast with the text drawn on them.
"""
from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Mapping, Sequence

from analysis.shares import percent_text
from analysis.suppression import HIDDEN

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
INK, MUTED, RULE = "#0b0c0c", "#505a5f", "#b1b4b6"
BAR = "#1d4f91"
# agreement scale: (fill, text colour, pattern). Dark fills carry white text, light fills black text; the
# disagree side is hatched in lines that raise, never lower, the contrast of the text drawn on it.
SCALE_STYLE = {
    "strongly_agree": ("#1d4f91", "#ffffff", None),
    "agree": ("#8fb8e0", INK, None),
    "neither": ("#dedede", INK, None),
    "disagree": ("#f2b27f", INK, "hatch"),
    "strongly_disagree": ("#9c3c0a", "#ffffff", "hatch-dark"),
    "dont_know": ("#ffffff", INK, None),
}
SERIES_STYLE = (("#1d4f91", None), ("#9c3c0a", "hatch"), ("#4c2c92", "dots"))
CHAR_WIDTH = 0.53  # average advance of Liberation Sans, in ems, for wrapping and fitting labels


def swatch_css(prefix: str = "swatch-") -> str:
    """CSS rules `.swatch-<value>` matching each scale value's fill and pattern, for a table that is the key."""
    rules = []
    for value, (fill, _, pattern) in SCALE_STYLE.items():
        image = ""
        if pattern:
            line = "rgba(255,255,255,.55)" if pattern == "hatch" else "rgba(0,0,0,.35)"
            image = (f" background-image: repeating-linear-gradient(45deg, {line} 0, {line} 1.5px, "
                     f"transparent 1.5px, transparent 4px);")
        rules.append(f".{prefix}{value} {{ background-color: {fill};{image} }}")
    return "\n".join(rules)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _ident(chart_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"


def wrap(text: str, width_px: float, font_size: float) -> list[str]:
    """Lines of `text` that fit `width_px` at `font_size` (long words are broken)."""
    chars = max(4, int(width_px / (font_size * CHAR_WIDTH)))
    return textwrap.wrap(" ".join(str(text).split()), chars) or [""]


def _text(x: float, y: float, lines: Sequence[str], *, size: float = 13, fill: str = INK, anchor: str = "start",
          weight: str = "normal", style: str = "normal", line_height: float = 1.25) -> str:
    # font family and ink are inherited from the <svg>; fewer elements and attributes render faster
    if len(lines) == 1:
        spans = _e(lines[0])
    else:
        spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * line_height:.1f}">{_e(line)}</tspan>'
                        for i, line in enumerate(lines))
    extra = "".join(f' {name}="{value}"' for name, value, default in (
        ("fill", fill, INK), ("text-anchor", anchor, "start"), ("font-weight", weight, "normal"),
        ("font-style", style, "normal")) if value != default)
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{spans}</text>'


PATTERNS = {
    "hatch": '<pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
             '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-opacity="0.55" stroke-width="2"/></pattern>',
    "hatch-dark": '<pattern id="{id}-hatch-dark" width="6" height="6" patternUnits="userSpaceOnUse" '
                  'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000000" '
                  'stroke-opacity="0.35" stroke-width="2"/></pattern>',
    "hatch-grey": '<pattern id="{id}-hatch-grey" width="6" height="6" patternUnits="userSpaceOnUse" '
                  'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#b1b4b6" '
                  'stroke-width="1.5"/></pattern>',
    "dots": '<pattern id="{id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
            '<circle cx="2.5" cy="2.5" r="1" fill="#ffffff" fill-opacity="0.6"/></pattern>',
}


def _patterns(ident: str, names) -> str:
    """Only the patterns a chart uses."""
    wanted = set(names)
    used = [PATTERNS[name].replace("{id}", ident) for name in PATTERNS if name in wanted]
    return f"<defs>{''.join(used)}</defs>" if used else ""


def _svg(ident: str, width: float, height: float, title: str, desc: str, body: str, css_class: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" font-family="{FONT}" fill="{INK}">'
            f'<title id="{ident}-title">{_e(title)}</title><desc id="{ident}-desc">{_e(desc)}</desc>{body}</svg>')


def _pct(value: int | None) -> str:
    return percent_text(value)


def _value_text(row: Mapping, min_cell: int) -> str:
    if row.get("suppressed"):
        return HIDDEN
    count, percent = row.get("count"), row.get("percent")
    return f"{count:,}" + (f" ({percent_text(percent)})" if percent is not None else "")


def horizontal_bar_chart(rows: Sequence[Mapping], *, title: str, chart_id: str, min_cell: int = 5,
                         width: float = 640, desc: str | None = None) -> str:
    """One bar per row ({"label", "count", "percent", "suppressed"}), labelled with its count and share."""
    ident = _ident(chart_id)
    label_w, value_w, size, gap = 250.0, 92.0, 13.0, 10.0
    bar_x, bar_w = label_w + gap, width - label_w - gap - value_w
    top = max((r.get("count") or 0 for r in rows if not r.get("suppressed")), default=0)
    parts, y = [], 4.0
    for row in rows:
        lines = wrap(row.get("label", ""), label_w, size)
        row_h = max(22.0, len(lines) * size * 1.25 + 6)
        parts.append(_text(label_w, y + size + 2, lines, size=size, anchor="end"))
        value = _value_text(row, min_cell)
        count = row.get("count") or 0
        length = 0.0 if row.get("suppressed") or top == 0 else bar_w * count / top
        if length:
            parts.append(f'<rect x="{bar_x:.1f}" y="{y + 2:.1f}" width="{length:.1f}" height="18" fill="{BAR}"/>')
        style = "italic" if row.get("suppressed") else "normal"
        parts.append(_text(bar_x + length + 6, y + size + 2, [value], size=size, style=style,
                           fill=MUTED if row.get("suppressed") else INK))
        y += row_h + 6
    parts.append(f'<line x1="{bar_x:.1f}" y1="0" x2="{bar_x:.1f}" y2="{y - 4:.1f}" stroke="{MUTED}" stroke-width="1"/>')
    if desc is None:
        desc = "; ".join(f"{r.get('label', '')}: {_value_text(r, min_cell)}" for r in rows) or "No answers."
    return _svg(ident, width, y, title, desc, "".join(parts), "chart-bars")


def stacked_agreement_bar(rows: Sequence[Mapping], *, title: str, chart_id: str, min_cell: int = 5,
                          width: float = 640, desc: str | None = None, legend: bool = True) -> str:
    """A 100% bar from strongly agree to strongly disagree (then don't know), with a legend of every value.

    legend=False leaves the key to the page (e.g. a table whose rows carry `swatch_style` swatches).
    """
    ident = _ident(chart_id)
    size, bar_h, bar_y = 12.5, 30.0, 4.0
    known = [r for r in rows if not r.get("suppressed") and (r.get("percent") or 0) > 0]
    hidden = any(r.get("suppressed") for r in rows)
    remainder = 100.0 - sum(min(100.0, r["percent"]) for r in known)
    patterns = [SCALE_STYLE.get(r.get("value"), ("", "", None))[2] for r in (rows if legend else known)]
    parts = [_patterns(ident, patterns + (["hatch-grey"] if hidden and remainder > 0.5 else []))]
    x = 0.0
    if not known:
        message = "Not shown, to protect small numbers" if hidden else "No answers to show"
        parts.append(_text(width / 2, bar_y + bar_h / 2 + size / 3, [message], size=size,
                           anchor="middle", fill=MUTED, style="italic"))
    for row in known:
        fill, ink, pattern = SCALE_STYLE.get(row.get("value"), ("#dedede", INK, None))
        seg = width * min(100.0, row["percent"]) / 100
        parts.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{seg:.1f}" height="{bar_h}" fill="{fill}" '
                     f'stroke="#ffffff" stroke-width="1"/>')
        if pattern:
            parts.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{seg:.1f}" height="{bar_h}" '
                         f'fill="url(#{ident}-{pattern})"/>')
        label = _pct(row["percent"])
        if seg >= len(label) * size * CHAR_WIDTH + 8:
            parts.append(_text(x + seg / 2, bar_y + bar_h / 2 + size / 3, [label], size=size, fill=ink,
                               anchor="middle", weight="bold"))
        x += seg
    if known and hidden and remainder > 0.5:  # the suppressed answers' share, drawn as such rather than left blank
        seg = width * remainder / 100
        parts.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{seg:.1f}" height="{bar_h}" fill="url(#{ident}-hatch-grey)"/>')
        if seg >= 9 * size * CHAR_WIDTH + 8:
            parts.append(_text(x + seg / 2, bar_y + bar_h / 2 + size / 3, ["not shown"], size=size, fill=MUTED,
                               anchor="middle", style="italic"))
    parts.append(f'<rect x="0.5" y="{bar_y}" width="{width - 1:.1f}" height="{bar_h}" fill="none" '
                 f'stroke="{MUTED}" stroke-width="1"/>')
    # legend: two columns in scale order, every entry naming its value (wrapped, never cut short)
    col_w, y, line_h, legend_size = width / 2, bar_y + bar_h + 14, 14.5, 11.5
    for start in range(0, len(rows) if legend else 0, 2):
        tallest = 1
        for column, row in enumerate(rows[start:start + 2]):
            fill, _, pattern = SCALE_STYLE.get(row.get("value"), ("#dedede", INK, None))
            cx = column * col_w
            parts.append(f'<rect x="{cx:.1f}" y="{y:.1f}" width="12" height="12" fill="{fill}" stroke="{MUTED}" '
                         f'stroke-width="1"/>')
            if pattern:
                parts.append(f'<rect x="{cx:.1f}" y="{y:.1f}" width="12" height="12" fill="url(#{ident}-{pattern})"/>')
            lines = wrap(f"{row.get('label', '')}: {_value_text(row, min_cell)}", col_w - 26, legend_size)
            parts.append(_text(cx + 18, y + 10.5, lines, size=legend_size, line_height=line_h / legend_size))
            tallest = max(tallest, len(lines))
        y += tallest * line_h + 6
    height = y if legend else bar_y + bar_h + 2
    if desc is None:
        desc = "; ".join(f"{r.get('label', '')}: {_value_text(r, min_cell)}" for r in rows) or "No answers."
    return _svg(ident, width, height, title, desc, "".join(parts), "chart-agreement")


def grouped_bar_chart(categories: Sequence[Mapping], series: Sequence[tuple[str, str]], *, title: str,
                      chart_id: str, min_cell: int = 5, width: float = 640, desc: str | None = None) -> str:
    """Percentages (0–100) per category and series, as small multiples: a row per category, a column per series.

    categories: [{"label": str, "values": {series_key: {"value": float | None, "suppressed": bool}}}];
    series: [(key, label)] in display order. Each column is headed by its series' name, so the series are told
    apart by position and name; every bar carries its value.
    """
    ident = _ident(chart_id)
    size, label_w, gap = 12.0, 220.0, 14.0
    col_w = (width - label_w) / max(1, len(series))
    bar_w = col_w - gap - 34  # room for "100%" beside the longest bar
    parts = [_patterns(ident, (style[1] for style in SERIES_STYLE[:len(series)]))]
    heads = [wrap(label, col_w - gap, size) for _, label in series]
    head_h = max((len(h) for h in heads), default=1) * size * 1.2
    for index, lines in enumerate(heads):
        x0 = label_w + index * col_w + gap
        parts.append(_text(x0, 2 + size, lines, size=size, weight="bold", line_height=1.2))
    y = head_h + 10
    parts.append(f'<line x1="0" y1="{y - 4:.1f}" x2="{width:.0f}" y2="{y - 4:.1f}" stroke="{INK}" stroke-width="1.5"/>')
    summary, axes = [], []
    for category in categories:
        lines = wrap(category.get("label", ""), label_w - 10, size)
        row_h = max(22.0, len(lines) * size * 1.2 + 8)
        parts.append(_text(0, y + size + 2, lines, size=size, line_height=1.2))
        said = []
        for index, (key, label) in enumerate(series):
            cell = category.get("values", {}).get(key) or {"value": None, "suppressed": True}
            fill, pattern = SERIES_STYLE[index % len(SERIES_STYLE)]
            x0 = label_w + index * col_w + gap
            axes.append(f"M{x0:.1f} {y + 1:.1f}V{y + 20:.1f}")
            if cell.get("suppressed") or cell.get("value") is None:
                text = HIDDEN
                parts.append(_text(x0 + 4, y + size + 2, [text], size=11, fill=MUTED, style="italic"))
            else:
                value = max(0.0, min(100.0, float(cell["value"])))
                length = bar_w * value / 100
                parts.append(f'<rect x="{x0:.1f}" y="{y + 3:.1f}" width="{length:.1f}" height="15" fill="{fill}"/>')
                if pattern:
                    parts.append(f'<rect x="{x0:.1f}" y="{y + 3:.1f}" width="{length:.1f}" height="15" '
                                 f'fill="url(#{ident}-{pattern})"/>')
                text = percent_text(cell["value"])
                parts.append(_text(x0 + length + 4, y + size + 2, [text], size=size, weight="bold"))
            said.append(f"{label} {text}")
        summary.append(f"{category.get('label', '')}: " + ", ".join(said))
        y += row_h
        parts.append(f'<line x1="0" y1="{y - 3:.1f}" x2="{width:.0f}" y2="{y - 3:.1f}" stroke="{RULE}" stroke-width="0.75"/>')
    if axes:
        parts.insert(1, f'<path d="{"".join(axes)}" stroke="{MUTED}" stroke-width="1" fill="none"/>')
    if desc is None:
        desc = "; ".join(summary) or "No answers."
    return _svg(ident, width, y + 2, title, desc, "".join(parts), "chart-grouped")
