"""What respondents allowed: whether their words may be quoted, and how (the publication consent question)."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from consult.extensions import db
from consult.responses.models import Answer, AnswerOption
from consult.surveys.models import Question, Survey, SurveyVersion

QUOTED_WITH_NAME, QUOTED_AS_ORGANISATION, QUOTED_ANONYMOUSLY = "with_name", "organisation_only", "anonymous"
QUOTABLE = frozenset({QUOTED_WITH_NAME, QUOTED_AS_ORGANISATION, QUOTED_ANONYMOUSLY})
CHUNK = 2000


def publication_question_ids(survey: Survey) -> list[int]:
    """Every version's rows of the consent question whose purpose is publication."""
    return list(db.session.scalars(select(Question.id).join(SurveyVersion).where(
        SurveyVersion.survey_id == survey.id, Question.kind == "consent")
        .where(Question.settings["purpose"].as_string() == "publication")))


def quotable(survey: Survey, response_ids: Sequence[int]) -> set[int]:
    """The responses whose authors agreed to be quoted (in any of the ways offered)."""
    questions = publication_question_ids(survey)
    found: set[int] = set()
    if not questions:  # nobody was asked, so nobody agreed
        return found
    for start in range(0, len(response_ids), CHUNK):
        found.update(response_id for response_id, value in db.session.execute(
            select(Answer.response_id, Answer.value).where(Answer.question_id.in_(questions),
                                                           Answer.response_id.in_(response_ids[start:start + CHUNK])))
            if value in QUOTABLE)
    return found


def quotable_responses(survey: Survey):
    """A select() of the ids of the responses whose authors agreed to be published or quoted (any way offered),
    for use as a subquery."""
    return (select(Answer.response_id).join(AnswerOption, AnswerOption.answer_id == Answer.id)
            .where(AnswerOption.question_id.in_(publication_question_ids(survey)),
                   AnswerOption.value.in_(sorted(QUOTABLE))))


def contact_question_ids(survey: Survey, purpose: str = "contact") -> list[int]:
    """Every version's rows of the consent question whose purpose is contact."""
    return list(db.session.scalars(select(Question.id).join(SurveyVersion).where(
        SurveyVersion.survey_id == survey.id, Question.kind == "consent")
        .where(Question.settings["purpose"].as_string() == purpose)))


def email_question_ids(survey: Survey) -> list[int]:
    """Every version's rows of the questions holding the respondent's email address."""
    return list(db.session.scalars(select(Question.id).join(SurveyVersion).where(
        SurveyVersion.survey_id == survey.id, or_(Question.kind == "email", Question.role == "contact_email"))))


def contactable_responses(survey: Survey):
    """A select() of the ids of the responses whose authors agreed to be contacted ("yes" to the contact consent
    question) and whose email address is still held (retention deletes it when the consultation closes)."""
    agreed = (select(Answer.response_id).join(AnswerOption, AnswerOption.answer_id == Answer.id)
              .where(AnswerOption.question_id.in_(contact_question_ids(survey)), AnswerOption.value == "yes"))
    with_address = select(Answer.response_id).where(Answer.question_id.in_(email_question_ids(survey)),
                                                    Answer.value.is_not(None))
    return agreed.where(Answer.response_id.in_(with_address))


def contact_email(response_id: int, survey: Survey) -> str | None:
    """The email address a respondent gave to be contacted, while it is held."""
    value = db.session.scalar(select(Answer.value).where(Answer.response_id == response_id,
                                                         Answer.question_id.in_(email_question_ids(survey))))
    return value if isinstance(value, str) and value else None
