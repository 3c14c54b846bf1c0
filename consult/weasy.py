"""HTML to tagged PDF with WeasyPrint for the app's own documents (the receipt), fetching nothing but
the app's packaged PDF assets in static/pdf/.

Respondent text ends up inside these documents; the fetcher (shared with the principles report) makes
sure markup such as <img src="file:///etc/passwd"> or a remote URL never makes the renderer read a file or call out.
"""
from __future__ import annotations

from pathlib import Path

from analysis.report import ASSET_SCHEME, RefusedURL, folder_fetcher

__all__ = ["RefusedURL", "asset_fetcher", "render_pdf"]

ASSETS = Path(__file__).resolve().parent.parent / "static" / "pdf"


def asset_fetcher():
    return folder_fetcher(ASSETS)


def render_pdf(html: str) -> bytes:
    """A PDF/UA-1 tagged document from template HTML (respondent text in it already escaped)."""
    from weasyprint import (
        HTML,  # a heavy import, kept off the web request path until needed
    )

    document = HTML(string=html, base_url=ASSET_SCHEME + "receipt.html", url_fetcher=asset_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
