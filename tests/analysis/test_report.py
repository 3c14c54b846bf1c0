"""The report: accessible HTML, a tagged PDF/UA-1 read back with pypdf, and a renderer that fetches nothing."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from analysis import report
from tests.analysis.fixtures_document import sample_document

IMG = '<img src="file:///etc/passwd">'
LINK = '<a href="https://tracker.example/p.png">https://tracker.example/p.png</a>'


def hostile(document: dict) -> dict:
    """The same document with markup and URLs in every kind of respondent or staff text."""
    first, new = document["principles"][0], document["principles"][-1]
    first["headline"] = first["consulted_statement"] = f"Think about <b>the whole</b> system {IMG}"
    new["headline_source"]["text"] = f"Pay on time {IMG}"
    first["explanation"] += " " + LINK
    first["what_we_heard"][0]["text"] += f" {IMG}"
    first["quotes"][0]["text"] = f'We said so {IMG} and <script>alert("hi")</script> at https://evil.example/x'
    first["quotes"][0]["attribution"] = f"A charity <i>{IMG}</i>"
    first["themes"][0]["name"] = f"Joined-up <u>services</u> {IMG}"
    new["headline"] = f"Pay on time {LINK}"
    document["counts"]["campaigns"][0]["template"] = f"Fund us {IMG}"
    document["codebook"][0]["description"] = '<style>@import url("file:///etc/passwd");</style>'
    document["survey"]["title"] = f"Keep it Local {IMG}"
    document["executive_summary"][0] += f" {IMG}"
    return document


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [normalise(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def demo_pdf():
    return report.render_pdf(sample_document(demo=True))


@pytest.fixture(scope="module")
def hostile_pdf():
    seen: list[str] = []
    real = report.asset_fetcher

    def recording_fetcher():
        fetcher = real()
        fetch = fetcher.fetch

        def wrapped(url, headers=None):
            seen.append(url)
            return fetch(url, headers)

        fetcher.fetch = wrapped
        return fetcher

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report, "asset_fetcher", recording_fetcher)
        pdf = report.render_pdf(hostile(sample_document(demo=False)))
    return pdf, seen


def test_pdf_holds_every_principle_its_figures_and_its_quotes(demo_pdf):
    document = sample_document()
    _, pages = pdf_text(demo_pdf)
    text = " ".join(pages)
    for p in document["principles"]:
        assert normalise(p["headline"]) in text
        for quote in p["quotes"]:
            assert normalise(quote["text"]) in text
            assert quote["attribution"] in text
        for item in p["what_we_heard"]:
            assert normalise(item["text"]) in text
        if p["agreement"]:
            a = p["agreement"]
            assert (f"{a['agree_percent']}% agreed and {a['disagree_percent']}% disagreed, "
                    f"of {a['total']} people who answered") in text
            for row in a["rows"]:
                if not row["suppressed"]:
                    assert f"{row['label']} {row['count']} {row['percent']}%" in text
    assert "NEW CANDIDATE PRINCIPLE" in text and "REJECTED BY MOST RESPONDENTS" in text  # tags print in capitals
    assert "Consultation response and draft commissioning principles" in text
    assert "Appendix: codebook" in text and "Core costs" in text
    assert "All codes 0.81 0.79 300" in text and "Prevention 0.88 64" in text  # coder agreement with its n
    assert "Council capacity" in text and "What gets in the way" in text
    assert "Councils should fund core costs, not just projects." in text  # the sentence a headline came from
    assert "answer 8001" not in text and "a-8001" not in text  # the PDF is the public edition
    assert "Don't know not shown –" in text  # a suppressed cell, never a number
    assert "Academic or researcher not shown" in text
    assert re.search(r"Executive summary\W*\.*\s*3\b", " ".join(pages[:3]))  # contents carry page numbers
    first = next(i for i, page in enumerate(pages) if "Think about the whole system, not service silos PRINCIPLE" in page
                 or "PRINCIPLE 1 SUPPORTED" in page)
    # an agreement question is not charted twice: it points to its principle, with the page
    assert f"The chart and full figures are with principle 1 (page {first + 1})" in text


def test_pdf_is_tagged_pdf_ua_with_language_and_title(demo_pdf):
    reader, _ = pdf_text(demo_pdf)
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    assert "Consultation response and draft commissioning principles" in reader.metadata.title
    assert reader.metadata.title.startswith("[Demonstration data]")


def test_demo_banner_on_every_page(demo_pdf):
    _, pages = pdf_text(demo_pdf)
    assert len(pages) > 10
    assert all("DEMONSTRATION DATA" in page for page in pages)
    assert "This report was built from made-up responses" in pages[0]


def test_markup_in_texts_is_printed_never_followed(hostile_pdf):
    pdf, seen = hostile_pdf
    assert seen == ["asset:report.css"]  # the wrapper saw the one packaged asset, and nothing else
    reader, pages = pdf_text(pdf)
    text = " ".join(pages)
    assert f"Think about <b>the whole</b> system {IMG}" in text
    assert 'We said so <img src="file:///etc/passwd"> and <script>alert("hi")</script> at https://evil.example/x' in text
    assert f"Pay on time {LINK}" in text
    assert '<style>@import url("file:///etc/passwd");</style>' in text
    assert "root:x:0:0" not in text and b"root:x:0:0" not in pdf
    assert "DEMONSTRATION DATA" not in text
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        assert all(xobject.get_object().get("/Subtype") != "/Image" for xobject in xobjects.values())


class Tags(HTMLParser):
    """Start tags with their attributes; inside charts only names, since longer text wraps to more lines."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple] = []
        self.in_svg = 0

    def handle_starttag(self, tag, attrs):
        self.in_svg += tag == "svg"
        if self.in_svg:
            if tag != "tspan":
                self.tags.append((tag, tuple(k for k, _ in attrs)))
        else:
            self.tags.append((tag, tuple((k, v) for k, v in attrs if k not in ("content",))))

    def handle_endtag(self, tag):
        self.in_svg -= tag == "svg"


def structure(page: str) -> list[tuple]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def test_html_markup_in_texts_changes_nothing_but_the_text():
    plain, attacked = sample_document(demo=False), hostile(sample_document(demo=False))
    page = report.render_html(attacked)
    assert structure(page) == structure(report.render_html(plain))
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page
    assert "<script>" not in page and "<b>the" not in page


def test_html_page_is_self_contained_and_accessible():
    page = report.render_html(sample_document(demo=True))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en"' in page
    assert re.search(r"<title>\[Demonstration data\] Keep it Local", page)
    assert "<style>" in page and "@page" in page
    assert not re.search(r"""(src|href)=["'](?!#)""", page)  # nothing to fetch: only in-page links
    assert "url(" not in page.replace("url(#", "")
    assert page.count("<h1") == 1
    tags = structure(page)
    assert all(dict(attrs).get("scope") in ("col", "row") for tag, attrs in tags if tag == "th")
    assert page.count("<table") == page.count("<caption>")
    assert len(re.findall(r"<svg [^>]*role=\"img\"", page)) == page.count("<svg")
    assert page.count("<svg") == page.count("<title id=") == page.count("<desc id=") >= 8
    assert 'class="demo-banner"' in page and "not shown" in page
    for p in sample_document()["principles"]:
        assert p["headline"] in page.replace("&#39;", "'")
    assert "class=\"demo-banner\"" not in report.render_html(sample_document(demo=False))


def test_in_page_links_reach_an_id_held_by_a_heading_not_by_a_whole_section():
    """WeasyPrint cannot share computed styles below an element with an id (it becomes an anchor),
    so ids go on headings and kickers: a section's id would make every style inside it unique."""
    page = report.render_html(sample_document(demo=True))
    ids = {name: tag for tag, name in re.findall(r'<(\w+)\s[^>]*?\bid="([^"]+)"', page)}
    links = set(re.findall(r'<a\s[^>]*?href="#([^"]+)"', page))
    assert len(ids) == len(re.findall(r'\sid="', page)) and links and links <= set(ids)
    assert set(ids.values()) == {"h2", "h3", "p", "title", "desc", "pattern"}
    labelled = re.findall(r'<section\s[^>]*?aria-labelledby="([^"]+)"', page)
    assert len(labelled) == page.count("<section") and all(ids.get(label) in ("h2", "h3") for label in labelled)


def test_fetcher_refuses_everything_but_packaged_assets():
    fetcher = report.asset_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1/", "https://example.org/x.png", "data:text/plain,hi",
                "asset:../report.py", "asset:../../config.py", "asset:/etc/passwd", "asset:", "ftp://x/y"):
        with pytest.raises(report.RefusedURL):
            fetcher.fetch(url)
    assert b"@page" in fetcher.fetch("asset:report.css").read()


def test_other_formats_are_refused():
    document = sample_document()
    document["format"] = 3
    with pytest.raises(ValueError, match="format"):
        report.render_html(document)


def test_filename():
    assert report.filename(sample_document(), "pdf") == "keep-it-local-principles-2028-04-14.pdf"


@pytest.mark.browser
def test_html_page_passes_axe_and_reflows_at_320px():
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, axe_violations, format_violations

    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 320, "height": 800})
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.set_content(report.render_html(hostile(sample_document(demo=True))))
            violations = axe_violations(page, "report")
            assert not violations, format_violations(violations)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
            assert requests == []  # a downloaded page that asks for nothing
        finally:
            browser.close()


def test_withheld_shares_and_the_themes_table():
    document = sample_document(demo=False)
    agreement = document["principles"][1]["agreement"]
    agreement["agree_percent"] = None
    page = report.render_html(document)
    assert ("6% disagreed, of 388 people who answered. The share who agreed is not shown, to protect small numbers."
            in page)
    agreement["disagree_percent"] = None
    assert ("388 people answered. The shares who agreed and who disagreed are not shown, to protect small numbers."
            in report.render_html(document))
    assert "–%" not in page and "None" not in page
    matrix = page[page.index('<table class="data theme-matrix">'):]
    matrix = matrix[:matrix.index("</table>")]
    assert re.search(r'<th scope="row">Core costs</th><td class="num">96</td><td class="num">81</td>'
                     r'<td class="num suppressed">not shown</td><td class="num suppressed">not shown</td>', matrix)
    del document["themes"]  # optional: the section goes, nothing else breaks
    assert 'id="themes"' not in report.render_html(document)


def test_a_sparse_document_still_renders():
    document = {"format": 1, "demo": False,
                "survey": {"title": "Keep it Local", "slug": "keep-it-local", "closes_at": "2028-03-31T23:59:00Z",
                           "generated_at": "2027-01-05T10:00:00Z"},
                "principles": [{"id": "p1", "number": 1, "source": "consulted", "headline": "Think about the whole system",
                                "status": "supported"}],
                "questions": [{"key": "barriers", "title": "What gets in the way?", "total": 0, "rows": []}]}
    page = report.render_html(document)
    assert "Think about the whole system" in page and "The consultation is open until 31 March 2028" in page
    _, pages = pdf_text(report.render_pdf(document))
    assert "Think about the whole system" in " ".join(pages)


def test_only_the_largest_campaigns_are_listed_the_rest_counted():
    document = sample_document()
    listed = len(document["counts"]["campaigns"])
    document["counts"]["campaign_groups"] = listed + 40
    document["methodology"].pop("campaigns", None)
    page = report.render_html(document)
    assert f"The {listed} largest organised campaigns (of {listed + 40})" in page
    assert f"<dd>{listed + 40}</dd>" in page


def test_compact_drops_only_whitespace_between_block_tags():
    source = ('<section class="p">\n  <h3>Title</h3>\n  <p>One <strong>two</strong> <em>three</em></p>\n'
              '  <table>\n    <tr>\n      <th scope="row">A</th>\n      <td> 1 </td>\n    </tr>\n  </table>\n'
              '  <p>&lt;p&gt;  &lt;/p&gt;</p>\n</section> <span>after</span>')
    assert report.compact(source) == (
        '<section class="p"><h3>Title</h3><p>One <strong>two</strong> <em>three</em></p><table><tr>'
        '<th scope="row">A</th><td> 1 </td></tr></table><p>&lt;p&gt;  &lt;/p&gt;</p></section> <span>after</span>')
    assert report.compact('<path d="M0 0"/>\n<p>x</p>') == '<path d="M0 0"/>\n<p>x</p>'  # <path> is not <p>


def test_the_public_edition_names_no_answer_and_the_internal_one_links_each():
    document = sample_document(demo=False)
    public = report.render_html(document)
    assert "answer&nbsp;" not in public and "a-8001" not in public and "Internal edition" not in public
    assert "Numbers in brackets identify" not in public
    links = {"a-8001": "/workspace/keep-it-local/responses/41#answer-a-8001"}
    internal = report.render_html(document, internal=True, cite=lambda item: links.get(item["answer_id"]))
    assert "Internal edition" in internal
    assert '(<a href="/workspace/keep-it-local/responses/41#answer-a-8001">answer&nbsp;a-8001</a>)' in internal
    assert "(answer&nbsp;a-8044)" in internal  # no address known: named, not linked


def test_a_principle_says_what_was_consulted_on_only_when_its_headline_differs():
    document = sample_document(demo=False)
    for p in document["principles"]:
        p["headline"] = p["consulted_statement"] or p["headline"]
    page = report.render_html(document)
    assert "We consulted on:" not in page
    document["principles"][0]["headline"] = "Plan services around people"
    page = report.render_html(document)
    assert page.count("We consulted on:") == 1 and "“Think about the whole system, not service silos”" in page


def test_themes_tables_give_respondents_and_their_share_not_mentions():
    document = sample_document(demo=False)
    document["principles"][0]["themes"][0]["share"] = 44
    page = report.render_html(document)
    assert "Mentions" not in page and "their share of those who explained their view" in page
    assert re.search(r'<td class="num">44%</td>', page)


def test_a_campaign_whose_members_refused_is_described_not_quoted():
    page = report.render_html(sample_document(demo=False))
    assert "Not quoted: its members did not agree to be quoted." in page and "It raised Prevention and Core costs." in page


def test_withdrawn_passages_are_recorded_on_the_cover():
    document = sample_document(demo=False)
    document["withdrawn"] = 2
    assert "2 passages quoted in this version were withdrawn after it was made, at their authors’ request." in (
        report.render_html(document))


def test_a_version_made_before_editions_renders_without_coders_email_addresses():
    document = sample_document(demo=False)
    document["format"] = 1
    document["methodology"]["coding"]["agreement"] = [
        ["Krippendorff's alpha (MASI), all coders", 0.77, 581],
        ["Cohen's kappa, Demo coder 1 (demo-coder-1@example.org) and Demo coder 2 (demo-coder-2@example.org)", 0.72, 581]]
    page = report.render_html(document)
    assert "@example.org" not in page and re.search(r"All codes</th><td class=\"num\">0.77</td>", page)
