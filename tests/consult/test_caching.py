"""Nothing personal is kept by a browser's or a proxy's cache: every page and file the app makes, downloads
included, carries `Cache-Control: no-store`; only the static assets (CSS, JavaScript, fonts) may be cached."""
from __future__ import annotations

import re

from consult.extensions import db
from consult.principles.models import PrincipleDraft
from tests.consult.test_principle_drafts import coded_survey  # noqa: F401  (fixture)
from tests.consult.test_question_kinds import URL, walk_to_check
from tests.consult.test_submit import token_from
from tests.factories import make_survey

W = "/workspace/keep-it-local"


def test_receipts_are_not_cached(client):
    make_survey()
    client.post(f"{URL}/start")
    token = token_from(walk_to_check(client).get_data(as_text=True))
    confirmation = client.post(f"{URL}/submit", data={"submission_token": token}).location
    reference = confirmation.rsplit("/", 1)[1]
    for path in (confirmation, f"{URL}/receipt/{reference}", f"{URL}/receipt/{reference}.pdf"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers.get("Cache-Control") == "no-store", path


def test_drafts_exports_codebooks_and_job_status_are_not_cached(coded_survey, client, login):
    login("admin")
    build = client.post(f"{W}/principles/build")
    job_id = build.location.rsplit("/", 1)[1]
    draft = db.session.scalar(db.select(PrincipleDraft))
    export = client.post(f"{W}/export", data={"format": "csv"})
    paths = [f"/workspace/jobs/{job_id}", f"/workspace/jobs/{job_id}.json",
             f"{W}/principles/{draft.number}/download.pdf", f"{W}/principles/{draft.number}/download.html",
             f"{W}/principles/{draft.number}/internal", f"{W}/export?format=csv", f"{W}/export?format=xlsx",
             f"{W}/codebook.csv", f"{W}/codebook.qdc", export.location]
    export_job = export.location.rsplit("/", 1)[1]
    status = client.get(f"/workspace/jobs/{export_job}").get_data(as_text=True)
    download = re.search(r'href="([^"]*/export/download/\d+)"', status)
    assert download, status
    paths.append(download.group(1))
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", path


def test_static_assets_may_be_cached(client):
    assert "no-store" not in client.get("/static/css/consult.css").headers.get("Cache-Control", "")
