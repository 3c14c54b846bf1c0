"""Numbers too big for the database (ids above 2^63, pages past the end of a bigint) get a 404 or a message, never
a 500, on SQLite and PostgreSQL; and a quote chosen twice when editing a draft is a form error."""
from __future__ import annotations

from tests.consult.test_principle_drafts import coded_survey  # noqa: F401  (fixture)
from tests.factories import make_response, make_survey

HUGE = str(2 ** 63 + 5)
BIGGER = "9" * 40


IDS = ["/workspace/test-survey/responses/{n}", "/workspace/jobs/{n}", "/workspace/jobs/{n}.json",
       "/workspace/test-survey/code/{n}", "/workspace/test-survey/principles/{n}", "/admin/users/{n}",
       "/s/test-survey/page/{n}"]
QUERIES = ["/workspace/test-survey/responses?page={n}", "/admin/audit?page={n}",
           "/workspace/test-survey/publish/responses?page={n}", "/s/test-survey/outcome/responses?page={n}",
           "/workspace/test-survey/code?after={n}", "/workspace/test-survey/principles/compare?a={n}&b=1"]


def test_ids_too_big_for_the_database_are_not_found(client, login):
    survey = make_survey()
    make_response(survey)
    login("admin")
    client.post("/s/test-survey/start")
    for path in IDS:
        for number in (HUGE, BIGGER, str(2 ** 31)):
            assert client.get(path.format(n=number)).status_code == 404, (path, number)


def test_query_numbers_too_big_for_the_database_get_an_answer(client, login):
    survey = make_survey()
    make_response(survey)
    login("admin")
    for path in QUERIES:
        for number in (HUGE, BIGGER, "-" + HUGE):
            assert client.get(path.format(n=number)).status_code in (200, 400, 404), (path, number)


def test_the_same_quote_chosen_twice_is_a_form_error(coded_survey, client, login):
    from consult.extensions import db
    from consult.principles.models import PrincipleDraft
    from consult.principles.services import edited_document

    login("staff")
    client.post("/workspace/keep-it-local/principles/build")
    draft = db.session.scalar(db.select(PrincipleDraft))
    document = dict(draft.document)
    first = document["principles"][0]
    quote = {"id": "q-1", "answer_id": 1, "text": "Small local groups know the families.", "attribution": "A charity"}
    document["principles"] = [{**first, "quote_candidates": [quote]}, *document["principles"][1:]]
    draft.document = document
    db.session.commit()
    principles = edited_document(draft)["principles"]
    chosen = principles[0]
    quote = quote["id"]
    data = {**{f"headline__{p['id']}": p["headline"] for p in principles},
            **{f"quotes__{p['id']}": [q["id"] for q in p.get("quotes", [])] for p in principles}}
    data[f"quotes__{chosen['id']}"] = [quote, quote]
    page = client.post("/workspace/keep-it-local/principles/1", data=data)
    assert page.status_code == 400 and "Choose each quote once" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(PrincipleDraft)) == 1
