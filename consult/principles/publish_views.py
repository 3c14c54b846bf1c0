"""Staff pages for publishing the outcome: choose the version the public sees, and moderate the responses
published beside it (accept or hold each, with a reason)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.numbers import arg_int
from consult.principles import publication, services
from consult.principles.forms import ModerateForm, PublishForm, UnpublishForm
from consult.surveys.scoped import current_survey, survey_blueprint

bp = survey_blueprint("publishing", __name__, "/workspace/<slug>/publish")


def _publish_form(survey, formdata=None) -> PublishForm:
    form = PublishForm(formdata=formdata)
    form.version.choices = [(d.number, f"Version {d.number}: {d.note}") for d in services.drafts_of(survey)
                            if publication.publishable(d)]
    return form


@bp.route("/", methods=["GET", "POST"])
@require(Role.STAFF)
def publish():
    survey = current_survey()
    form = _publish_form(survey, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        draft = services.get_draft(survey, form.version.data) or abort(404)
        publication.publish(draft, current_user, form.what_we_did.data)
        flash(f"Version {draft.number} is published. Respondents can find it from the survey's pages.", "success")
        return redirect(url_for("publishing.publish"), code=303)
    current = publication.publication_of(survey)
    return render_template("principles/publish.html", survey=survey, form=form, unpublish=UnpublishForm(),
                           current=current, published=publication.published_draft(survey),
                           counts=publication.moderation_counts(survey)), 400 if form.errors else 200


@bp.post("/unpublish")
@require(Role.STAFF)
def unpublish():
    survey = current_survey()
    if not UnpublishForm().validate_on_submit():
        abort(400)
    publication.unpublish(survey, current_user)
    flash("The outcome is no longer published.", "success")
    return redirect(url_for("publishing.publish"), code=303)


def _page() -> int:
    return arg_int("page", 1, maximum=100_000)


@bp.get("/responses")
@require(Role.STAFF)
def responses():
    survey = current_survey()
    shown = request.args.get("show", "waiting")
    shown = shown if shown in publication.SHOWN else "waiting"
    page = _page()
    found, more = publication.moderation_page(survey, shown, page)
    return render_template("principles/moderation.html", survey=survey, found=found, more=more, shown=shown,
                           page=page, counts=publication.moderation_counts(survey),
                           forms={m.response.id: ModerateForm(prefix=f"r{m.response.id}", formdata=None,
                                                              data={"decision": m.moderation and m.moderation.decision,
                                                                    "reason": m.moderation and m.moderation.reason})
                                  for m in found})


@bp.post("/responses/<int:response_id>")
@require(Role.STAFF)
def moderate(response_id: int):
    survey = current_survey()
    shown, page = request.args.get("show", "waiting"), _page()
    form = ModerateForm(prefix=f"r{response_id}")
    if not form.validate():
        found, more = publication.moderation_page(survey, shown, page)
        forms = {m.response.id: ModerateForm(prefix=f"r{m.response.id}", formdata=None) for m in found}
        forms[response_id] = form
        return render_template("principles/moderation.html", survey=survey, found=found, more=more, shown=shown,
                               page=page, counts=publication.moderation_counts(survey), forms=forms,
                               failed=response_id), 400
    try:
        publication.moderate(survey, response_id, form.decision.data, form.reason.data, current_user)
    except publication.PublicationError as error:
        flash(str(error), "error")
        return redirect(url_for("publishing.responses", show=shown, page=page), code=303)
    flash("Response published." if form.decision.data == "accepted" else "Response held back.", "success")
    return redirect(url_for("publishing.responses", show=shown, page=page), code=303)
