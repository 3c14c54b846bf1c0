"""One rule, one place: every count and share the draft prints equals the workspace page that shows the same
figure, and a recount from the JSONL export.

Demonstration data (with an organised campaign, two coders, a double-coded sample and adjudications) is built,
then a draft and the JSONL export; the figures compared are each principle's answered count and agreement
shares, respondents by type, themes by group, codebook counts and campaign counts. The recount counts from the
export's own fields, then applies the published suppression and percentage rules (analysis.suppression,
analysis.shares) to what it counted.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from analysis.draft_figures import (
    agreement_shares,
    answers_per_theme,
    respondent_breakdowns,
    theme_figures,
)
from analysis.evidence import SCALE
from consult.extensions import db
from consult.principles.models import PrincipleDraft

SLUG = "keep-it-local"
MIN_CELL = 25  # high enough that some theme and type counts are hidden


class Tables(HTMLParser):
    """The rows of every table on a page, as lists of cell texts, by the table's data-figure or id."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._name: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._name = attrs.get("data-figure") or attrs.get("id")
            if self._name:
                self.tables[self._name] = []
        elif tag == "tr" and self._name:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._name:
            self.tables[self._name].append(self._row)
            self._row = None
        elif tag == "table":
            self._name = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def shown(count) -> str:
    return "not shown" if count is None else f"{count:,}"


def pct(value) -> str:
    return "not shown" if value is None else f"{value}%"


@pytest.fixture(scope="module")
def built(database_url):
    """Demonstration data, a draft built as staff build it, and every page and export compared below."""
    from consult import create_app
    from tests.conftest import empty_database
    from tests.factories import PASSWORD, make_user

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost", "JOBS_MODE": "inline",
                      "CROSSTAB_MIN_CELL": MIN_CELL})
    with app.app_context():
        runner = app.test_cli_runner()
        result = runner.invoke(args=["demo", "--survey", SLUG, "--responses", "400", "--seed", "9"])
        assert result.exit_code == 0, result.output
        client = app.test_client()
        make_user("researcher", "checker@example.org")
        assert client.post("/login", data={"email": "checker@example.org", "password": PASSWORD}).status_code == 302
        assert client.post(f"/workspace/{SLUG}/principles/build").status_code == 303
        draft = db.session.scalar(select(PrincipleDraft))
        assert draft is not None, "the draft job did not finish"
        from consult.surveys.services import get_survey

        survey = get_survey(SLUG)
        definition = survey.current_version.definition
        principle_keys = [q["key"] for page in definition["pages"] for q in page["questions"] if q.get("role") == "principle"]
        pages = {"overview": client.get(f"/workspace/{SLUG}/").get_data(as_text=True),
                 "codebook": client.get(f"/workspace/{SLUG}/codebook").get_data(as_text=True),
                 **{key: client.get(f"/workspace/{SLUG}/questions/{key}").get_data(as_text=True)
                    for key in principle_keys}}
        export = client.get(f"/workspace/{SLUG}/export?format=jsonl")
        assert export.status_code == 200
        records = [json.loads(line) for line in export.get_data(as_text=True).splitlines()]
        yield {"document": draft.document, "html": draft.html, "pages": pages, "records": records,
               "definition": definition, "principle_keys": principle_keys}
        empty_database()


def _questions(definition):
    return [q for page in definition["pages"] for q in page["questions"]]


def _type_labels(definition) -> tuple[dict[str, str], dict[str, str]]:
    question = next(q for q in _questions(definition) if q.get("role") == "respondent_type")
    labels = {c["value"]: c["label"] for c in question["choices"]}
    if question.get("other"):
        labels["other"] = question["other"]["label"]
    return labels, {c["value"]: c.get("group", "others") for c in question["choices"]}


def test_the_demonstration_holds_what_the_figures_are_about(built):
    document = built["document"]
    assert document["counts"]["campaign_groups"] >= 1 and document["themes"]["rows"]
    assert any(r["respondents"] is None or None in r["by_group"] for r in document["themes"]["rows"]), \
        "some theme count should be hidden, so that suppression is compared too"


def test_each_principle_answered_count_and_agreement_shares(built):
    principles = [p for p in built["document"]["principles"] if p["source"] == "consulted"]
    assert len(principles) == len(built["principle_keys"])
    for principle, key in zip(principles, built["principle_keys"]):
        agreement = principle["agreement"]
        page = built["pages"][key]
        assert f"{agreement['total']:,} people answered" in page
        assert (f"Agreed (strongly agree or agree): <strong>{pct(agreement['agree_percent'])}</strong>. "
                f"Disagreed (disagree or strongly disagree): <strong>{pct(agreement['disagree_percent'])}</strong>") in page
        votes = Counter(r["answers"][key]["value"] for r in built["records"] if key in r["answers"])
        counts = [votes.get(value, 0) for value, _label in SCALE]
        assert sum(counts) == agreement["total"]
        assert agreement_shares(counts, MIN_CELL) == (agreement["agree_percent"], agreement["disagree_percent"])
        if agreement["agree_percent"] is not None:
            assert f"{agreement['agree_percent']}% agreed" in built["html"]


def test_respondents_by_type(built):
    document, records = built["document"], built["records"]
    drafted = [(row["label"], shown(row["count"])) for row in document["counts"]["by_type"]]
    assert [tuple(row) for row in Tables(built["pages"]["overview"]).tables["by-type"][1:]] == drafted
    labels, groups = _type_labels(built["definition"])
    by_type = Counter(labels.get(r["respondent_type"], r["respondent_type"]) for r in records)
    by_group = Counter(groups.get(r["respondent_type"] or "", "others") for r in records)
    by_channel = Counter(r["channel"] for r in records)
    recounted = respondent_breakdowns(by_group, by_channel, by_type, len(records), MIN_CELL)
    assert recounted["by_type"] == document["counts"]["by_type"]
    assert recounted["by_group"] == document["counts"]["by_group"]
    assert recounted["by_channel"] == document["counts"]["by_channel"]
    assert len(records) == document["counts"]["respondents"]


def _coded(built):
    """(respondent, final theme names) of every codable answer the export holds, and the records by reference."""
    codable = {q["key"] for q in _questions(built["definition"])  # opinions: free text (or an "Other" box), no role
               if (q["kind"] in ("long_text", "short_text") or q.get("other")) and not q.get("role")}
    return [(r, tuple(a["final_codes"])) for r in built["records"] for key, a in r["answers"].items()
            if key in codable and a["final_codes"]]


def test_codebook_counts(built):
    drafted = {entry["name"]: entry["count"] for entry in built["document"]["codebook"]}
    page = {row[0].replace("↳ ", "").replace("Code under its parent: ", ""): int(row[2].replace(",", ""))
            for row in Tables(built["pages"]["codebook"]).tables["codebook"][1:]}
    assert page == drafted
    recounted = answers_per_theme(names for _record, names in _coded(built))
    assert {name: recounted.get(name, 0) for name in drafted} == drafted


def test_themes_by_group(built):
    document = built["document"]
    rows = Tables(built["pages"]["codebook"]).tables["themes-by-group"]
    drafted = [[row["name"], shown(row["respondents"]), *map(shown, row["by_group"])] for row in document["themes"]["rows"]]
    assert rows[1:] == drafted
    _labels, groups = _type_labels(built["definition"])
    counted = [(record, names) for record, names in _coded(built)
               if record["campaign"] is None or record["campaign"]["counted"]]
    recounted = theme_figures([record["reference"] for record, _ in counted], [names for _, names in counted],
                              {record["reference"]: groups.get(record["respondent_type"] or "", "others")
                               for record, _ in counted}, MIN_CELL)
    assert recounted == document["themes"]


def test_campaign_counts(built):
    counts, page = built["document"]["counts"], built["pages"]["overview"]
    members = [r["campaign"] for r in built["records"] if r["campaign"]]
    assert len({c["number"] for c in members}) == counts["campaign_groups"]
    assert len(members) == counts["campaign_responses"]
    assert sum(c["counted"] for c in members) == counts["campaign_groups"]
    assert re.search(rf"{counts['campaign_responses']:,} of them came from {counts['campaign_groups']:,} organised "
                     rf"campaigns?", page)
