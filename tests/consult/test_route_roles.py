"""Walk every route as nobody and as every role, and check who gets in.

A staff route declares its least role with @require(Role.X); the only routes without one are the
respondents' public pages listed here. A new route that forgets its role fails this test.
"""
from __future__ import annotations

import pytest

from consult.auth.models import RANK, Role
from tests.factories import PASSWORD, make_response, make_survey, make_user

PUBLIC = {"static", "healthz", "surveys.index", "surveys.start", "auth.login", "auth.logout"} | {
    f"responses.{name}" for name in ("start", "page", "check", "submit", "confirmation", "receipt", "receipt_pdf",
                                     "save", "resume", "email_code")} | {
    "accessibility.statement", "accessibility.survey_statement", "invitations.answer"} | {
    f"outcome.{name}" for name in ("show", "report", "report_pdf", "responses")}  # only what staff published
ROLES = [None, "staff", "researcher", "admin"]


def sample_url(app, rule) -> str:
    values = {arg: 1 for arg in rule.arguments}
    values.update({k: v for k, v in {"slug": "test-survey", "filename": "css/consult.css", "reference": "TST-0000-0000-0000",
                                       "number": 1, "key": "capacity", "kind": "pdf"}.items() if k in rule.arguments})
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def routes(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_route_is_public_or_declares_a_role(app):
    for rule in routes(app):
        view = app.view_functions[rule.endpoint]
        assert rule.endpoint in PUBLIC or isinstance(getattr(view, "required_role", None), Role), rule.endpoint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_routes(app, role):
    survey = make_survey()
    make_response(survey)
    client = app.test_client()
    if role:
        make_user(role)
        assert client.post("/login", data={"email": f"{role}@example.org", "password": PASSWORD}).status_code == 302
    checked = 0
    for rule in routes(app):
        required = getattr(app.view_functions[rule.endpoint], "required_role", None)
        if required is None or rule.endpoint == "auth.logout":
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(sample_url(app, rule), method=method)
        checked += 1
        if role is None:
            assert response.status_code == 302 and response.location.startswith("/login"), rule.endpoint
        elif RANK[Role(role)] < RANK[required]:
            assert response.status_code == 403, (rule.endpoint, role)
        else:
            assert response.status_code not in (302, 401, 403) or not (response.location or "").startswith("/login"), (rule.endpoint, role)
            assert response.status_code != 403 and response.status_code < 500, (rule.endpoint, role, response.status_code)
    assert checked >= 5


def test_find_themes_routes_let_staff_read_and_researchers_decide(app):
    """"Find themes" (issue 17): staff read the runs and proposals; starting a run and deciding on a proposal
    change the codebook, so they need a researcher."""
    expected = {"workspace.themes": Role.STAFF, "workspace.discovery_result": Role.STAFF,
                "workspace.proposal_answers": Role.STAFF, "workspace.discover": Role.RESEARCHER,
                "workspace.decide": Role.RESEARCHER}
    assert {endpoint: app.view_functions[endpoint].required_role for endpoint in expected} == expected


# Routes whose least role is not obvious from their page, checked by name (the walk above checks the rest).
LEAST_ROLE = {"coding.add_redaction": Role.RESEARCHER, "coding.change_redaction": Role.RESEARCHER}


def test_named_routes_need_their_least_role(app):
    for endpoint, role in LEAST_ROLE.items():
        assert app.view_functions[endpoint].required_role is role, endpoint
