"""Survey definition files: the schema, cross-checks, versions, states and the `consult surveys` commands."""
from __future__ import annotations

import json

import pytest
import yaml

from consult.extensions import db
from consult.responses import services as responses
from consult.responses.models import Answer, Response
from consult.surveys import local_authorities
from consult.surveys.languages import split
from consult.surveys.models import InvalidTransition, SurveyState
from consult.surveys.services import DefinitionError, check_definition, load_definition
from tests.factories import make_response, make_survey, survey_definition

KIL_PRINCIPLES = ["whole system", "neighbourhood", "local spend", "early intervention", "commit to the community",
                  "simply and collaboratively"]


def test_keep_it_local_definition_is_complete(kil_definition):
    kil_definition, _translations = split(kil_definition)  # its English text
    questions = {q["key"]: q for page in kil_definition["pages"] for q in page["questions"]}
    kinds = {q["kind"] for q in questions.values()}
    assert {"single_choice", "multiple_choice", "agree_scale", "long_text", "short_text", "local_authority",
            "consent", "email"} <= kinds
    types = {c["value"] for c in questions["respondent_type"]["choices"]}
    assert {"commissioner", "councillor", "council_officer", "community_organisation", "charity",
            "social_enterprise", "policy_expert", "member_of_public"} <= types
    assert questions["respondent_type"].get("other")
    assert [c["value"] for c in questions["publish_consent"]["choices"]] == [
        "with_name", "organisation_only", "anonymous", "not_published"]
    pages = " ".join((p.get("title") or "") + " " + (p.get("intro") or "") for p in kil_definition["pages"]).lower()
    for n, phrase in enumerate(KIL_PRINCIPLES, start=1):
        assert questions[f"principle_{n}_agreement"]["kind"] == "agree_scale"
        assert questions[f"principle_{n}_why"]["kind"] == "long_text"
        assert phrase in pages, phrase


def test_local_authorities_cover_england_and_wales():
    authorities = local_authorities.all_authorities()
    assert 330 <= len(authorities) <= 345
    assert sum(a.nation == "Wales" for a in authorities) == 22
    assert len({a.slug for a in authorities}) == len(authorities)
    names = {a.name for a in local_authorities.all_authorities()}
    assert {"Leeds", "Cardiff", "Cumberland", "Westmorland and Furness", "North Yorkshire", "Somerset"} <= names
    assert "Allerdale" not in names  # abolished in 2023


@pytest.mark.parametrize("change, problem", [
    (lambda d: d.pop("closes"), "'closes' is a required property"),
    (lambda d: d["pages"][0]["questions"][0].update(kind="slider"), "'slider' is not one of"),
    (lambda d: d["pages"][0]["questions"][0].pop("choices"), "'choices' is a required property"),
    (lambda d: d["pages"][1].update(show_if={"question": "nowhere", "equals": "x"}), "refers to 'nowhere'"),
    (lambda d: d["pages"][0].update(show_if={"question": "email", "equals": "x"}), "refers to 'email'"),
    (lambda d: d["pages"][3]["questions"].append(dict(d["pages"][0]["questions"][0])), "is used twice"),
    (lambda d: d.update(closes=d["opens"]), "closes: must be after opens"),
    (lambda d: d.update(slug="Not A Slug"), "does not match"),
])
def test_broken_definitions_are_refused_with_every_reason(change, problem):
    definition = survey_definition()
    change(definition)
    with pytest.raises(DefinitionError) as error:
        check_definition(definition)
    assert problem in str(error.value)


def test_reloading_the_same_version_changes_nothing(app):
    first = load_definition(survey_definition())
    again = load_definition(survey_definition() | {"opens": first.survey.current_version.definition["opens"],
                                                   "closes": first.survey.current_version.definition["closes"]})
    assert not again.created and again.version.id == first.version.id


def test_same_version_number_with_new_content_is_refused(app):
    load_definition(survey_definition())
    changed = survey_definition()
    changed["title"] = "Something else"
    with pytest.raises(DefinitionError, match="raise `version` to 2"):
        load_definition(changed)


def test_new_version_keeps_earlier_responses_and_drafts_on_their_version(app):
    survey = make_survey()
    old_response = make_response(survey)
    old_draft = responses.start_draft(survey)
    v2 = survey_definition(version=2)
    v2["pages"][0]["questions"][0]["title"] = "In what capacity are you responding?"
    v2["pages"][0]["questions"][0]["choices"].append({"value": "group", "label": "For an informal group"})
    del v2["pages"][3]  # the long 'story' question is dropped in version 2
    load_definition(v2, open_survey=True)
    db.session.expire_all()
    assert [v.number for v in survey.versions] == [1, 2]
    assert old_response.version.number == 1
    assert old_draft.version.number == 1
    keys = {a.question.key for a in old_response.answers}
    assert keys == {"capacity", "p1", "publish", "contact"}
    assert {q.key for q in survey.versions[0].questions} >= {"story"}
    assert "story" not in {q.key for q in survey.current_version.questions}
    new_response = make_response(survey, {"capacity": {"value": "group"}, "p1": {"value": "agree"},
                                          "publish": {"value": "anonymous"}, "contact": {"value": "no"}})
    assert new_response.version.number == 2
    titles = {a.response.version.number: a.question.title for a in db.session.scalars(db.select(Answer))
              if a.question.key == "capacity"}
    assert titles == {1: "How are you responding?", 2: "In what capacity are you responding?"}
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 2


def test_state_transitions_are_guarded(app):
    survey = make_survey(open_survey=False)
    assert survey.state == "draft"
    with pytest.raises(InvalidTransition):
        survey.transition(SurveyState.CLOSED)
    survey.transition(SurveyState.OPEN)
    survey.transition(SurveyState.CLOSED)
    with pytest.raises(InvalidTransition):
        survey.transition(SurveyState.DRAFT)
    survey.transition(SurveyState.OPEN)  # reopening (say, to extend) is allowed


def test_cli_load_list_open_close(runner, tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text(yaml.safe_dump(survey_definition("cli-survey")))
    result = runner.invoke(args=["surveys", "load", str(path)])
    assert result.exit_code == 0 and "Loaded cli-survey version 1 (13 questions), state draft" in result.output
    assert "Unchanged: cli-survey version 1" in runner.invoke(args=["surveys", "load", str(path), "--open"]).output
    listing = runner.invoke(args=["surveys", "list"]).output
    assert "cli-survey\topen\tv1" in listing and "0 responses" in listing
    closed = runner.invoke(args=["surveys", "close", "cli-survey"]).output
    assert "cli-survey is now closed" in closed and "campaigns" in closed
    assert "A closed survey cannot become closed" in runner.invoke(args=["surveys", "close", "cli-survey"]).output
    assert "No survey called 'nope'" in runner.invoke(args=["surveys", "open", "nope"]).output


def test_cli_load_reports_problems(runner, tmp_path):
    path = tmp_path / "broken.json"
    definition = survey_definition()
    del definition["introduction"]["privacy_notice"]
    path.write_text(json.dumps(definition))
    result = runner.invoke(args=["surveys", "load", str(path)])
    assert result.exit_code == 1
    assert "'privacy_notice' is a required property" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: [unclosed")
    assert "cannot be read" in runner.invoke(args=["surveys", "load", str(bad)]).output


def test_the_shipped_survey_loads_and_serves(app, client, kil_definition):
    load_definition(kil_definition, open_survey=True)
    page = client.get("/s/keep-it-local/").get_data(as_text=True)
    assert "Privacy notice" in page and "closes on" in page
    assert client.post("/s/keep-it-local/start").location.endswith("/s/keep-it-local/page/1")
    page = client.get("/s/keep-it-local/page/1").get_data(as_text=True)
    assert "Which of these best describes you?" in page and "Member of the public" in page
