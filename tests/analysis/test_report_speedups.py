"""The narrowed user agent stylesheet, the parser's pattern cache and the kept page references: less work,
the same document."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zlib
from collections import Counter

import pytest
from pypdf import PdfReader

from analysis import report, report_speedups, report_stylesheet
from tests.analysis.fixtures_document import sample_document

weasyprint = pytest.importorskip("weasyprint")
tinyhtml5 = pytest.importorskip("tinyhtml5")

LISTS = ("<!doctype html><html lang='en'><body><h1>Lists</h1><ul><li>First point</li><li>Second</li></ul>"
         "<ol><li>One</li><li>Two</li><li>Three</li></ol><ol style='list-style: lower-roman'><li>Roman</li>"
         "</ol><ul style='list-style: none'><li>No marker</li></ul><p id='x'>Text <a href='#x'>link</a></p></body></html>")


def page_streams(pdf: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_weasyprints_stylesheet_is_narrowed_as_written():
    from weasyprint.html import UA

    text = report_stylesheet.narrowed(UA)
    assert text is not None
    assert re.search(r"^li::marker *\{", text, re.M) and not re.search(r"^::marker", text, re.M)
    assert "::footnote-call" not in text and "::note-callback" not in text
    kept = [line for line in UA.splitlines() if not re.match(r"::(?:footnote|note)-", line)]
    assert text.splitlines() == [line.replace("::marker", "li::marker", 1) if line.startswith("::marker") else line
                                 for line in kept]


def test_a_stylesheet_without_those_rules_is_left_to_weasyprint():
    assert report_stylesheet.narrowed("p { margin: 0 }\n") is None
    assert report_stylesheet.narrowed("::marker { color: red }\n") is None  # no note rules: not the one checked


def test_lists_are_drawn_exactly_as_with_weasyprints_own_stylesheet():
    report_class = report_stylesheet.html_class()
    assert report_class is not weasyprint.HTML and issubclass(report_class, weasyprint.HTML)
    ours = report_class(string=LISTS).write_pdf()
    theirs = weasyprint.HTML(string=LISTS).write_pdf()
    assert page_streams(ours) == page_streams(theirs)
    text = PdfReader(io.BytesIO(ours)).pages[0].extract_text()
    assert "•" in text and "3." in text and "i." in text


def test_only_list_items_get_a_marker_style_and_nothing_gets_note_styles(monkeypatch):
    from weasyprint.css import StyleFor

    made: Counter = Counter()
    real = StyleFor.set_computed_styles

    def counting(self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None):
        if pseudo_type and hasattr(element, "tag"):  # not a page
            made[(element.tag.rsplit("}", 1)[-1], pseudo_type)] += 1
        return real(self, element, parent, root, pseudo_type, base_url, target_collector)

    monkeypatch.setattr(StyleFor, "set_computed_styles", counting)
    report_stylesheet.html_class()(string=LISTS).render()
    assert made == Counter({("li", "marker"): 7})
    made.clear()
    weasyprint.HTML(string=LISTS).render()
    assert made[("p", "footnote-call")] == 1  # what the narrowed stylesheet saves


def test_pattern_cache_keeps_what_it_is_asked_for_and_builds_tinyhtml5s_patterns():
    patterns = report_speedups.CharacterPatterns()
    assert patterns[(("&", "<", "\u0000"), False)].pattern == "[^\\x26\\x3c\\x00]+"
    assert patterns[(frozenset(" "), True)].pattern == "[\\x20]+"
    assert set(patterns) == {(("&", "<", "\u0000"), False), (frozenset(" "), True)}


def test_parsing_with_the_working_cache_gives_the_same_tree(monkeypatch):
    from tinyhtml5 import inputstream

    source = report.compact(report.render_html(sample_document(demo=True)))
    monkeypatch.setattr(inputstream, "characters_until_regex", {})
    before = ET.tostring(tinyhtml5.parse(source))
    assert report_speedups.install_parser_cache() and report_speedups.install_parser_cache()
    cache = inputstream.characters_until_regex
    assert isinstance(cache, report_speedups.CharacterPatterns)
    assert ET.tostring(tinyhtml5.parse(source)) == before
    size = len(cache)
    tinyhtml5.parse(source)
    assert 0 < size == len(cache) <= 10  # one pattern per character set, found again on the second parse


def test_page_references_are_kept_until_a_page_is_added():
    import pydyf

    assert report_speedups.install() and report_speedups.install()
    pdf = pydyf.PDF()
    assert pdf.page_references == ()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == tuple(f"{n} 0 R".encode() for n in pdf.pages["Kids"][::3]) == (b"3 0 R", b"4 0 R", b"5 0 R")
    assert pdf.page_references is first  # kept, not built again
    pdf.add_object(pydyf.Dictionary())
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references == (*first, b"7 0 R")


def test_pydyf_is_left_alone_on_a_version_not_checked(monkeypatch):
    import pydyf

    own = pydyf.PDF.__dict__["page_references"]
    monkeypatch.setattr(pydyf, "__version__", "99.0")
    monkeypatch.setattr(pydyf.PDF, "page_references", own)
    monkeypatch.setattr(pydyf, "zlib", zlib)
    assert not report_speedups.install_pydyf()
    assert pydyf.PDF.__dict__["page_references"] is own and pydyf.zlib is zlib


def test_streams_are_deflated_at_level_6_and_read_back_the_same():
    import pydyf

    assert report_speedups.install() and pydyf.zlib is report_speedups.Deflate
    data = b"".join(b"BT /F1 10 Tf %d 700 Td (Row %d of the table) Tj ET\n" % (i, i) for i in range(2000))
    ours = report_speedups.Deflate.compressobj(level=9)
    deflated = ours.compress(data) + ours.flush()
    six = zlib.compressobj(level=6)
    assert deflated == six.compress(data) + six.flush() and zlib.decompress(deflated) == data
    written = pydyf.Stream([data], compress=True).data
    assert b"/FlateDecode" in written and written.split(b"\nstream\n", 1)[1] == deflated + b"\nendstream"
    assert report_speedups.Deflate.compressobj(level=1).compress(data) == zlib.compressobj(level=1).compress(data)
