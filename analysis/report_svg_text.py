"""SVG text drawn a string at a time, where WeasyPrint draws it a letter at a time.

WeasyPrint 70 lays out and draws every character of an SVG <text> as its own Pango layout, so that it can
honour per-character x/y/dx/dy/rotate lists (kozea/WeasyPrint#2249, still open). A report's 20 charts hold
about 3,000 such characters: 11% of the render. Our charts never use per-character positions, so a <text>
or <tspan> with at most one x, y, dx and dy (which move only its first letter: the string's start), and no
rotate, letter-spacing or textLength, is laid out once here, with the same style, cursor, bounding box and
drawing calls as WeasyPrint's own (whose code this follows). Anything else goes to WeasyPrint's function
unchanged.

`install()` replaces the function only for the WeasyPrint versions this was checked against (see
tests/analysis/test_report_svg_text.py, which draws the same chart both ways); on any other version the
report is drawn by WeasyPrint's own code, only slower.
"""
from __future__ import annotations

from math import inf

CHECKED_VERSIONS = ("70.0",)
POSITIONS = ("x", "y", "dx", "dy")
SPACING = ("letter-spacing", "textLength")  # inherited, hence read with node.get
_original = None


def _single(node, name: str) -> bool:
    value = node.attrib.get(name)
    return value is None or len(value.replace(",", " ").split()) <= 1


def _length(node, name: str, font_size, reference):
    """The one value of a position attribute, in user units (None when it is absent)."""
    from weasyprint.svg.utils import normalize, size

    return size(normalize(node.attrib[name]).strip(), font_size, reference) if name in node.attrib else None


def whole_string_text(svg, node, font_size):
    """Draw an SVG text node as one string (WeasyPrint's svg/text.py `text`, without the letter loop)."""
    if ("rotate" in node.attrib or any(node.get(name) is not None for name in SPACING)
            or not all(_single(node, name) for name in POSITIONS)):
        return _original(svg, node, font_size)
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.text.line_break import split_first_line

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    weight = node.get("font-weight", 400)
    try:
        style["font_weight"] = {"normal": 400, "bold": 700}.get(weight) or int(weight)
    except ValueError:
        style["font_weight"] = 400

    x, y, dx, dy = (_length(node, name, font_size, svg.inner_height if name.endswith("y") else svg.inner_width)
                    for name in POSITIONS)
    if not node.text:
        svg.cursor_position = ((svg.cursor_position[0] if x is None else x) + (dx or 0),
                               (svg.cursor_position[1] if y is None else y) + (dy or 0))
        return

    ascent, descent = font_size * .8, font_size * .2
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    y_align = 0
    display_anchor = node.get("display-anchor")
    alignment_baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if display_anchor == "middle":
        y_align = -height / 2
    elif display_anchor == "bottom":
        y_align = -height
    elif display_anchor == "top":
        pass
    elif alignment_baseline in ("central", "middle"):
        y_align = (ascent + descent) / 2 - descent
    elif alignment_baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        y_align = ascent
    elif alignment_baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        y_align = -descent

    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    svg.cursor_d_position[0] += dx or 0
    svg.cursor_d_position[1] += dy or 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + y_align
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box, (
        (x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    emojis = draw_first_line(svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install() -> bool:
    """Use `whole_string_text` for <text> and <tspan> (idempotent); False where WeasyPrint is not a
    version this was checked against."""
    global _original
    import weasyprint
    import weasyprint.svg as svg_package

    if weasyprint.__version__ not in CHECKED_VERSIONS:
        return False
    if _original is None:
        _original = svg_package.TAGS["text"]
    # svg.draw_node compares TAGS[tag] with the package's `text` to decide on text-anchor: both change
    svg_package.TAGS["text"] = svg_package.TAGS["tspan"] = svg_package.text = whole_string_text
    return True


def uninstall() -> None:
    """WeasyPrint's own letter-at-a-time drawing again (for comparison in tests)."""
    import weasyprint.svg as svg_package

    if _original is not None:
        svg_package.TAGS["text"] = svg_package.TAGS["tspan"] = svg_package.text = _original
