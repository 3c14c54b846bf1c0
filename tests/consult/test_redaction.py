"""Redaction kept per answer: the machine's spans stored by the job that follows `responses_stored`, a
researcher's undo / redo / additions on the coding screen (audited), the final text everything published prints,
the backfill command, and erasure."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.auth.models import AuditEvent
from consult.extensions import db
from consult.jobs.models import Job
from consult.redaction import services as redaction
from consult.redaction.models import Redaction, RedactionCheck
from consult.responses.models import Answer
from tests.factories import make_response, make_survey, make_user

pytestmark = pytest.mark.usefixtures("app")

BASE = {"capacity": {"value": "individual", "text": None}, "p1": {"value": "agree", "text": None},
        "publish": {"value": "anonymous", "text": None}, "contact": {"value": "no", "text": None}}
MISSED = "Ask about Thorne at the food bank, or ring 07700 900123 after six."  # the machine finds the phone only


def answer_with(survey, text, key="p1_why"):
    response = make_response(survey, {**BASE, key: {"value": None, "text": text}})
    return next(a for a in response.answers if a.question.key == key)


def spans(answer):
    return [(r.span_start, r.span_end, r.kind, r.source, r.state)
            for r in db.session.scalars(select(Redaction).where(Redaction.answer_id == answer.id).order_by(Redaction.span_start))]


def test_the_job_after_responses_are_stored_redacts_each_answer_once():
    survey = make_survey()
    answer = answer_with(survey, "Email me at jo.bloggs@example.org about it")  # submit announces responses_stored
    job = db.session.scalar(select(Job).where(Job.kind == "redaction"))
    assert job.state == "finished" and "1 new answer redacted" in job.result["summary"]
    assert spans(answer) == [(12, 33, "EMAIL", "machine", "active")]
    assert db.session.get(RedactionCheck, answer.id).scheme == redaction.SCHEME
    assert redaction.redact_new_answers(survey.id) == (0, 0)  # read once: nothing left to read


def test_an_answer_stored_meanwhile_is_left_as_it_was_stored():
    survey = make_survey()
    answer = answer_with(survey, "Ring 07700 900123 now")  # the job has read it
    other = answer_with(survey, "Ring 07700 900456 now")
    db.session.query(Redaction).filter(Redaction.answer_id == other.id).delete()
    db.session.query(RedactionCheck).filter(RedactionCheck.answer_id == other.id).delete()
    db.session.commit()
    assert redaction._store_machine(survey.id, [(answer.id, answer.text), (other.id, other.text)]) == 1  # other's
    assert len(spans(answer)) == 1 and len(spans(other)) == 1


def test_closed_answers_and_empty_texts_are_not_read():
    survey = make_survey()
    response = make_response(survey, {**BASE, "story": {"value": None, "text": ""}})
    assert db.session.scalar(select(func.count()).select_from(RedactionCheck).where(
        RedactionCheck.answer_id.in_([a.id for a in response.answers]))) == 0


def test_apply_spans_hides_overlaps_once():
    assert redaction.apply_spans("Ring Jo Bloggs now", [(5, 7, "NAME"), (5, 14, "NAME")]) == "Ring [NAME] now"
    assert redaction.apply_spans("a b c", [(4, 5, "X"), (0, 1, "Y")]) == "[Y] b [X]"
    assert redaction.apply_spans("plain", []) == "plain"


def test_final_text_is_machine_less_undone_plus_added():
    survey = make_survey()
    user = make_user("researcher")
    answer = answer_with(survey, MISSED)
    assert redaction.redacted_text(answer) == "Ask about Thorne at the food bank, or ring [PHONE] after six."
    added = redaction.add_words(answer, "thorne", "NAME", user)  # any case, as typed
    assert [(r.span_start, r.span_end, r.source, r.created_by) for r in added] == [(10, 16, "person", user.id)]
    phone = next(r for r in redaction.answer_redactions(answer) if r.kind == "PHONE")
    redaction.set_state(answer, phone.id, "undone", user)
    assert redaction.redacted_text(answer) == "Ask about [NAME] at the food bank, or ring 07700 900123 after six."
    assert (phone.changed_by, phone.changed_at is not None) == (user.id, True)
    redaction.set_state(answer, phone.id, "active", user)
    assert redaction.redacted_text(answer) == "Ask about [NAME] at the food bank, or ring [PHONE] after six."
    actions = [(e.action, e.user_id, e.detail) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.startswith("redaction.")).order_by(AuditEvent.id))]
    assert actions == [("redaction.added", user.id, {"answer": answer.id, "kind": "NAME"}),
                       ("redaction.undone", user.id, {"answer": answer.id, "kind": "PHONE", "source": "machine"}),
                       ("redaction.restored", user.id, {"answer": answer.id, "kind": "PHONE", "source": "machine"})]
    assert all("Thorne" not in str(d) and "07700" not in str(d) for _a, _u, d in actions)  # no personal data in the log


def test_answers_no_job_has_read_are_redacted_by_the_machine_when_printed():
    survey = make_survey()
    answer = answer_with(survey, "Call 07700 900123 please")
    db.session.query(Redaction).delete()
    db.session.query(RedactionCheck).delete()
    db.session.commit()
    assert redaction.redacted_texts([(answer.id, answer.text)]) == {answer.id: "Call [PHONE] please"}


def test_words_are_redacted_everywhere_and_as_whole_words():
    survey = make_survey()
    user = make_user("researcher")
    answer = answer_with(survey, "Blessing runs it. Blessings count. Thanks to BLESSING and old\nThorne.")
    assert len(redaction.add_words(answer, "blessing", "NAME", user)) == 2
    redaction.add_words(answer, "old   Thorne", "NAME", user)  # typed with other spacing than the line break
    assert redaction.redacted_text(answer) == "[NAME] runs it. Blessings count. Thanks to [NAME] and [NAME]."


def test_a_selection_redacts_where_it_starts_even_inside_a_word():
    survey = make_survey()
    user = make_user("researcher")
    answer = answer_with(survey, "Ask for MrThorne at the desk")
    redaction.add_words(answer, "Thorne", "NAME", user, start=10)
    assert redaction.redacted_text(answer) == "Ask for Mr[NAME] at the desk"


@pytest.mark.parametrize("words, kind, message", [
    ("", "NAME", "Enter the words to redact"),
    ("Nobody Here", "NAME", "is not in this answer"),
    ("07700 900123", "PHONE", "already redacted everywhere"),
    ("Thorne", "SECRET", "Choose what kind"),
    ("x" * 201, "NAME", "at most 200 characters"),
])
def test_bad_additions_are_refused_with_a_reason(words, kind, message):
    survey = make_survey()
    answer = answer_with(survey, MISSED)
    with pytest.raises(redaction.RedactionError, match=message):
        redaction.add_words(answer, words, kind, make_user("researcher"))


def test_redacting_an_undone_span_again_reuses_it():
    survey = make_survey()
    user = make_user("researcher")
    answer = answer_with(survey, "Ring 07700 900123 now")
    phone = redaction.answer_redactions(answer)[0]
    redaction.set_state(answer, phone.id, "undone", user)
    with pytest.raises(redaction.RedactionError, match="already been undone"):
        redaction.set_state(answer, phone.id, "undone", user)
    assert [r.id for r in redaction.add_words(answer, "07700 900123", "PHONE", user)] == [phone.id]
    assert len(spans(answer)) == 1 and redaction.redacted_text(answer) == "Ring [PHONE] now"


def test_a_redaction_of_another_answer_cannot_be_changed():
    survey = make_survey()
    user = make_user("researcher")
    first, second = answer_with(survey, "Ring 07700 900123 now"), answer_with(survey, "Nothing personal here")
    with pytest.raises(redaction.RedactionError, match="not on this answer"):
        redaction.set_state(second, redaction.answer_redactions(first)[0].id, "undone", user)


# -- the coding screen -----------------------------------------------------------------------------------------

def test_coding_screen_shows_undoes_and_adds_without_javascript(client, login):
    survey = make_survey()
    user = login("researcher")
    answer = answer_with(survey, MISSED)
    url = f"/workspace/test-survey/code/{answer.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Ask about Thorne at the food bank, or ring [PHONE] after six." in page  # as it will print
    assert "“07700 900123”" in page and "The machine" in page and ">Undo<" in page
    phone = redaction.answer_redactions(answer)[0]
    response = client.post(f"{url}/redactions/{phone.id}", data={"decision": "undo"})
    assert response.status_code == 302 and response.location.endswith(f"{url}#redactions")
    response = client.post(f"{url}/redactions", data={"words": "Thorne", "kind": "NAME"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Ask about [NAME] at the food bank, or ring 07700 900123 after six." in page
    assert "Redacted as a person’s name in 1 place" in page and ">Redact again<" in page
    assert f"{user.name}, " in page and "undone by Researcher" in page  # who and when, on the screen


def test_words_not_in_the_answer_keep_what_was_typed_with_a_clear_message(client, login):
    survey = make_survey()
    login("researcher")
    answer = answer_with(survey, MISSED)
    response = client.post(f"/workspace/test-survey/code/{answer.id}/redactions",
                           data={"words": "Thorn3", "kind": "NAME"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page
    assert "is not in this answer. Copy the words exactly as they are written." in page
    assert 'value="Thorn3"' in page and '<a href="#words">' in page
    assert db.session.scalar(select(func.count()).select_from(Redaction).where(Redaction.source == "person")) == 0


def test_staff_cannot_change_redactions(client, login):
    survey = make_survey()
    answer = answer_with(survey, MISSED)
    phone = redaction.answer_redactions(answer)[0]
    login("staff")
    base = f"/workspace/test-survey/code/{answer.id}/redactions"
    assert client.post(f"{base}/{phone.id}", data={"decision": "undo"}).status_code == 403
    assert client.post(base, data={"words": "Thorne", "kind": "NAME"}).status_code == 403
    assert spans(answer)[0][4] == "active"


def test_redaction_changes_need_the_csrf_token(app, login, client):
    survey = make_survey()
    answer = answer_with(survey, MISSED)
    phone = redaction.answer_redactions(answer)[0]
    login("researcher")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        base = f"/workspace/test-survey/code/{answer.id}/redactions"
        assert client.post(f"{base}/{phone.id}", data={"decision": "undo"}).status_code == 400
        assert client.post(base, data={"words": "Thorne", "kind": "NAME"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert spans(answer) == [(43, 55, "PHONE", "machine", "active")]


def test_a_redaction_of_another_survey_is_refused_on_the_screen(client, login):
    survey = make_survey()
    login("researcher")
    answer = answer_with(survey, MISSED)
    other = answer_with(make_survey("other-survey"), "Ring 07700 900123 now")
    foreign = redaction.answer_redactions(other)[0]
    response = client.post(f"/workspace/test-survey/code/{answer.id}/redactions/{foreign.id}",
                           data={"decision": "undo"}, follow_redirects=True)
    assert "That redaction is not on this answer" in response.get_data(as_text=True)
    assert client.post(f"/workspace/test-survey/code/{other.id}/redactions", data={"words": "Ring"}).status_code == 404


# -- what is published, backfill and erasure ------------------------------------------------------------------

def test_published_responses_and_draft_evidence_print_the_final_text():
    from consult.principles.loader import load_evidence
    from consult.principles.publication import moderate, published_responses

    survey = make_survey()
    user = make_user("admin")
    answer = answer_with(survey, MISSED)
    redaction.add_words(answer, "Thorne", "NAME", user)
    phone = next(r for r in redaction.answer_redactions(answer) if r.kind == "PHONE")
    redaction.set_state(answer, phone.id, "undone", user)
    final = "Ask about [NAME] at the food bank, or ring 07700 900123 after six."
    moderate(survey, answer.response_id, "accepted", "fine", user)
    shown, _more = published_responses(survey, 1)
    assert [a.text for a in shown[0].answers] == [final]
    evidence = load_evidence(survey)
    assert evidence.redacted and list(evidence.answers.text) == [final]
    assert evidence.printable(final) == final  # not redacted again: the phone stays shown


def test_a_draft_has_the_machine_redact_only_what_it_prints_of_answers_no_job_has_read():
    from consult.principles.loader import load_evidence

    survey = make_survey()
    read = answer_with(survey, MISSED)
    unread = answer_with(survey, "Call 07700 900123 please")
    db.session.query(RedactionCheck).filter(RedactionCheck.answer_id == unread.id).delete()
    db.session.query(Redaction).filter(Redaction.answer_id == unread.id).delete()
    db.session.commit()
    evidence = load_evidence(survey)
    texts = dict(zip(evidence.answers.id, evidence.answers.text))
    assert texts[str(read.id)] == "Ask about Thorne at the food bank, or ring [PHONE] after six."
    assert texts[str(unread.id)] == unread.text and evidence.unredacted == {str(unread.id)}
    assert evidence.printable("Call 07700 900123", [str(unread.id)]) == "Call [PHONE]"
    assert evidence.printable("ring 07700 900123", [str(read.id)]) == "ring 07700 900123"  # as researchers left it
    assert db.session.get(RedactionCheck, unread.id) is None  # the draft stores nothing: the job reads it


def test_backfill_command_reads_answers_stored_before_redaction(runner):
    survey = make_survey()
    answer = answer_with(survey, "Call 07700 900123 please")
    db.session.query(Redaction).delete()
    db.session.query(RedactionCheck).delete()
    db.session.commit()
    result = runner.invoke(args=["redaction", "backfill", "--survey", "test-survey"])
    assert result.exit_code == 0, result.output
    assert "test-survey: 1 answers redacted, 1 pieces of personal data found." in result.output
    assert spans(answer) == [(5, 17, "PHONE", "machine", "active")]
    assert "0 answers redacted" in runner.invoke(args=["redaction", "backfill"]).output
    assert runner.invoke(args=["redaction", "backfill", "--survey", "nope"]).exit_code == 1


def test_erasure_removes_the_spans_with_the_answer():
    from consult.workspace.services import erase_response

    survey = make_survey()
    user = make_user("researcher")
    answer = answer_with(survey, MISSED)
    redaction.add_words(answer, "Thorne", "NAME", user)
    answer_id = answer.id
    erase_response(answer.response)
    assert db.session.get(Answer, answer_id) is None
    assert db.session.scalar(select(func.count()).select_from(Redaction).where(Redaction.answer_id == answer_id)) == 0
    assert db.session.get(RedactionCheck, answer_id) is None
