"""Workshop pages: staff plan events and invite respondents (chosen with the workspace's filters); invitees
answer yes or no from their personal link, without an account."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.extensions import db
from consult.i18n import public_blueprint
from consult.interchange import workshops as workshop_notes
from consult.mail import services as mail
from consult.responses.models import WorkshopEvent
from consult.surveys.models import Survey
from consult.surveys.scoped import current_survey, survey_blueprint
from consult.surveys.services import question_labels
from consult.timeutil import utcnow
from consult.workshops import emails as _emails  # noqa: F401  (the composers of invitees' emails)
from consult.workshops import services
from consult.workshops.forms import ActionForm, EventForm, NotesForm, ReplyForm
from consult.workspace.browsing import latest_questions, survey_themes
from consult.workspace.forms import filter_form

bp = survey_blueprint("workshops", __name__, "/workspace/<slug>/workshops")
public = public_blueprint(Blueprint("invitations", __name__, url_prefix="/invitation"))


def _links() -> str:
    """The personal link's address, TOKEN standing for its secret."""
    return url_for("invitations.answer", token=services.LINK_TOKEN, _external=True)


def _event(event_id: int) -> WorkshopEvent:
    survey = current_survey()
    event = db.session.get(WorkshopEvent, event_id) if event_id < 2**31 else None
    if event is None or event.survey_id != survey.id or event.starts_at is None:
        abort(404)
    return event


@bp.route("/", methods=["GET", "POST"])
@require(Role.RESEARCHER)
def events():
    survey = current_survey()
    form = EventForm()
    if form.validate_on_submit():
        event = services.plan_event(survey, name=form.name.data, starts_at=form.starts_at(survey.time_zone),
                                    place=form.place.data, online_link=form.online_link.data,
                                    capacity=form.capacity.data, user=current_user._get_current_object())
        flash(f"{event.name} is planned. Choose whom to invite.", "success")
        return redirect(url_for(".event", event_id=event.id))
    return render_template("workshops/events.html", survey=survey, form=form, events=services.events(survey),
                           places={e.id: services.places(e) for e in services.events(survey)},
                           email=mail.enabled(), now=utcnow()), (400 if form.errors else 200)


@bp.get("/<int:event_id>")
@require(Role.RESEARCHER)
def event(event_id: int):
    event = _event(event_id)
    survey = current_survey()
    questions = latest_questions(survey)
    filters_form = filter_form(request.args, questions, survey_themes(survey), question_labels(survey))
    notes = NotesForm()
    _notes_questions(survey, notes)
    return render_template("workshops/event.html", survey=survey, event=event, places=services.places(event),
                           invitations=services.invitations(event), form=filters_form,
                           filters=filters_form.filters(), action=url_for(".event", event_id=event.id),
                           candidates=services.candidates(survey, filters_form.filters()),
                           buttons=ActionForm(), notes=notes, email=mail.enabled(), now=utcnow(),
                           labels=question_labels(survey))


def _notes_questions(survey, form: NotesForm):
    questions = workshop_notes.notes_questions(survey)
    labels = question_labels(survey)
    form.question.choices = [(q.key, labels[q.key]) for q in questions]
    if not form.question.data and questions:
        form.question.data = workshop_notes.default_notes_question(survey).key
    return questions


@bp.post("/<int:event_id>/invite")
@require(Role.RESEARCHER)
def invite(event_id: int):
    event = _event(event_id)
    survey = current_survey()
    if not ActionForm().validate_on_submit() or not mail.enabled():
        abort(400)
    filters = filter_form(request.form, latest_questions(survey), survey_themes(survey),
                          question_labels(survey)).filters()
    try:
        count = services.invite(event, services.candidates(survey, filters), _links(),
                                user=current_user._get_current_object())
    except services.ReplyClosed:
        abort(400)
    flash(f"Invited {count:,} {'respondent' if count == 1 else 'respondents'}." if count else
          "Everyone matching these filters has already been invited.", "success")
    return redirect(url_for(".event", event_id=event.id), code=303)


@bp.post("/<int:event_id>/remind")
@require(Role.RESEARCHER)
def remind(event_id: int):
    event = _event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = services.remind(event, _links(), user=current_user._get_current_object())
    except services.ReplyClosed:
        abort(400)
    flash(f"Sent a reminder to {count:,} {'invitee' if count == 1 else 'invitees'}.", "success")
    return redirect(url_for(".event", event_id=event.id), code=303)


@bp.post("/<int:event_id>/cancel")
@require(Role.RESEARCHER)
def cancel(event_id: int):
    event = _event(event_id)
    if not ActionForm().validate_on_submit() or event.cancelled_at is not None:
        abort(400)
    count = services.cancel(event, user=current_user._get_current_object())
    flash(f"{event.name} is cancelled; {count:,} {'invitee is' if count == 1 else 'invitees are'} being told.",
          "success")
    return redirect(url_for(".event", event_id=event.id), code=303)


@bp.post("/<int:event_id>/notes")
@require(Role.RESEARCHER)
def notes(event_id: int):
    """The event's notes, after it, as workshop evidence linked to it."""
    event = _event(event_id)
    survey = current_survey()
    form = NotesForm()
    questions = _notes_questions(survey, form)
    if not form.validate_on_submit():
        flash("Enter the notes from the event, and the question they respond to.", "error")
        return redirect(url_for(".event", event_id=event.id), code=303)
    question = next(q for q in questions if q.key == form.question.data)
    response = workshop_notes.add_notes(survey, event, notes=form.notes.data, question=question,
                                        user=current_user._get_current_object())
    flash(f"Notes from {event.name} added as response {response.reference}, ready to code.", "success")
    return redirect(url_for(".event", event_id=event.id), code=303)


@public.route("/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The invitee's page: the event, and yes or no."""
    invitation = services.find_invitation(token) or abort(404)
    form = ReplyForm(data={"coming": {"accepted": "yes", "waiting": "yes", "declined": "no"}.get(invitation.reply)})
    closed = not services.open_for_replies(invitation.event, utcnow())
    if request.method == "POST" and not closed:
        form = ReplyForm()
        if form.validate_on_submit():
            try:
                services.reply(invitation, form.coming.data == "yes", _links())
            except services.ReplyClosed:
                closed = True
            else:
                flash({"accepted": _("Thank you. You have a place at this workshop."),
                       "waiting": _("Thank you. All the places are taken, so you are on the waiting list. We will "
                                    "email you if a place becomes free."),
                       "declined": _("Thank you for letting us know you cannot come.")}[invitation.reply], "success")
                return redirect(url_for(".answer", token=token), code=303)
    return render_template("workshops/answer.html", invitation=invitation, event=invitation.event, form=form,
                           closed=closed, survey=db.session.get(Survey, invitation.event.survey_id)), \
        (400 if form.errors else 200)
