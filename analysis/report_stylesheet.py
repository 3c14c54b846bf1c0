"""WeasyPrint's user agent stylesheet, without the pseudo-element rules a report never uses.

WeasyPrint computes a style for every pair of element and pseudo-element that a rule names. Its own
stylesheet gives *every* element a `::marker`, `::footnote-call`, `::footnote-marker`, `::note-call`,
`::note-marker` and `::note-callback` rule, so a 40-page report of some 3,000 elements (1,500 distinct
element styles) carried 18,500 pseudo-element styles, made, kept and collected for boxes never built.
Only list items have markers, and a report has no footnotes or notes, so here `::marker` is narrowed to
`li::marker` (the same look for every list) and the note rules are dropped.

`html_class()` is a `weasyprint.HTML` that reads this stylesheet. Where WeasyPrint's stylesheet no longer
holds the rules as written here (another version), it is used unchanged: the same report, only slower.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

UNIVERSAL_MARKER = re.compile(r"^::marker(?= *\{)", re.M)
NOTE_RULES = re.compile(r"^::(?:footnote|note)-(?:call|marker|callback) *\{[^}]*\}\n", re.M)
NOTE_RULE_COUNT = 5


def narrowed(stylesheet: str) -> str | None:
    """The stylesheet text with `::marker` on list items only and no note rules; None when it does not
    hold exactly the rules expected."""
    text, markers = UNIVERSAL_MARKER.subn("li::marker", stylesheet)
    text, notes = NOTE_RULES.subn("", text)
    return text if markers == 1 and notes == NOTE_RULE_COUNT else None


@lru_cache(maxsize=1)
def html_class() -> Any:
    """A subclass of weasyprint.HTML using the narrowed user agent stylesheet (or WeasyPrint's own)."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle

    try:
        from weasyprint.html import UA, UA_STYLESHEET
    except ImportError:
        return HTML
    text = narrowed(UA)
    if text is None or not hasattr(HTML, "_ua_stylesheets"):
        return HTML
    # the counter styles it defines are WeasyPrint's own, already known: read them into a throwaway set
    sheet = CSS(string=text, counter_style=CounterStyle())

    class ReportHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list:
            return [sheet if own is UA_STYLESHEET else own for own in super()._ua_stylesheets(forms)]

    return ReportHTML
