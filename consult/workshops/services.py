"""Planning a workshop, inviting respondents who agreed to be contacted, their replies, places and the
waiting list. Every invitation, reminder, offer of a place and cancellation goes through the outbox in the
transaction that causes it; the invitee's address is looked up when each email is sent (see models)."""
from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from consult.auth.services import record
from consult.extensions import db
from consult.mail import services as mail
from consult.responses.consent import contactable_responses
from consult.responses.models import Response, WorkshopEvent
from consult.surveys.languages import main_language
from consult.surveys.models import Survey
from consult.timeutil import utcnow
from consult.workshops.models import Invitation, Reply
from consult.workspace.filters import Filters, answer_level_conditions, response_conditions, survey_themes


LINK_TOKEN = "TOKEN"


class ReplyClosed(Exception):
    """The event was cancelled or has begun: replies are closed."""


def plan_event(survey: Survey, *, name: str, starts_at: datetime, place: str, online_link: str | None,
               capacity: int | None, user=None) -> WorkshopEvent:
    """A workshop to invite respondents to; `starts_at` is UTC (naive), its day is kept in the survey's zone."""
    local_day = starts_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(survey.time_zone)).date()
    event = WorkshopEvent(survey_id=survey.id, name=name.strip(), place=place.strip(), held_on=local_day,
                          starts_at=starts_at, online_link=(online_link or "").strip() or None, capacity=capacity,
                          attendee_types=[], created_by=user.id if user else None)
    db.session.add(event)
    db.session.flush()
    record("workshop.planned", event, {"survey": survey.slug, "name": event.name,
                                       "starts_at": starts_at.isoformat(), "capacity": capacity}, by=user)
    db.session.commit()
    return event


def events(survey: Survey) -> list[WorkshopEvent]:
    """The survey's planned events (those with a start time), soonest first."""
    return list(db.session.scalars(select(WorkshopEvent).where(
        WorkshopEvent.survey_id == survey.id, WorkshopEvent.starts_at.is_not(None)).order_by(WorkshopEvent.starts_at)))


def token_for(invitation: Invitation) -> str:
    """The secret in the invitee's personal link: derived from the app's secret, so a reminder can carry the
    same link without the link being stored anywhere."""
    message = f"workshop-invitation:{invitation.id}:{invitation.invited_at.isoformat()}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()[:40]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))


def candidates(survey: Survey, filters: Filters) -> list[int]:
    """Responses matching the workspace's filters whose authors agreed to be contacted and whose address is
    still held (contact emails are deleted when the consultation closes)."""
    themes = survey_themes(survey)
    query = select(Response.id).where(*response_conditions(survey, filters),
                                      *answer_level_conditions(survey, filters, themes),
                                      Response.id.in_(contactable_responses(survey)))
    return list(db.session.scalars(query.order_by(Response.submitted_at, Response.id)))


def _language(survey: Survey, response: Response) -> str:
    return response.language or main_language(survey.current_version.definition)


def _queue(kind: str, invitation: Invitation, survey: Survey, links: str) -> None:
    """Queue an email carrying the invitee's personal link (`links` with TOKEN in place of its secret), which
    opens the reply page in their language."""
    link = f"{links.replace(LINK_TOKEN, token_for(invitation))}?lang={invitation.language}"
    mail.queue(kind, language=invitation.language, survey_id=survey.id,
               params={"invitation_id": invitation.id, "link": link})


def invite(event: WorkshopEvent, response_ids: list[int], links: str, user=None) -> int:
    """Invite these respondents (once each) and queue their invitations; `links` is the personal link's
    address with TOKEN in place of its secret. Returns how many were newly invited."""
    survey = db.session.get(Survey, event.survey_id)
    if event.cancelled_at is not None:
        raise ReplyClosed()
    invited = set(db.session.scalars(select(Invitation.response_id).where(Invitation.event_id == event.id)))
    contactable = set(candidates(survey, Filters()))
    new = []
    for response in db.session.scalars(select(Response).where(Response.id.in_(response_ids))):
        if response.id in invited or response.id not in contactable:
            continue
        invitation = Invitation(event_id=event.id, response_id=response.id, language=_language(survey, response),
                                invited_at=utcnow(), token_hash="")
        db.session.add(invitation)
        db.session.flush()
        invitation.token_hash = _hash(token_for(invitation))
        _queue("workshops.invitation", invitation, survey, links)
        new.append(invitation)
    if new:
        record("workshop.invited", event, {"survey": survey.slug, "invited": len(new)}, by=user)
    db.session.commit()
    if new:
        mail.dispatch()
    return len(new)


def open_for_replies(event: WorkshopEvent, now: datetime) -> bool:
    return event.cancelled_at is None and (event.starts_at is None or now < event.starts_at)


def _places_taken(event: WorkshopEvent) -> int:
    return db.session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.event_id == event.id, Invitation.reply == Reply.ACCEPTED.value)) or 0


def reply(invitation: Invitation, coming: bool, links: str, now: datetime | None = None) -> str:
    """Record an invitee's yes or no. Yes takes a place while there is one, else joins the waiting list; a
    no from someone with a place gives it to the first on the waiting list, who is told by email. Returns
    the invitation's reply after it."""
    now = now or utcnow()
    # One reply at a time per event, so two people never take the last place together.
    event = db.session.scalar(select(WorkshopEvent).where(WorkshopEvent.id == invitation.event_id).with_for_update())
    db.session.refresh(invitation)
    if not open_for_replies(event, now):
        db.session.rollback()
        raise ReplyClosed()
    was = invitation.reply
    if coming and was not in (Reply.ACCEPTED.value, Reply.WAITING.value):
        full = event.capacity is not None and _places_taken(event) >= event.capacity
        invitation.reply = Reply.WAITING.value if full else Reply.ACCEPTED.value
        invitation.waiting_since = now if full else None
    elif not coming:
        invitation.reply, invitation.waiting_since = Reply.DECLINED.value, None
    invitation.replied_at = now
    if was == Reply.ACCEPTED.value and invitation.reply == Reply.DECLINED.value:
        _offer_place(event, links)
    db.session.commit()
    mail.dispatch()
    return invitation.reply


def _offer_place(event: WorkshopEvent, links: str) -> None:
    """Give a freed place to whoever joined the waiting list first."""
    first = db.session.scalar(select(Invitation).where(
        Invitation.event_id == event.id, Invitation.reply == Reply.WAITING.value)
        .order_by(Invitation.waiting_since, Invitation.id).limit(1))
    if first is not None:
        first.reply, first.waiting_since = Reply.ACCEPTED.value, None
        _queue("workshops.place_offered", first, db.session.get(Survey, event.survey_id), links)


def remind(event: WorkshopEvent, links: str, user=None) -> int:
    """Remind those who have not answered, and those with a place, of the event. Returns how many."""
    survey = db.session.get(Survey, event.survey_id)
    if not open_for_replies(event, utcnow()):
        raise ReplyClosed()
    reminded = list(db.session.scalars(select(Invitation).where(
        Invitation.event_id == event.id, Invitation.reply.in_((Reply.INVITED.value, Reply.ACCEPTED.value)))))
    for invitation in reminded:
        invitation.reminded_at = utcnow()
        _queue("workshops.reminder", invitation, survey, links)
    record("workshop.reminded", event, {"survey": survey.slug, "reminded": len(reminded)}, by=user)
    db.session.commit()
    mail.dispatch()
    return len(reminded)


def cancel(event: WorkshopEvent, user=None) -> int:
    """Cancel the event and tell everyone invited who has not declined. Returns how many were told."""
    survey = db.session.get(Survey, event.survey_id)
    event.cancelled_at = utcnow()
    told = list(db.session.scalars(select(Invitation).where(
        Invitation.event_id == event.id, Invitation.reply.in_((Reply.INVITED.value, Reply.ACCEPTED.value,
                                                                Reply.WAITING.value)))))
    for invitation in told:
        invitation.reply = Reply.CANCELLED.value
        mail.queue("workshops.cancelled", language=invitation.language, survey_id=survey.id,
                   params={"invitation_id": invitation.id})
    record("workshop.cancelled", event, {"survey": survey.slug, "told": len(told)}, by=user)
    db.session.commit()
    mail.dispatch()
    return len(told)


@dataclass(frozen=True)
class Places:
    capacity: int | None
    taken: int
    waiting: int
    declined: int
    no_answer: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


def places(event: WorkshopEvent) -> Places:
    counts = Counter(dict(db.session.execute(select(Invitation.reply, func.count()).where(
        Invitation.event_id == event.id).group_by(Invitation.reply)).all()))
    return Places(event.capacity, counts[Reply.ACCEPTED.value], counts[Reply.WAITING.value],
                  counts[Reply.DECLINED.value], counts[Reply.INVITED.value])


def invitations(event: WorkshopEvent) -> list[Invitation]:
    """Everyone invited, places first, then the waiting list in its order, then the rest."""
    order = {Reply.ACCEPTED.value: 0, Reply.WAITING.value: 1, Reply.INVITED.value: 2, Reply.DECLINED.value: 3,
             Reply.CANCELLED.value: 4}
    found = list(db.session.scalars(select(Invitation).where(Invitation.event_id == event.id)))
    return sorted(found, key=lambda i: (order[i.reply], i.waiting_since or i.invited_at, i.id))
