"""HTML to tagged PDF with WeasyPrint, fetching nothing but the app's own packaged assets.

Respondent text ends up inside these documents; the URL fetcher makes sure markup such as
<img src="file:///etc/passwd"> or a remote URL can never make the renderer read a file or call out.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "static" / "pdf"
ASSET_SCHEME = "asset:"


class RefusedURL(ValueError):
    pass


def asset_fetcher():
    """A WeasyPrint URL fetcher serving `asset:NAME` from static/pdf/ and refusing every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            if not url.startswith(ASSET_SCHEME):
                raise RefusedURL(f"refused to fetch {url[:80]!r}")
            path = (ASSETS / url[len(ASSET_SCHEME):]).resolve()
            if ASSETS not in path.parents or not path.is_file():
                raise RefusedURL(f"no packaged asset {url[:80]!r}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    return AssetFetcher(allowed_protocols=["asset"], allow_redirects=False)


def render_pdf(html: str) -> bytes:
    """A PDF/UA-1 tagged document from template HTML (respondent text in it already escaped)."""
    from weasyprint import HTML  # a heavy import, kept off the web request path until needed

    document = HTML(string=html, base_url=ASSET_SCHEME + "receipt.html", url_fetcher=asset_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
