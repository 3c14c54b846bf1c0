"""SVG charts: well-formed, escaped, text alternatives listing every value, suppression and empty data."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from analysis import svg_charts

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert("x")</script> & <img src="file:///etc/passwd">'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def bar_widths(root: ET.Element) -> list[float]:
    return [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")
            if r.get("fill") == svg_charts.BAR]


def agreement_rows(counts):
    total = sum(c or 0 for c in counts)
    return [{"value": v, "label": label, "count": c, "suppressed": c is None,
             "percent": None if c is None or not total else 100 * c / total}
            for (v, label), c in zip((("strongly_agree", "Strongly agree"), ("agree", "Agree"),
                                      ("neither", "Neither"), ("disagree", "Disagree"),
                                      ("strongly_disagree", "Strongly disagree"), ("dont_know", "Don't know")), counts)]


def test_text_is_escaped_everywhere():
    rows = [{"label": HOSTILE, "count": 7, "percent": 70, "suppressed": False}]
    svg = svg_charts.horizontal_bar_chart(rows, title=HOSTILE, chart_id='x"><script>', desc=None)
    assert "<script>" not in svg and "<img" not in svg
    root = parse(svg)
    assert root.find("svg:title", NS).text == HOSTILE  # escaped in the markup, intact as text
    assert HOSTILE in root.find("svg:desc", NS).text
    assert root.get("aria-labelledby").split()[0] == "x---script--title"
    categories = [{"label": HOSTILE, "values": {"a": {"value": 50.0, "suppressed": False}}}]
    parse(svg_charts.grouped_bar_chart(categories, [("a", HOSTILE)], title=HOSTILE, chart_id="g"))
    parse(svg_charts.stacked_agreement_bar([{**r, "label": HOSTILE} for r in agreement_rows([5, 5, 5, 5, 5, 5])],
                                           title=HOSTILE, chart_id="s"))


def test_bars_are_scaled_to_the_largest_count_and_labelled():
    rows = [{"label": "Too large", "count": 300, "percent": 75, "suppressed": False},
            {"label": "Too short", "count": 150, "percent": 38, "suppressed": False}]
    root = parse(svg_charts.horizontal_bar_chart(rows, title="Barriers", chart_id="b"))
    first, second = bar_widths(root)
    assert abs(first - 2 * second) < 0.2
    assert "300 (75%)" in texts(root) and "150 (38%)" in texts(root)
    assert root.find("svg:desc", NS).text == "Too large: 300 (75%); Too short: 150 (38%)"


def test_suppressed_rows_draw_no_bar_and_say_not_shown():
    rows = [{"label": "Councillor", "count": None, "percent": None, "suppressed": True},
            {"label": "Charity", "count": 40, "percent": 80, "suppressed": False}]
    root = parse(svg_charts.horizontal_bar_chart(rows, title="Types", chart_id="t", min_cell=10))
    assert len(bar_widths(root)) == 1
    assert "not shown" in texts(root)
    assert "Councillor: not shown" in root.find("svg:desc", NS).text

    stacked = parse(svg_charts.stacked_agreement_bar(agreement_rows([50, 30, 10, 5, None, 2]), title="P1",
                                                     chart_id="p1"))
    assert "Strongly disagree: not shown" in texts(stacked)
    assert "Strongly disagree: not shown" in stacked.find("svg:desc", NS).text

    categories = [{"label": "Principle 3", "values": {"community": {"value": 40.0, "suppressed": False},
                                                      "others": {"value": None, "suppressed": True}}}]
    grouped = parse(svg_charts.grouped_bar_chart(categories, [("community", "Community"), ("others", "Others")],
                                                 title="By group", chart_id="g"))
    assert "not shown" in texts(grouped) and "40%" in texts(grouped)
    assert "Principle 3: Community 40%, Others not shown" in grouped.find("svg:desc", NS).text


def test_zero_totals_and_no_rows():
    rows = [{"label": "A", "count": 0, "percent": 0, "suppressed": False},
            {"label": "B", "count": 0, "percent": 0, "suppressed": False}]
    root = parse(svg_charts.horizontal_bar_chart(rows, title="Nothing yet", chart_id="z"))
    assert bar_widths(root) == []
    assert texts(root).count("0 (0%)") == 2
    parse(svg_charts.horizontal_bar_chart([], title="Empty", chart_id="e"))
    empty = parse(svg_charts.stacked_agreement_bar(agreement_rows([0, 0, 0, 0, 0, 0]), title="P", chart_id="p"))
    assert "No answers to show" in texts(empty)
    parse(svg_charts.grouped_bar_chart([], [], title="None", chart_id="n"))


def test_stacked_segments_fill_the_bar_in_proportion():
    root = parse(svg_charts.stacked_agreement_bar(agreement_rows([50, 25, 25, 0, 0, 0]), title="P", chart_id="p",
                                                  width=400))
    segments = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")
                if r.get("height") == "30.0" and r.get("fill", "").startswith("#") and r.get("fill") != "none"]
    assert segments == [200.0, 100.0, 100.0]
    assert {"50%", "25%"} <= set(texts(root))


def test_long_labels_are_wrapped_not_cut():
    label = ("Insurance, financial or accreditation requirements are far too high for small community "
             "organisations that have never held a public contract before")
    root = parse(svg_charts.horizontal_bar_chart([{"label": label, "count": 3, "percent": 1, "suppressed": False}],
                                                 title="Long", chart_id="l"))
    spans = [t.text for t in root.iter("{http://www.w3.org/2000/svg}tspan")]
    label_lines = spans  # the value beside the bar is a single line: no tspan
    assert len(label_lines) >= 3
    assert " ".join(label_lines) == label
    assert all(len(line) <= 250 / (13 * svg_charts.CHAR_WIDTH) for line in label_lines)
    assert svg_charts.wrap("x" * 100, 100, 10) == ["x" * 18] * 5 + ["x" * 10]


def test_every_pattern_used_is_defined_and_no_other():
    svg = svg_charts.stacked_agreement_bar(agreement_rows([10, 10, 10, 10, 10, 10]), title="P", chart_id="p",
                                           legend=False)
    root = parse(svg)
    defined = {p.get("id") for p in root.iter("{http://www.w3.org/2000/svg}pattern")}
    used = {r.get("fill")[5:-1] for r in root.iter("{http://www.w3.org/2000/svg}rect")
            if r.get("fill", "").startswith("url(#")}
    assert defined == used == {"p-hatch", "p-hatch-dark"}
    plain = parse(svg_charts.stacked_agreement_bar(agreement_rows([10, 10, 0, 0, 0, 0]), title="P", chart_id="q",
                                                   legend=False))
    assert list(plain.iter("{http://www.w3.org/2000/svg}pattern")) == []
    assert ".swatch-disagree { background-color: #f2b27f; background-image" in svg_charts.swatch_css()


def test_suppressed_share_is_drawn_as_not_shown_not_left_blank():
    rows = agreement_rows([60, None, 20, 0, 0, 0])
    rows[0]["percent"], rows[2]["percent"] = 60.0, 20.0  # of 100 answers, 20 of them in the suppressed cell
    root = parse(svg_charts.stacked_agreement_bar(rows, title="P", chart_id="p", legend=False))
    assert "not shown" in texts(root)
    only_hidden = parse(svg_charts.stacked_agreement_bar(agreement_rows([None, None, None, None, None, None]),
                                                         title="P", chart_id="q", legend=False))
    assert "Not shown, to protect small numbers" in texts(only_hidden)
