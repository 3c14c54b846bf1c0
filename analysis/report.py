"""The draft commissioning principles as an accessible HTML page and a tagged PDF (PDF/UA-1).

Input is a DOCUMENT (format 2, or 1 from before; see analysis/principles.py): plain data whose texts are plain
text. Two editions: the public one (the default, and every PDF) names no answer; the internal one cites each.
Jinja2 escapes every text; charts escape their own. The PDF renderer fetches nothing but the packaged
files in report_assets/ (see `asset_fetcher`), so respondent text such as <img src="file:///etc/passwd">
is printed, never followed.
"""
from __future__ import annotations

import mimetypes
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from analysis import svg_charts
from analysis.draft_text import campaign_groups, listing
from analysis.evidence import PER_CODE_MIN
from analysis.shares import percent_text
from analysis.suppression import count_text

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "report_assets"
TEMPLATES = HERE / "report_templates"
ASSET_SCHEME = "asset:"
SUBTITLE = "Consultation response and draft commissioning principles"
STATUS = {"supported": "Supported", "mixed": "Mixed views", "rejected": "Rejected by most respondents",
          "new": "New candidate principle"}
CODING_KEYS = ("coders", "coded_answers", "double_coded", "agreement", "machine_suggested", "machine_accepted",
               "machine_rejected")
PRINCIPLE_DEFAULTS = {"number": None, "source": "consulted", "headline": "", "consulted_statement": None,
                      "explanation": "", "status": "", "agreement": None, "what_we_heard": [], "themes": [],
                      "reasons_for": [], "reasons_against": [], "quotes": [], "headline_source": None,
                      "recommendations": [], "raised_by": None, "recommended_by": None}
COUNT_DEFAULTS = {"respondents": None, "individual_responses": None, "campaign_responses": None, "by_group": [],
                  "by_type": [], "by_channel": [], "campaigns": []}
FORMATS = (1, 2)  # format 2 adds candidate principles' sources, barriers and withdrawn passages
CHANNELS = {"web": "Online survey", "email": "Email", "paper": "Paper form", "workshop": "Workshop"}


class RefusedURL(ValueError):
    pass


def folder_fetcher(folder: Path):
    """A WeasyPrint URL fetcher serving `asset:NAME` from `folder` and refusing every other URL
    (file:, http:, data:, and any path that climbs out of the folder)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    folder = folder.resolve()

    class AssetFetcher(URLFetcher):
        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            if not url.startswith(ASSET_SCHEME):
                raise RefusedURL(f"refused to fetch {url[:80]!r}")
            path = (folder / url[len(ASSET_SCHEME):]).resolve()
            if folder not in path.parents or not path.is_file():
                raise RefusedURL(f"no packaged asset {url[:80]!r}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    return AssetFetcher(allowed_protocols=["asset"], allow_redirects=False, fail_on_errors=False)


def asset_fetcher():
    """The report's fetcher: report_assets/ only."""
    return folder_fetcher(ASSETS)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = _number
    env.filters["percent"] = _percent
    env.filters["decimal"] = lambda value: "–" if value is None else f"{value:.2f}"
    env.filters["join_words"] = lambda items: listing([str(i) for i in items])
    return env


def _number(value) -> str:
    return "–" if value is None else f"{value:,}"


def _percent(value, withheld: bool = False) -> str:
    return percent_text(value, missing="not shown" if withheld else "–")


def long_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return f"{moment.day} {moment:%B %Y}"


def _cell(count, suppressed: bool, min_cell: int) -> str:
    return count_text(None if suppressed else count)


def _codebook(entries: list[dict]) -> list[dict]:
    """Parents first, each followed by its children; orphans (parent not listed) keep their place at the end."""
    names = {e["name"] for e in entries}
    rows = []
    for top in (e for e in entries if not e.get("parent") or e["parent"] not in names):
        children = [{**c, "level": 1} for c in entries if c.get("parent") == top["name"] and c is not top]
        rows.append({**top, "level": 1 if top.get("parent") else 0, "parent_row": bool(children)})
        rows.extend(children)
    return rows


def _agreement_sentence(agreement: dict) -> str:
    """'71% agreed and 12% disagreed, of 412 people who answered.', saying so when a share is withheld."""
    answered = _number(agreement.get("total"))
    parts = {verb: agreement.get(key) for key, verb in (("agree_percent", "agreed"), ("disagree_percent", "disagreed"))}
    shown = [f"{_percent(value)} {verb}" for verb, value in parts.items() if value is not None]
    hidden = [verb for verb, value in parts.items() if value is None]
    if not shown:
        return (f"{answered} people answered. The shares who agreed and who disagreed are not shown, "
                "to protect small numbers.")
    text = f"{' and '.join(shown)}, of {answered} people who answered."
    if hidden:
        text += f" The share who {hidden[0]} is not shown, to protect small numbers."
    return text


def _theme_matrix(themes: dict | None, min_cell: int) -> dict | None:
    """Themes in overall order, with respondents per group: {"groups": [...], "rows": [{name, overall, cells}]}."""
    if not themes or not themes.get("rows"):
        return None
    rows = [{"name": t["name"], "overall": _cell(t["respondents"], t["respondents"] is None, min_cell),
             "cells": [{"text": _cell(c, c is None, min_cell), "suppressed": c is None} for c in t["by_group"]]}
            for t in themes["rows"]]
    return {"groups": [g["label"] for g in themes["groups"]], "rows": rows}


def _signature(rows: list[dict]) -> tuple:
    return tuple((r.get("label"), r.get("count"), bool(r.get("suppressed"))) for r in rows)


def _principle_view(p: dict, index: int, min_cell: int) -> dict:
    anchor = f"principle-{index}"
    view = {**PRINCIPLE_DEFAULTS, **p, "anchor": anchor, "status_label": STATUS.get(p.get("status"), str(p.get("status", "")).title()),
            "chart": None}
    agreement = p.get("agreement")
    if agreement:
        view["figures"] = _agreement_sentence(agreement)
        title = f"Agreement with principle {p['number']}: {view['figures']}"
        view["chart"] = Markup(svg_charts.stacked_agreement_bar(agreement.get("rows", []), title=title, legend=False,
                                                                chart_id=f"{anchor}-agreement", min_cell=min_cell))
    return view


def _summary_chart(principles: list[dict], min_cell: int) -> Markup | None:
    consulted = [p for p in principles if p.get("agreement") and p["agreement"].get("by_group")]
    if not consulted:
        return None
    series, seen = [], set()
    for p in consulted:
        for g in p["agreement"]["by_group"]:
            if g["group"] not in seen:
                seen.add(g["group"])
                series.append((g["group"], g.get("label") or g["group"]))
    categories = [{"label": f"{p['number']}. {p['headline']}",
                   "values": {g["group"]: {"value": g.get("agree_percent"), "suppressed": bool(g.get("suppressed"))}
                              for g in p["agreement"]["by_group"]}} for p in consulted]
    return Markup(svg_charts.grouped_bar_chart(categories, series, chart_id="summary-by-group", min_cell=min_cell,
                                               title="Share of each respondent group agreeing with each principle"))


def _themes_chart(themes: dict | None, min_cell: int) -> Markup | None:
    if not themes or not themes.get("rows"):
        return None
    rows = [{"label": t["name"], "count": t["respondents"], "percent": None, "suppressed": t["respondents"] is None}
            for t in themes["rows"]]
    return Markup(svg_charts.horizontal_bar_chart(rows, title="Themes raised by the most respondents",
                                                  chart_id="themes-overall", min_cell=min_cell))


def _agreement_rows(rows) -> list[dict]:
    """The agreement table's rows; drafts made before the table was reshaped held (label, value, n) triples,
    of which only the first (alpha over all coders) is kept: the others named coders by email address."""
    rows = list(rows or [])
    if rows and isinstance(rows[0], (list, tuple)):
        label, value, n = rows[0]
        return [{"label": "All codes", "alpha": value, "kappa": None, "n": n}]
    return [{"label": r.get("label"), "alpha": r.get("alpha"), "kappa": r.get("kappa"), "n": r.get("n")} for r in rows]


def _context(document: dict, *, pdf: bool, internal: bool = False, cite=None) -> dict:
    if document.get("format") not in FORMATS:
        raise ValueError(f"unsupported document format {document.get('format')!r}")
    min_cell = int(document.get("min_cell", 5))
    principles = [_principle_view(p, i, min_cell) for i, p in enumerate(document.get("principles", []), 1)]
    # an agreement question already charted with its principle is cross-referenced, not drawn twice
    charted = {_signature(p["agreement"]["rows"]): p for p in principles if p.get("agreement")}
    questions = []
    for i, q in enumerate(document.get("questions", []), 1):
        same = charted.get(_signature(q.get("rows", [])))
        chart = None if same else Markup(svg_charts.horizontal_bar_chart(
            q.get("rows", []), title=f"{q['title']} ({_number(q.get('total'))} answers)", chart_id=f"question-{i}",
            min_cell=min_cell))
        questions.append({"total": None, "rows": [], **q, "anchor": f"question-{i}", "chart": chart, "see": same})
    survey = document["survey"]
    methodology = document.get("methodology", {})
    coding = {key: None for key in CODING_KEYS} | (methodology.get("coding") or {})
    counts = COUNT_DEFAULTS | (document.get("counts") or {})
    campaigns = {"groups": campaign_groups(counts), "responses": counts.get("campaign_responses")}
    campaigns |= methodology.get("campaigns") or {}
    generated, closes = survey.get("generated_at") or "", survey.get("closes_at") or ""
    return {
        "pdf": pdf, "doc": document, "survey": survey, "demo": bool(document.get("demo")), "min_cell": min_cell,
        "subtitle": SUBTITLE, "generated": long_date(generated), "closes": long_date(closes),
        "still_open": bool(generated and closes and generated < closes),
        "counts": counts, "campaigns": campaigns,
        "themes": _theme_matrix(document.get("themes"), min_cell),
        "themes_chart": _themes_chart(document.get("themes"), min_cell),
        "consulted": [p for p in principles if p.get("source") != "new"],
        "new": [p for p in principles if p.get("source") == "new"],
        "summary_chart": _summary_chart(document.get("principles", []), min_cell),
        "questions": questions, "methodology": methodology, "coding": coding,
        "agreement_rows": _agreement_rows(coding["agreement"]), "per_code_min": PER_CODE_MIN,
        "barriers": [{"description": "", "what_we_heard": [], "quotes": [], **b, "anchor": f"barrier-{i}"}
                     for i, b in enumerate(document.get("barriers") or [], 1)],
        "withdrawn": int(document.get("withdrawn") or 0),
        "internal": internal, "cite": cite or (lambda item: None), "linked": cite is not None,
        "channel_rows": [{**c, "label": CHANNELS.get(c.get("channel"), str(c.get("channel", "")).title())}
                         for c in (methodology.get("channels") or counts.get("by_channel") or [])],
        "codebook": _codebook(document.get("codebook", [])),
        "cell": lambda count, suppressed=False: _cell(count, bool(suppressed), min_cell),
        "css": Markup((ASSETS / "report.css").read_text(encoding="utf-8")) if not pdf else None,
        "swatch_css": Markup(svg_charts.swatch_css()),
    }


def render_html(document: dict, *, internal: bool = False, cite=None) -> str:
    """One self-contained HTML page (inline CSS, no external requests).

    The public edition (the default) names no answer and links nowhere outside itself. The internal edition
    (`internal`) cites the answer each sentence and quote comes from; `cite(item)` gives the address of an
    item's answer (its `answer_id` and `respondent_id`) in the workspace, or None."""
    context = _context(document, pdf=False, internal=internal, cite=cite)
    return _environment().get_template("report.html").render(context)


# Whitespace between two block-level tags is never drawn, but WeasyPrint makes a box for each run of it
# (1,300 in a 40-page report) and then drops it. Texts are escaped: a tag here is always ours.
_BLOCK_TAG = (r"</?(?:body|header|section|div|p|h[1-6]|ul|ol|li|dl|dt|dd|figure|figcaption|blockquote|table|caption|"
              r"thead|tbody|tr|td|th)\b[^>]*>")
_BETWEEN_BLOCKS = re.compile(f"({_BLOCK_TAG})\\s+(?={_BLOCK_TAG})")


def compact(source: str) -> str:
    """The HTML without the whitespace that lies only between block-level tags."""
    return _BETWEEN_BLOCKS.sub(r"\1", source)


def render_pdf(document: dict) -> bytes:
    """A PDF/UA-1 tagged PDF of the public edition, fetching only the packaged stylesheet."""
    from weasyprint import HTML

    source = compact(_environment().get_template("report.html").render(_context(document, pdf=True)))
    html = HTML(string=source, base_url=ASSET_SCHEME + "report.html", url_fetcher=asset_fetcher())
    return html.write_pdf(pdf_variant="pdf/ua-1")


def filename(document: dict, suffix: str) -> str:
    """A safe download name, e.g. keep-it-local-principles-2028-04-14.pdf."""
    slug = re.sub(r"[^a-z0-9-]+", "-", str(document["survey"].get("slug", "survey")).lower()).strip("-") or "survey"
    day = str(document["survey"].get("generated_at", ""))[:10]
    dated = f"-{day}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else ""
    return f"{slug}-principles{dated}.{suffix}"
