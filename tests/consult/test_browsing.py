"""Browsing responses: each filter, search escaping, pagination, a fixed query count, roles and erasure."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from consult.auth.models import AuditEvent
from consult.coding.models import (
    Adjudication,
    AnswerNote,
    CodeAssignment,
    Coder,
    CodingSample,
    SampleItem,
    Theme,
)
from consult.extensions import db
from consult.responses.models import Answer, AnswerOption, Response
from consult.responses.submission import build_response
from consult.timeutil import utcnow
from consult.workspace import browsing
from consult.workspace.browsing import Filters
from tests.factories import make_survey, make_user

PAGES = [
    {"questions": [{"key": "who", "kind": "single_choice", "title": "Who are you?", "role": "respondent_type",
                    "choices": [{"value": "charity", "label": "Charity"}, {"value": "councillor", "label": "Councillor"}]}]},
    {"questions": [{"key": "capacity", "kind": "single_choice", "title": "How are you responding?", "role": "capacity",
                    "choices": [{"value": "individual", "label": "As an individual"},
                                {"value": "organisation", "label": "For an organisation"}]}]},
    {"questions": [{"key": "area", "kind": "local_authority", "title": "Where?", "role": "local_authority"}]},
    {"questions": [{"key": "p1", "kind": "agree_scale", "title": "How far do you agree?"}]},
    {"questions": [{"key": "story", "kind": "long_text", "title": "Tell us more"}]},
]


@pytest.fixture
def survey(app):
    return make_survey(pages=PAGES)


def add(survey, *, who="charity", capacity="individual", area="leeds", p1="agree", story=None, channel="web",
        minutes=0) -> Response:
    """A stored response; `minutes` ago orders the list (newest first)."""
    version = survey.current_version
    q = {question.key: question for question in version.questions}
    answers = {q["who"]: {"value": who}, q["capacity"]: {"value": capacity}, q["area"]: {"value": area},
               q["p1"]: {"value": p1}}
    if story is not None:
        answers[q["story"]] = {"value": None, "text": story}
    response = build_response(version, answers, channel=channel, submitted_at=utcnow() - timedelta(minutes=minutes))
    db.session.add(response)
    db.session.commit()
    return response


def story_answer(response: Response) -> Answer:
    return next(a for a in response.answers if a.text)


def person_coder(email="coder@example.org") -> Coder:
    coder = Coder(kind="person", user_id=make_user("researcher", email).id, name=email)
    db.session.add(coder)
    db.session.commit()
    return coder


def references(survey, **filters) -> set[str]:
    page = browsing.response_page(survey, Filters(**filters), per_page=100)
    assert page.total == len(page.rows)
    return {row.response.reference for row in page.rows}


@pytest.fixture(params=["joined", "walked"])
def walk(request, monkeypatch):
    """Coding filters both ways: joined (few coding rows, as here) and walked one response at a time (as when
    the rows are many: consult.workspace.filters.walk_coding)."""
    if request.param == "walked":
        monkeypatch.setattr("consult.workspace.filters.DENSE", -1)
    return request.param


def answers_shown(survey, **filters) -> set[int]:
    question = next(q for q in survey.current_version.questions if q.key == "story")
    return {row.answer.id for row in browsing.answer_page(survey, question, Filters(**filters), per_page=100).rows}


def test_each_filter_narrows_the_list(survey, walk):
    a = add(survey, who="charity", capacity="individual", area="leeds", p1="agree", story="Buses are late", channel="web")
    b = add(survey, who="councillor", capacity="organisation", area="manchester", p1="disagree", story="Parks", channel="email")
    c = add(survey, who="charity", capacity="organisation", area="leeds", p1="disagree", channel="paper")
    coder, machine = person_coder(), Coder(kind="machine", name="model")
    db.session.add(machine)
    transport, parent, merged = Theme(survey_id=survey.id, name="Transport"), Theme(survey_id=survey.id, name="Place"), \
        Theme(survey_id=survey.id, name="Green space")
    db.session.add_all([transport, parent, merged])
    db.session.flush()
    merged.merged_into_id = parent.id
    db.session.add_all([
        CodeAssignment(answer_id=story_answer(a).id, theme_id=transport.id, coder_id=coder.id, status="applied"),
        CodeAssignment(answer_id=story_answer(b).id, theme_id=transport.id, coder_id=machine.id, status="suggested"),
        CodeAssignment(answer_id=story_answer(b).id, theme_id=merged.id, coder_id=coder.id, status="accepted"),
        AnswerNote(answer_id=story_answer(b).id, kind="flag", text="Names a person"),
        AnswerNote(answer_id=story_answer(a).id, kind="flag", text="Fixed", resolved=True),
        AnswerNote(answer_id=story_answer(a).id, kind="memo", text="Good example"),
    ])
    db.session.commit()
    everyone = {a.reference, b.reference, c.reference}
    assert references(survey) == everyone
    assert references(survey, respondent_type="charity") == {a.reference, c.reference}
    assert references(survey, capacity="organisation") == {b.reference, c.reference}
    assert references(survey, area="leeds") == {a.reference, c.reference}
    assert references(survey, channel="email") == {b.reference}
    assert references(survey, answer="p1:disagree") == {b.reference, c.reference}
    assert references(survey, answer="p1:disagree", respondent_type="charity") == {c.reference}
    assert references(survey, theme=transport.id) == {a.reference}  # the machine's suggestion on b does not count
    assert references(survey, theme=parent.id) == {b.reference}  # via the theme merged into it
    assert references(survey, coded="coded") == {a.reference, b.reference}
    assert references(survey, coded="uncoded") == set()  # c has no free text to code
    assert references(survey, flagged=True) == {b.reference}  # a's flag is resolved
    assert references(survey, search="BUSES") == {a.reference}
    assert references(survey, search="nothing like this") == set()
    assert references(survey, coded="coded", area="manchester") == {b.reference}
    assert references(survey, theme=transport.id, area="manchester") == set()
    assert answers_shown(survey, theme=parent.id) == {story_answer(b).id}
    assert answers_shown(survey, flagged=True, capacity="organisation") == {story_answer(b).id}
    assert answers_shown(survey, coded="uncoded") == set()


def test_the_flag_filter_and_the_flagged_tag_follow_one_rule(survey, walk):
    """A response is flagged when any of its answers has an open flag: the filter finds it by the note's
    response id (filled in from its answer), and the list tags the same rows."""
    on_text, on_choice, resolved, memo_only = (add(survey, story="Names a person"), add(survey, story="Fine"),
                                               add(survey, story="Fixed"), add(survey, story="Memo"))
    chosen = next(a for a in on_choice.answers if not a.text)
    notes = [AnswerNote(answer_id=story_answer(on_text).id, kind="flag", text="Personal data"),
             AnswerNote(answer_id=chosen.id, kind="flag", text="Check this"),
             AnswerNote(answer_id=story_answer(resolved).id, kind="flag", text="Fixed", resolved=True),
             AnswerNote(answer_id=story_answer(memo_only).id, kind="memo", text="Good example")]
    db.session.add_all(notes)
    db.session.commit()
    assert [n.response_id for n in notes] == [on_text.id, on_choice.id, resolved.id, memo_only.id]
    flagged = browsing.response_page(survey, Filters(flagged=True), per_page=100)
    assert {row.response.reference for row in flagged.rows} == {on_text.reference, on_choice.reference}
    assert all(row.flagged for row in flagged.rows)
    everyone = browsing.response_page(survey, Filters(), per_page=100)
    assert {row.response.reference for row in everyone.rows if row.flagged} == {on_text.reference, on_choice.reference}


def test_final_adjudicated_codes_count_for_the_theme_filter(survey, walk):
    a, b = add(survey, story="Rents are high"), add(survey, story="Rents again")
    housing = Theme(survey_id=survey.id, name="Housing")
    db.session.add(housing)
    db.session.flush()
    db.session.add(Adjudication(answer_id=story_answer(b).id, theme_ids=[housing.id]))
    db.session.commit()
    assert references(survey, theme=housing.id) == {b.reference}
    assert references(survey, coded="uncoded") == {a.reference, b.reference}  # adjudication is not a person's code
    row = browsing.response_page(survey, Filters(theme=housing.id)).rows[0]
    assert row.themes == ["Housing"]
    assert answers_shown(survey, theme=housing.id) == {story_answer(b).id}
    assert answers_shown(survey, coded="uncoded") == {story_answer(a).id, story_answer(b).id}


def test_search_is_case_insensitive_and_escapes_wildcards(survey):
    percent = add(survey, story="We want 100% LOCAL food")
    plain = add(survey, story="We want 100 local food")
    underscore = add(survey, story="see file a_b")
    other = add(survey, story="see file axb")
    backslash = add(survey, story=r"path C:\temp")
    assert references(survey, search="%") == {percent.reference}
    assert references(survey, search="100%") == {percent.reference}
    assert references(survey, search="a_b") == {underscore.reference}
    assert references(survey, search="_") == {underscore.reference}
    assert references(survey, search="local") == {percent.reference, plain.reference}
    assert references(survey, search="file a") == {underscore.reference, other.reference}
    assert references(survey, search="\\") == {backslash.reference}
    assert browsing.like_pattern("5%_\\") == "%5\\%\\_\\\\%"


def test_pagination_newest_first_and_page_links(app, client, login, survey):
    made = [add(survey, story=f"Story {i}", minutes=i) for i in range(7)]  # made[0] is the newest
    first = browsing.response_page(survey, Filters(), page=1, per_page=3)
    third = browsing.response_page(survey, Filters(), page=3, per_page=3)
    assert (first.total, first.pages) == (7, 3)
    assert [r.response.reference for r in first.rows] == [m.reference for m in made[:3]]
    assert [r.response.reference for r in third.rows] == [made[6].reference]
    assert browsing.response_page(survey, Filters(), page=99, per_page=3).page == 3  # past the end: the last page
    searched = browsing.response_page(survey, Filters(search="story"), page=99, per_page=3)  # counted in the page query
    assert (searched.page, searched.total, [r.response.reference for r in searched.rows]) == (3, 7, [made[6].reference])
    assert browsing.response_page(survey, Filters(search="story"), page=2, per_page=3).total == 7
    login("staff")
    many = [add(survey, story="x", minutes=100 + i) for i in range(50)]
    html = client.get("/workspace/test-survey/responses?channel=web&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in html and many[-1].reference in html and made[0].reference not in html
    assert "channel=web" in html and "page=1" in html  # the previous link keeps the filter


def test_page_queries_do_not_grow_with_page_size(app, survey):
    coder = person_coder()
    theme = Theme(survey_id=survey.id, name="Transport")
    db.session.add(theme)
    db.session.commit()
    for i in range(60):
        response = add(survey, story=f"Answer {i}", minutes=i)
        db.session.add(CodeAssignment(answer_id=story_answer(response).id, theme_id=theme.id, coder_id=coder.id))
        db.session.add(AnswerNote(answer_id=story_answer(response).id, kind="flag"))
    db.session.commit()
    question = next(q for q in survey.current_version.questions if q.key == "story")

    def statements(run) -> int:
        counted = []
        listener = lambda *args: counted.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expire_all()
            run()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(counted)

    for fetch in (lambda n: browsing.response_page(survey, Filters(search="answer"), per_page=n),
                  lambda n: browsing.answer_page(survey, question, Filters(flagged=True), per_page=n)):
        small, large = statements(lambda: fetch(5)), statements(lambda: fetch(50))
        assert small == large and large <= 15, (small, large)
        page = fetch(50)
        assert len(page.rows) == 50 and all(r.themes == ["Transport"] and r.flagged for r in page.rows)


def test_staff_browse_list_detail_questions_and_question(client, login, survey):
    a = add(survey, story="<b>Buses</b> are late", channel="email")
    login("staff")
    base = "/workspace/test-survey"
    listing = client.get(f"{base}/responses").get_data(as_text=True)
    assert a.reference in listing and "&lt;b&gt;Buses&lt;/b&gt;" in listing and "Erase a response" not in listing
    detail = client.get(f"{base}/responses/{a.id}").get_data(as_text=True)
    assert "Tell us more" in detail and "Charity" in detail and "Leeds" in detail and "Agree" in detail
    assert "Erase this response" not in detail
    assert "How far do you agree?" in client.get(f"{base}/questions").get_data(as_text=True)
    question = client.get(f"{base}/questions/p1").get_data(as_text=True)
    assert 'role="img"' in question and "not shown" in question and a.reference in question
    assert client.get(f"{base}/questions/nope").status_code == 404
    assert client.get(f"{base}/responses/{a.id + 1000}").status_code == 404
    assert client.get(f"{base}/erase?reference={a.reference}").status_code == 403
    assert client.post(f"{base}/erase", data={"reference": a.reference}).status_code == 403
    assert db.session.get(Response, a.id) is not None


def test_bad_filter_values_get_a_message_and_lose_nothing(client, login, survey):
    a = add(survey, story="Hello")
    login("staff")
    html = client.get("/workspace/test-survey/responses?respondent_type=nonsense&search=hello").get_data(as_text=True)
    assert "Choose a respondent type from the list" in html and a.reference in html
    assert 'value="hello"' in html


def test_question_page_counts_with_suppression(client, login, app, survey):
    for i in range(6):
        add(survey, who="charity", p1="agree")
    for i in range(2):
        add(survey, who="councillor", p1="disagree")
    login("staff")
    html = client.get("/workspace/test-survey/questions/p1").get_data(as_text=True)
    assert "<title id=\"chart-p1-0-title\">" in html and ">8 people answered" in html
    assert "by respondent type</caption>" not in html
    # Disagree (2) is hidden, and so is agree (6): with zeros alone, 8 minus the rest would give the 2 away.
    assert html.count('<td class="kil-num">not shown</td>') == 2 and ">6<" not in html
    crosstab = client.get("/workspace/test-survey/questions/p1?by=respondent_type").get_data(as_text=True)
    assert "by respondent type</caption>" in crosstab and "<th scope=\"col\" class=\"kil-num\">Councillor</th>" in crosstab
    assert 'name="by" value="respondent_type"' in crosstab  # applying filters keeps the table
    app.config["CROSSTAB_MIN_CELL"] = 2
    lowered = client.get("/workspace/test-survey/questions/p1?channel=web").get_data(as_text=True)
    assert ">6<" in lowered and ">2<" in lowered and ">not shown<" not in lowered


def test_admin_erases_a_response_and_everything_on_it(client, login, survey):
    keep = add(survey, story="Keep me")
    gone = add(survey, story="Erase me please, my name is Ann")
    admin = login("admin")
    coder, other = person_coder("a@example.org"), person_coder("b@example.org")
    theme = Theme(survey_id=survey.id, name="Names")
    db.session.add(theme)
    db.session.flush()
    answer_id = story_answer(gone).id
    sample = CodingSample(survey_id=survey.id, coder_a_id=coder.id, coder_b_id=other.id, fraction=0.1, seed=1)
    db.session.add(sample)
    db.session.flush()
    db.session.add_all([CodeAssignment(answer_id=answer_id, theme_id=theme.id, coder_id=coder.id),
                        AnswerNote(answer_id=answer_id, kind="flag", text="Personal data"),
                        SampleItem(sample_id=sample.id, answer_id=answer_id),
                        Adjudication(answer_id=answer_id, theme_ids=[theme.id])])
    db.session.commit()
    base = "/workspace/test-survey"
    assert "Erase this response" in client.get(f"{base}/responses/{gone.id}").get_data(as_text=True)
    confirm = client.get(f"{base}/erase?reference={gone.reference.lower()}").get_data(as_text=True)
    assert "Are you sure" in confirm and gone.reference in confirm
    assert "No response to this survey" in client.get(f"{base}/erase?reference=TST-XXXX").get_data(as_text=True)
    reply = client.post(f"{base}/erase", data={"reference": gone.reference})
    assert reply.status_code == 302
    db.session.expire_all()
    assert db.session.get(Response, gone.id) is None and db.session.get(Response, keep.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.response_id == gone.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Answer)) == len(keep.answers)
    for model in (CodeAssignment, AnswerNote, SampleItem, Adjudication):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    kept_options = db.session.scalar(select(func.count()).select_from(AnswerOption))
    assert kept_options == sum(len(a.options) for a in keep.answers)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "response.erased"))
    assert event.detail == {"reference": gone.reference} and event.user_id == admin.id
    assert "Ann" not in str(event.detail)
    again = client.post(f"{base}/erase", data={"reference": gone.reference}, follow_redirects=True)
    assert "already been erased" in again.get_data(as_text=True)


def test_filters_on_many_responses_count_to_the_cap_then_say_more_than(survey, client, login, monkeypatch):
    monkeypatch.setattr(browsing, "COUNT_CAP", 4)
    made = [add(survey, story=f"story {n}", minutes=n) for n in range(7)]
    first = browsing.response_page(survey, Filters(search="story"), page=1, per_page=3)
    assert (first.total, first.more, first.pages) == (4, True, 2)
    assert [r.response.id for r in first.rows] == [m.id for m in made[:3]]
    third = browsing.response_page(survey, Filters(search="story"), page=3, per_page=3)
    assert [r.response.id for r in third.rows] == [made[6].id] and third.page == 3
    past = browsing.response_page(survey, Filters(search="story"), page=9, per_page=3)
    assert (past.total, past.more, past.page, [r.response.id for r in past.rows]) == (7, False, 3, [made[6].id])
    plain = browsing.response_page(survey, Filters(), page=1, per_page=3)
    assert (plain.total, plain.more) == (7, False)  # column filters count exactly
    question = survey.current_version.questions[-1]
    answers = browsing.answer_page(survey, question, Filters(search="story"), per_page=3)
    assert (answers.total, answers.more) == (4, True)
    login("researcher")
    page = client.get("/workspace/test-survey/responses?search=story").get_data(as_text=True)
    assert "More than 4 responses match these filters" in page
    assert "Page 1" in page and 'rel="next"' in page
