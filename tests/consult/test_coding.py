"""The coding screen: whole-answer and passage codes, memo, flag, next uncoded, blind samples, suggestions."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.auth.models import RANK, AuditEvent, Role
from consult.coding import assignments, samples, services, suggestions
from consult.coding.models import AnswerNote, CodeAssignment, Coder
from consult.extensions import db
from tests.factories import PASSWORD, make_response, make_survey, make_user

BASE = {"capacity": {"value": "individual", "text": None}, "p1": {"value": "agree", "text": None},
        "publish": {"value": "anonymous", "text": None}, "contact": {"value": "no", "text": None}}


def answer_with(survey, text, key="story"):
    response = make_response(survey, {**BASE, key: {"value": None, "text": text}})
    return next(a for a in response.answers if a.question.key == key)


def test_coding_routes_declare_roles_and_never_fail(app):
    survey = make_survey()
    answer = answer_with(survey, "Local firms know the area")
    theme = services.create_theme(survey, "Local knowledge")
    for role in ("staff", "researcher", "admin"):
        make_user(role)
        client = app.test_client()
        assert client.post("/login", data={"email": f"{role}@example.org", "password": PASSWORD}).status_code == 302
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("coding."):
                continue
            view = app.view_functions[rule.endpoint]
            values = {arg: 1 for arg in rule.arguments}
            values.update(slug="test-survey", answer_id=answer.id, theme_id=theme.id)
            url = app.url_for(rule.endpoint, **{k: v for k, v in values.items() if k in rule.arguments})
            method = "GET" if "GET" in rule.methods else "POST"
            status = client.open(url, method=method).status_code
            if RANK[Role(role)] < RANK[view.required_role]:
                assert status == 403, (rule.endpoint, role)
            else:
                assert status < 500 and status != 403, (rule.endpoint, role, status)
