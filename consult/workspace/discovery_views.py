""""Find themes" pages: start a run, review its proposals, see a proposal's answers, and decide on each."""
from __future__ import annotations

from collections import Counter

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from consult.auth.models import Role
from consult.auth.roles import require
from consult.coding.samples import question_keys
from consult.coding.services import active_themes
from consult.extensions import db
from consult.responses.models import Answer
from consult.surveys.scoped import current_survey
from consult.surveys.services import question_labels
from consult.workspace import browsing, discovery, proposals
from consult.workspace.forms import DiscoverForm, filter_form
from consult.workspace.models import ThemeDiscovery
from consult.workspace.views import bp

PER_PAGE = 50


def _forms(survey, data):
    form = DiscoverForm(formdata=data)
    form.questions.choices = question_keys(survey)
    questions = browsing.latest_questions(survey)
    filters = filter_form(data if data else None, questions, browsing.survey_themes(survey), question_labels(survey))
    return form, filters


def _runs(survey) -> list[ThemeDiscovery]:
    return list(db.session.scalars(select(ThemeDiscovery).where(ThemeDiscovery.survey_id == survey.id)
                                   .order_by(ThemeDiscovery.id.desc()).limit(20)))


@bp.get("/themes")
@require(Role.STAFF)
def themes():
    survey = current_survey()
    form, filters = _forms(survey, None)
    return _page(survey, form, filters)


def _page(survey, form, filters, status: int = 200):
    problems = [message for field in [form.questions, form.max_themes, *filters] for message in field.errors]
    return render_template("workspace/themes.html", survey=survey, form=form, filters=filters, runs=_runs(survey),
                           labels=question_labels(survey), problems=problems), status


@bp.post("/themes")
@require(Role.RESEARCHER)
def discover():
    survey = current_survey()
    form, filters = _forms(survey, request.form)
    chosen = filters.filters()
    if form.validate_on_submit() and not any(f.errors for f in filters):
        try:
            run = discovery.start_discovery(survey, form.questions.data, chosen, form.max_themes.data, by=current_user)
        except discovery.DiscoveryError as error:
            form.questions.errors = [str(error)]
        else:
            return redirect(url_for("jobs.status", job_id=run.job_id))
    return _page(survey, form, filters, 400)


def _run_or_404(survey, discovery_id: int) -> ThemeDiscovery:
    run = db.session.get(ThemeDiscovery, discovery_id)
    return run if run is not None and run.survey_id == survey.id else abort(404)


@bp.get("/themes/<int:discovery_id>")
@require(Role.STAFF)
def discovery_result(discovery_id: int):
    survey = current_survey()
    run = _run_or_404(survey, discovery_id)
    shown = [p for p in run.proposals if p.status != "split"]
    texts = dict(db.session.execute(select(Answer.id, Answer.text).where(
        Answer.id.in_([i for p in shown for i in p.example_ids] or [0]))).all())
    held = Counter(m for p in shown if p.status in ("proposed", "accepted") for m in p.member_ids)
    shared = {p.id: sum(held[m] > 1 for m in p.member_ids) for p in shown}
    everyone, themes = discovery.survey_proposals(survey), browsing.survey_themes(survey)
    ends = {p.id: proposals.current_theme(p, everyone, themes) for p in shown if p.status in ("accepted", "merged")}
    active = active_themes(survey)
    targets = {p.id: proposals.merge_targets(p, ends.get(p.id), active) for p in shown
               if p.pending or (p.status == "accepted" and ends.get(p.id) is not None)}
    return render_template("workspace/discovery.html", survey=survey, run=run, proposals=shown, texts=texts,
                           shared=shared, ends=ends, targets=targets, labels=question_labels(survey),
                           named={p.id: p.label for p in run.proposals},
                           split_parts=range(proposals.SPLIT_PARTS[0], proposals.SPLIT_PARTS[1] + 1))


@bp.get("/themes/<int:discovery_id>/<int:proposal_id>")
@require(Role.STAFF)
def proposal_answers(discovery_id: int, proposal_id: int):
    survey = current_survey()
    proposal = proposals.proposal_in(survey, discovery_id, proposal_id) or abort(404)
    pages = max(1, -(-proposal.size // PER_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    ids = proposal.member_ids[(page - 1) * PER_PAGE:page * PER_PAGE]
    rows = {a.id: a for a in db.session.scalars(select(Answer).where(Answer.id.in_(ids or [0])))}
    weight = dict(zip(proposal.member_ids, proposal.weights))
    others = [(p.label, set(p.member_ids)) for p in proposal.discovery.proposals
              if p.id != proposal.id and p.status in ("proposed", "accepted")]
    also = {i: [label for label, members in others if i in members] for i in ids}
    return render_template("workspace/proposal_answers.html", survey=survey, proposal=proposal, run=proposal.discovery,
                           answers=[rows[i] for i in ids if i in rows], weight=weight, also=also,
                           result={"page": page, "pages": pages})


@bp.post("/themes/<int:discovery_id>/<int:proposal_id>")
@require(Role.RESEARCHER)
def decide(discovery_id: int, proposal_id: int):
    survey = current_survey()
    proposal = proposals.proposal_in(survey, discovery_id, proposal_id) or abort(404)
    action, label = request.form.get("action", ""), proposal.label
    back = redirect(url_for(".discovery_result", discovery_id=discovery_id, _anchor=f"proposal-{proposal.id}"))
    try:
        if action == "accept":
            theme = proposals.accept(proposal, request.form.get("name", ""), request.form.get("description"),
                                     by=current_user)
            flash(f"‘{theme.name}’ added to the codebook" + ("." if theme.name == label else f" (proposed as ‘{label}’)."),
                  "success")
        elif action == "drop":
            proposals.drop(proposal, by=current_user)
            flash(f"‘{label}’ dropped. Later runs will not propose it again.", "success")
        elif action == "restore":
            proposals.restore(proposal, by=current_user)
            flash(f"‘{label}’ is proposed again.", "success")
        elif action == "merge":
            name = proposals.merge(proposal, request.form.get("target", ""), by=current_user)
            flash(f"‘{label}’ merged into ‘{name}’.", "success")
        elif action == "split":
            parts = proposals.split(proposal, request.form.get("parts", 0, type=int) or 0, by=current_user)
            flash(f"‘{label}’ split into {', '.join('‘' + p.label + '’' for p in parts)}.", "success")
        else:
            flash("Choose what to do with the proposed theme.", "error")
    except discovery.DiscoveryError as error:
        flash(str(error), "error")
    return back
