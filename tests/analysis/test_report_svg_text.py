"""Chart text drawn a string at a time lands where WeasyPrint's letter-at-a-time drawing puts it."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from analysis import report, report_svg_text, svg_charts
from tests.analysis.test_svg_charts import agreement_rows

weasyprint = pytest.importorskip("weasyprint")


def charts_html() -> str:
    rows = [{"label": "Contracts are too large for local organisations", "count": 7033, "percent": 73.0,
             "suppressed": False},
            {"label": "Short", "count": 3, "percent": None, "suppressed": True}]
    categories = [{"label": "1. Think about the whole system",
                   "values": {"community": {"value": 81.0, "suppressed": False},
                              "council": {"value": None, "suppressed": True}}}]
    charts = [svg_charts.horizontal_bar_chart(rows, title="Barriers", chart_id="h"),
              svg_charts.stacked_agreement_bar(agreement_rows([40, 38, 13, 4, 2, 2]), title="Agreement", chart_id="s"),
              svg_charts.grouped_bar_chart(categories, [("community", "Community organisations"),
                                                        ("council", "Councils")], title="By group", chart_id="g"),
              '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120">'
              '<text x="10" y="20" font-size="12">Plain <tspan font-weight="bold">bold</tspan> end</text>'
              '<text x="150" y="40" text-anchor="end" font-size="12">Anchored at the end</text>'
              '<text x="10 20 30" y="55" font-size="12">abc</text>'
              '<text x="200" y="70" font-size="12" text-anchor="end"><tspan x="200" dy="0">First line</tspan>'
              '<tspan x="200" dy="14.4">second line</tspan><tspan dx="6" dy="-3">moved</tspan></text>'
              '<text x="10" y="90" dx="4" dy="10" font-size="12">Shifted start<tspan dy="12"></tspan>'
              '<tspan>after an empty move</tspan></text></svg>']
    return "<!doctype html><html><body>" + "".join(f"<figure>{c}</figure>" for c in charts) + "</body></html>"


TM = re.compile(rb"[-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+) ([-\d.]+) Tm")


def text_positions(pdf: bytes) -> list[tuple[float, float]]:
    """Where each text-showing operation starts (Tm's e and f, in its stream's space), in every stream."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        streams = [page.get_contents()] + [x.get_object() for x in page["/Resources"].get("/XObject", {}).values()]
        for stream in streams:
            found += [(float(e), float(f)) for e, f in TM.findall(stream.get_data())]
    return found


def extracted(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def render(install: bool) -> bytes:
    (report_svg_text.install if install else report_svg_text.uninstall)()
    try:
        return weasyprint.HTML(string=charts_html(), url_fetcher=report.asset_fetcher()).write_pdf()
    finally:
        report_svg_text.install()


def test_strings_start_where_their_first_letter_did():
    if weasyprint.__version__ not in report_svg_text.CHECKED_VERSIONS:
        pytest.skip(f"WeasyPrint {weasyprint.__version__}: the report uses WeasyPrint's own SVG text")
    by_letter, by_string = render(install=False), render(install=True)
    assert extracted(by_string) == extracted(by_letter)
    letters, strings = text_positions(by_letter), text_positions(by_string)
    assert len(strings) < len(letters) / 3  # far fewer layouts and drawing operations
    def line_starts(positions):
        starts = {}
        for x, y in positions:
            starts[y] = min(x, starts.get(y, x))
        return starts

    by_letter_starts, by_string_starts = line_starts(letters), line_starts(strings)
    assert by_string_starts.keys() == by_letter_starts.keys()
    for y, x in by_string_starts.items():  # kerning within a string moves an end-anchored start by < 1
        assert by_letter_starts[y] == pytest.approx(x, abs=1.0), y


def test_per_letter_positions_still_go_to_weasyprint():
    if not report_svg_text.install():
        pytest.skip("WeasyPrint version not checked: nothing replaced")
    pdf = weasyprint.HTML(string=charts_html()).write_pdf()
    assert "abc" in extracted(pdf)
    row = sorted(x for x, y in text_positions(pdf) if y == 55)  # x="10 20 30" y="55"
    assert row == [10, 20, 30]


def test_install_is_idempotent_and_version_guarded(monkeypatch):
    import weasyprint.svg as svg_package

    assert report_svg_text.install() == (weasyprint.__version__ in report_svg_text.CHECKED_VERSIONS)
    report_svg_text.install()
    if svg_package.TAGS["text"] is report_svg_text.whole_string_text:
        assert report_svg_text._original is not report_svg_text.whole_string_text
    report_svg_text.uninstall()
    monkeypatch.setattr(weasyprint, "__version__", "0.0-unchecked")
    assert report_svg_text.install() is False
    assert svg_package.TAGS["text"] is not report_svg_text.whole_string_text
