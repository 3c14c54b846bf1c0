"""The coding screen (one answer at a time), machine suggestions and double-coding samples."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.auth.services import researchers
from consult.coding import assignments, samples, suggestions
from consult.coding.forms import CodingForm, RedactForm, SampleForm
from consult.coding.services import active_themes
from consult.coding.views import bp
from consult.extensions import db
from consult.numbers import arg_int
from consult.redaction import services as redaction
from consult.responses.models import CHANNELS
from consult.surveys.kinds import kind_of
from consult.surveys.scoped import current_survey
from consult.surveys.services import question_labels


def _answer_or_404(survey, answer_id: int):
    return assignments.in_survey(survey, answer_id) or abort(404)


def _summary(answer) -> str:
    try:
        return "; ".join(kind_of(answer.question).summary(answer.question, {"value": answer.value, "text": answer.text}))
    except Exception:  # an answer from an older definition may not fit its kind's summary; show the raw text
        return answer.text or ""


def _queue() -> dict[str, str]:
    """Which answers the queue walks, from the URL: one question's (`question`), one channel's (`channel`), and
    in which order (`order`: the machine's most confident or most useful suggestions first)."""
    queue = {"question": request.args.get("question") or "", "channel": request.args.get("channel") or "",
             "order": request.args.get("order") or ""}
    if queue["channel"] not in CHANNELS:
        queue["channel"] = ""
    if queue["order"] not in assignments.QUEUE_ORDERS:
        queue["order"] = ""
    return {name: value for name, value in queue.items() if value}


@bp.get("/code")
@require(Role.RESEARCHER)
def code_next():
    survey = current_survey()
    queue = _queue()
    coder = assignments.person_coder(current_user, commit=True)
    after = arg_int("after")
    answer_id = assignments.next_uncoded(survey, coder, queue.get("question"), after, channel=queue.get("channel"),
                                         order=queue.get("order"))
    if answer_id is None:
        return render_template("coding/done.html", survey=survey, queue=queue, channels=CHANNELS,
                               keys=samples.question_keys(survey), orders=assignments.QUEUE_ORDERS)
    return redirect(url_for("coding.code_answer", answer_id=answer_id, **queue))


@bp.route("/code/<int:answer_id>", methods=["GET", "POST"])
@require(Role.STAFF)
def code_answer(answer_id: int):
    """The coding screen. Staff, who read but do not code, are sent to the answer on its response's page."""
    survey = current_survey()
    answer = _answer_or_404(survey, answer_id)
    if not current_user.has_role(Role.RESEARCHER):
        if request.method != "GET":
            abort(403)
        return redirect(url_for("workspace.response_detail", response_id=answer.response_id, _anchor=f"answer-{answer.id}"))
    coder = assignments.person_coder(current_user)
    queue = _queue()
    themes = active_themes(survey)
    form = CodingForm()
    form.themes.choices = [(t.id, t.name) for t in themes]
    form.span_theme.choices = [(0, "Choose a code")] + [(t.id, t.name) for t in themes]
    if form.validate_on_submit():
        span = None
        if form.span_theme.data and form.span_start.data is not None and form.span_end.data is not None:
            span = (form.span_theme.data, form.span_start.data, form.span_end.data)
        try:
            assignments.save_codes(answer, coder, set(form.themes.data or []), span, by=current_user)
            assignments.add_note(answer, current_user, "memo", form.memo.data or "")
            if form.flag_reason.data:
                assignments.add_note(answer, current_user, "flag", form.flag_reason.data)
        except assignments.CodingError as error:
            db.session.rollback()
            form.span_start.errors = [str(error)]
        else:
            if form.go.data == "next":
                return redirect(url_for("coding.code_next", after=answer.id, **queue))
            flash("Saved.", "success")
            return redirect(url_for("coding.code_answer", answer_id=answer.id, **queue))
    return screen(survey, answer, coder, queue, themes, form, fresh=request.method == "GET")


def screen(survey, answer, coder, queue: dict[str, str], themes, form: CodingForm, *, fresh: bool,
           redact_form: RedactForm | None = None):
    """The coding screen for one answer (`fresh`: the coding form shows what is saved, not what was posted)."""
    mine = assignments.own_codes(answer, coder)
    if fresh:
        form.themes.data = [row.theme_id for row in mine if row.span_start is None]
    blind = samples.is_blind(answer.id, coder.id)
    memo, flags = assignments.notes(answer, current_user)
    if fresh and memo:
        form.memo.data = memo.text
    others = [] if blind or samples.in_any_sample(answer.id) else assignments.others_codes(answer, coder)
    machine = [] if blind else suggestions.machine_rows(answer)
    whole = None if blind else suggestions.answer_suggestion(answer)
    siblings = [(a.question, _summary(a)) for a in answer.response.answers if a.id != answer.id]
    redactions = redaction.answer_redactions(answer)
    if redact_form is None:
        redact_form = RedactForm(formdata=None)
    redact_form.kind.choices = list(redaction.KINDS)
    return render_template("coding/code.html", survey=survey, answer=answer, form=form, themes=themes,
                           redactions=redactions, redacted=redaction.redacted_text(answer), redact_form=redact_form,
                           redaction_kinds=redaction.KIND_NAMES, people=redaction.people_of(redactions),
                           spans=[row for row in mine if row.span_start is not None], blind=blind, flags=flags,
                           others=others, machine=machine, whole=whole, orders=assignments.QUEUE_ORDERS, siblings=siblings, queue=queue, channels=CHANNELS,
                           keys=samples.question_keys(survey),
                           theme_names={t.id: t.name for t in themes}), 400 if form.errors or redact_form.errors else 200


@bp.post("/code/<int:answer_id>/spans/<int:assignment_id>/remove")
@require(Role.RESEARCHER)
def remove_span(answer_id: int, assignment_id: int):
    survey = current_survey()
    answer = _answer_or_404(survey, answer_id)
    if assignments.remove_span(answer, assignments.person_coder(current_user), assignment_id, by=current_user):
        flash("Passage code removed.", "success")
    else:
        flash("That passage code is not yours or no longer exists.", "error")
    return redirect(url_for("coding.code_answer", answer_id=answer.id, **_queue()))


@bp.post("/code/<int:answer_id>/flags/<int:note_id>/resolve")
@require(Role.RESEARCHER)
def resolve_flag(answer_id: int, note_id: int):
    survey = current_survey()
    answer = _answer_or_404(survey, answer_id)
    if assignments.resolve_flag(answer, note_id, current_user):
        flash("Flag marked as resolved.", "success")
    else:
        flash("That flag is not on this answer.", "error")
    return redirect(url_for("coding.code_answer", answer_id=answer.id, **_queue()))


@bp.post("/code/<int:answer_id>/suggestions/<int:assignment_id>")
@require(Role.RESEARCHER)
def review_suggestion(answer_id: int, assignment_id: int):
    survey = current_survey()
    answer = _answer_or_404(survey, answer_id)
    try:
        if request.form.get("decision") == "accept":
            suggestions.accept(answer, assignment_id, current_user)
            flash("Suggestion accepted: the code is now yours too.", "success")
        elif request.form.get("decision") == "reject":
            suggestions.reject(answer, assignment_id, current_user)
            flash("Suggestion rejected.", "success")
        else:
            flash("Choose whether to accept or reject the suggestion.", "error")
    except suggestions.SuggestionError as error:
        flash(str(error), "error")
    return redirect(url_for("coding.code_answer", answer_id=answer.id, **_queue()))


@bp.route("/samples", methods=["GET", "POST"])
@require(Role.ADMIN)
def samples_page():
    survey = current_survey()
    people = {u.id: u for u in researchers()}
    form = SampleForm()
    form.question_key.choices = [(k, t) for k, t in samples.question_keys(survey)]
    form.coder_a.choices = form.coder_b.choices = [(0, "Choose a coder")] + [
        (u.id, f"{u.name} ({u.email})") for u in people.values()]
    if request.method == "GET":
        form.percent.data = 10
    if form.validate_on_submit():
        user_a, user_b = people.get(form.coder_a.data), people.get(form.coder_b.data)
        if user_a is None or user_b is None:
            form.coder_a.errors = ["Choose two coders from the researchers"]
        else:
            try:
                sample = samples.create_sample(survey, form.question_key.data, float(form.percent.data) / 100,
                                               user_a, user_b, form.seed.data, by=current_user)
            except samples.SampleError as error:
                form.question_key.errors = [str(error)]
            else:
                flash(f"Double-coding sample of {len(samples.sample_items(sample))} answers assigned to "
                      f"{user_a.name} and {user_b.name}.", "success")
                return redirect(url_for("coding.samples_page"))
    return render_template("coding/samples.html", survey=survey, form=form, labels=question_labels(survey),
                           samples=samples.survey_samples(survey)), 400 if form.errors else 200



from consult.coding import redaction_views  # noqa: E402,F401  (routes on this blueprint)
