"""Publishing the outcome of a consultation ("We asked, you said, we did"): one chosen version's public
edition, with what staff did about it, and the responses whose authors agreed to publication, each accepted or
held by a moderator with a reason. Anything not published stays out of the public pages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from consult.auth.models import User
from consult.auth.services import record
from consult.extensions import db
from consult.principles.models import PUBLIC_EDITION, OutcomePublication, PrincipleDraft, ResponseModeration
from consult.responses.consent import quotable_responses
from consult.responses.models import Answer, Response
from consult.surveys.kinds import kind_of
from consult.surveys.models import Page, Question, Survey

PER_PAGE = 20
SHOWN = ("waiting", "accepted", "held")


class PublicationError(ValueError):
    pass


def publishable(draft: PrincipleDraft) -> bool:
    """A version may be published once its files are the public edition and are not being rendered again."""
    return draft.edition >= PUBLIC_EDITION and not draft.rerendering


def publication_of(survey: Survey) -> OutcomePublication | None:
    return db.session.get(OutcomePublication, survey.id)


def published_draft(survey: Survey) -> PrincipleDraft | None:
    publication = publication_of(survey)
    return db.session.get(PrincipleDraft, publication.draft_id) if publication else None


def publish(draft: PrincipleDraft, user: User, what_we_did: str) -> OutcomePublication:
    """Make this version the survey's published outcome (replacing any other), dated now."""
    if not publishable(draft):
        raise PublicationError(f"Version {draft.number} cannot be published: build a new version first")
    from consult.timeutil import utcnow

    publication = db.session.get(OutcomePublication, draft.survey_id) or OutcomePublication(survey_id=draft.survey_id)
    publication.draft_id, publication.what_we_did = draft.id, (what_we_did or "").strip()
    publication.published_at, publication.published_by = utcnow(), user.id
    db.session.add(publication)
    record("principles.published", draft, {"number": draft.number}, by=user)
    db.session.commit()
    return publication


def unpublish(survey: Survey, user: User) -> None:
    publication = publication_of(survey)
    if publication is not None:
        record("principles.unpublished", publication, {"draft_id": publication.draft_id}, by=user)
        db.session.delete(publication)
        db.session.commit()


@dataclass
class PublishedAnswer:
    title: str
    text: str


@dataclass
class ModeratedResponse:
    response: Response
    attribution: str
    answers: list[PublishedAnswer]
    moderation: ResponseModeration | None


def _consenting(survey: Survey):
    """Responses of the survey whose authors agreed to publication, as a subquery of response ids."""
    return quotable_responses(survey)


def moderation_counts(survey: Survey) -> dict[str, int]:
    consenting = _consenting(survey).subquery()
    decided = dict(db.session.execute(select(ResponseModeration.decision, func.count()).where(
        ResponseModeration.survey_id == survey.id).group_by(ResponseModeration.decision)).all())
    total = db.session.scalar(select(func.count()).select_from(consenting)) or 0
    return {"waiting": total - sum(decided.values()), "accepted": decided.get("accepted", 0),
            "held": decided.get("held", 0)}


def _page_query(survey: Survey, shown: str):
    query = select(Response).where(Response.survey_id == survey.id, Response.id.in_(_consenting(survey)))
    if shown == "waiting":
        return query.where(~Response.id.in_(select(ResponseModeration.response_id)))
    return query.join(ResponseModeration, ResponseModeration.response_id == Response.id).where(
        ResponseModeration.decision == shown)


def _presented(survey: Survey, responses: list[Response]) -> list[ModeratedResponse]:
    """Each response as it would be published: the attribution its author chose, and its answers to the
    principles and its free-text opinions, redacted. Facts about the respondent (name, organisation, contact,
    area) are never shown except as the attribution."""
    from consult.principles.loader import attribution_of
    from consult.redaction.services import redacted_texts

    ids = [r.id for r in responses]
    names = attribution_of(survey, ids)
    decisions = {m.response_id: m for m in db.session.scalars(
        select(ResponseModeration).where(ResponseModeration.response_id.in_(ids)))} if ids else {}
    rows = db.session.execute(select(Answer, Question, Page.title).join(Question, Question.id == Answer.question_id)
                              .join(Page, Page.id == Question.page_id).where(Answer.response_id.in_(ids))
                              .order_by(Answer.response_id, Page.position, Question.position)).all() if ids else []
    answers: dict[int, list[PublishedAnswer]] = {}
    final = redacted_texts([(answer.id, answer.text) for answer, question, _page in rows
                            if question.role != "principle" and kind_of(question).codable(question) and answer.text])
    for answer, question, page in rows:
        kind = kind_of(question)
        if question.role == "principle":
            line = kind.summary(question, {"value": answer.value, "text": answer.text})
        elif kind.codable(question) and answer.text:
            line = final[answer.id]
        else:
            continue
        if line:
            title = f"{page} – {question.title}" if page and page != question.title else question.title
            answers.setdefault(answer.response_id, []).append(PublishedAnswer(title, line))
    return [ModeratedResponse(r, names.get(r.id) or "Anonymous respondent", answers.get(r.id, []), decisions.get(r.id))
            for r in responses]


def moderation_page(survey: Survey, shown: str, page: int) -> tuple[list[ModeratedResponse], bool]:
    """(responses on this page, whether there is a next page) among those waiting, accepted or held."""
    query = _page_query(survey, shown if shown in SHOWN else "waiting").order_by(Response.id)
    found = list(db.session.scalars(query.offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    return _presented(survey, found[:PER_PAGE]), len(found) > PER_PAGE


def published_responses(survey: Survey, page: int) -> tuple[list[ModeratedResponse], bool]:
    return moderation_page(survey, "accepted", page)


def any_published_responses(survey: Survey) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(_page_query(survey, "accepted").subquery())))


def moderate(survey: Survey, response_id: int, decision: str, reason: str, user: User) -> ResponseModeration:
    """Accept (publish) or hold one response whose author agreed to publication, with the moderator's reason."""
    if decision not in ("accepted", "held"):
        raise PublicationError("Choose whether to publish or hold the response")
    response = db.session.scalar(select(Response).where(Response.id == response_id, Response.survey_id == survey.id,
                                                        Response.id.in_(_consenting(survey))))
    if response is None:
        raise PublicationError("That response cannot be published: its author did not agree, or it no longer exists")
    moderation = db.session.get(ResponseModeration, response_id) or ResponseModeration(response_id=response_id,
                                                                                       survey_id=survey.id)
    from consult.timeutil import utcnow

    moderation.decision, moderation.reason = decision, (reason or "").strip()
    moderation.decided_by, moderation.decided_at = user.id, utcnow()
    db.session.add(moderation)
    record("responses.moderated", response, {"decision": decision}, by=user)
    db.session.commit()
    return moderation


def outcome_summary(draft: PrincipleDraft) -> dict[str, Any]:
    """What the public outcome page shows from the published version: its summary and principles at a glance."""
    from consult.principles.services import edited_document

    document = edited_document(draft)
    return {"summary": document.get("executive_summary") or [], "principles": document["principles"],
            "barriers": document.get("barriers") or [], "demo": bool(document.get("demo"))}
