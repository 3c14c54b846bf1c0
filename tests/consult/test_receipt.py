"""The receipt: an HTML page and a tagged PDF (PDF/UA) with the reference and the answers."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from consult.weasy import RefusedURL, asset_fetcher, render_pdf
from tests.consult.test_question_kinds import URL, walk_to_check
from tests.consult.test_submit import token_from
from tests.factories import make_survey


@pytest.fixture
def submitted(client):
    make_survey()
    client.post(f"{URL}/start")
    check = walk_to_check(client, {2: {"org_name": 'Hilltop <img src="file:///etc/passwd"> Trust'}})
    location = client.post(f"{URL}/submit", data={"submission_token": token_from(check.get_data(as_text=True))}).location
    return client, location.rsplit("/", 1)[1]


def test_pdf_receipt_is_tagged_and_holds_the_answers(submitted):
    client, reference = submitted
    response = client.get(f"{URL}/receipt/{reference}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="{reference}.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # declares PDF/UA conformance
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reference in text
    assert 'Hilltop <img src="file:///etc/passwd"> Trust' in text  # printed as text, never fetched
    assert "root:x:0:0" not in text
    assert "sam@example.org" in text


def test_html_receipt(submitted):
    client, reference = submitted
    page = client.get(f"{URL}/receipt/{reference}").get_data(as_text=True)
    assert reference in page and "Silos waste money." in page
    assert "Hilltop &lt;img" in page


def test_fetcher_refuses_files_and_network():
    fetcher = asset_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1/", "https://example.org/x.png", "asset:../../config.py",
                "data:text/plain,hi"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert b"@page" in fetcher.fetch("asset:receipt.css").read()


def test_markup_cannot_make_the_renderer_read_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    html = (f'<html lang="en"><head><title>t</title><link rel="stylesheet" href="file://{secret}"></head>'
            f'<body><p>x</p><img src="file://{secret}" alt="y"><iframe src="file://{secret}"></iframe></body></html>')
    pdf = render_pdf(html)
    assert b"TOP SECRET" not in pdf
