"""Redactions on the coding screen: undo one or redact its words again, and add one the machine missed (selected
in the answer with the page's script, or typed into the form without it)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.coding import assignments
from consult.coding.coding_views import _answer_or_404, _queue, screen
from consult.coding.forms import CodingForm, RedactForm
from consult.coding.services import active_themes
from consult.coding.views import bp
from consult.extensions import db
from consult.redaction import services as redaction
from consult.surveys.scoped import current_survey


def _back(answer) -> str:
    return url_for("coding.code_answer", answer_id=answer.id, _anchor="redactions", **_queue())


@bp.post("/code/<int:answer_id>/redactions")
@require(Role.RESEARCHER)
def add_redaction(answer_id: int):
    survey = current_survey()
    answer = _answer_or_404(survey, answer_id)
    form = RedactForm()
    form.kind.choices = list(redaction.KINDS)
    if form.validate_on_submit():
        try:
            added = redaction.add_words(answer, form.words.data, form.kind.data, current_user, start=form.start.data)
        except redaction.RedactionError as error:
            db.session.rollback()
            form.words.errors = [str(error)]
        else:
            kind = redaction.KIND_NAMES[form.kind.data].lower()
            flash(f"Redacted as {kind} in {len(added)} place{'' if len(added) == 1 else 's'}: "
                  "the words are hidden wherever this answer is published.", "success")
            return redirect(_back(answer))
    themes = active_themes(survey)
    coding = CodingForm(formdata=None)
    coding.themes.choices = [(t.id, t.name) for t in themes]
    coding.span_theme.choices = [(0, "Choose a code")] + [(t.id, t.name) for t in themes]
    return screen(survey, answer, assignments.person_coder(current_user), _queue(), themes, coding, fresh=True,
                  redact_form=form)


@bp.post("/code/<int:answer_id>/redactions/<int:redaction_id>")
@require(Role.RESEARCHER)
def change_redaction(answer_id: int, redaction_id: int):
    survey = current_survey()
    answer = _answer_or_404(survey, answer_id)
    decision = request.form.get("decision")
    try:
        changed = redaction.set_state(answer, redaction_id, {"undo": "undone", "redo": "active"}.get(decision, ""),
                                      current_user)
    except redaction.RedactionError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        kind = redaction.KIND_NAMES.get(changed.kind, changed.kind).lower()
        flash(f"Redaction of {kind} undone: the words will be shown in quotes and reports." if changed.state == "undone"
              else f"Redacted again ({kind}).", "success")
    return redirect(_back(answer))
