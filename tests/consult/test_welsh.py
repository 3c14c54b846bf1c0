"""Welsh: the language switch, survey text per language, the language a response was given in (and the filter
on it), and the Welsh receipt and email."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from consult.extensions import db
from consult.responses.models import Response
from consult.surveys.services import DefinitionError, check_definition, load_file
from tests.factories import make_response, make_survey, survey_definition
from tests.smtp import MailServer, attachments, body

KIL = Path(__file__).resolve().parents[2] / "surveys" / "keep-it-local.yaml"
URL = "/s/keep-it-local"


@pytest.fixture
def kil(app):
    return load_file(KIL, open_survey=True).survey


def test_the_keep_it_local_survey_is_offered_in_welsh_awaiting_review(kil):
    version = kil.current_version
    assert version.definition["translations"]["cy"]["status"] == "awaiting review"
    welsh = version.translations["cy"]
    assert welsh["title"].startswith("Cadw’n Lleol")
    assert version.definition["title"].startswith("Keep it Local")  # every existing reader keeps English text
    assert "delete it once it is sent" in version.definition["introduction"]["privacy_notice"]


def test_the_switch_shows_welsh_pages_and_is_remembered(client, kil):
    english = client.get(f"{URL}/").get_data(as_text=True)
    assert '<html lang="en">' in english and 'hreflang="cy"' in english and "Cymraeg" in english
    page = client.get(f"{URL}/?lang=cy").get_data(as_text=True)
    assert '<html lang="cy">' in page and "Dechrau nawr" in page and "Cadw’n Lleol" in page
    assert "aros i gael ei wirio gan siaradwr Cymraeg" in page  # the translation awaits review
    assert 'href="/s/keep-it-local/accessibility"' in page and "Datganiad hygyrchedd" in page
    client.post(f"{URL}/start")
    question = client.get(f"{URL}/page/1").get_data(as_text=True)  # no ?lang: the session remembers
    assert '<html lang="cy">' in question and "Pa un o’r rhain sy’n eich disgrifio orau?" in question
    refused = client.post(f"{URL}/page/1", data={"action": "continue"}).get_data(as_text=True)
    assert "Mae problem wedi codi" in refused and "Dewiswch ateb" in refused and "Gwall:" in refused
    assert '<html lang="en">' in client.get(f"{URL}/page/1?lang=en").get_data(as_text=True)


def test_staff_pages_stay_english(client, kil, login):
    client.get(f"{URL}/?lang=cy")
    login("researcher")
    page = client.get("/workspace/keep-it-local/responses").get_data(as_text=True)
    assert '<html lang="en">' in page and "Cymraeg" not in page


def test_a_survey_without_welsh_stays_in_its_language(client):
    make_survey()
    page = client.get("/s/test-survey/?lang=cy").get_data(as_text=True)
    assert '<html lang="en">' in page and 'hreflang="cy"' not in page
    # Pages of no survey can be switched.
    assert '<html lang="cy">' in client.get("/accessibility?lang=cy").get_data(as_text=True)


def test_a_translated_survey_must_give_every_text_in_welsh():
    definition = survey_definition(translations={"cy": {"status": "awaiting review"}})
    definition["title"] = {"en": "A consultation", "cy": "Ymgynghoriad"}
    with pytest.raises(DefinitionError) as error:
        check_definition(definition)
    assert "pages/0/questions/0/title: give it in every language" in str(error.value)
    assert "pages/0/questions/0/label" not in str(error.value)
    plain = survey_definition()  # plain strings keep working
    check_definition(plain)


def test_responses_record_their_language_and_researchers_filter_by_it(client, kil, login):
    english = make_response(kil, {"respondent_type": {"value": "charity"}, "capacity": {"value": "individual"},
                                   "publish_consent": {"value": "anonymous"}, "contact_consent": {"value": "no"}})
    welsh = make_response(kil, {"respondent_type": {"value": "charity"}, "capacity": {"value": "individual"},
                                "publish_consent": {"value": "anonymous"}, "contact_consent": {"value": "no"}})
    welsh.language = "cy"
    db.session.commit()
    assert english.language == "en"
    login("researcher")
    page = client.get("/workspace/keep-it-local/responses?language=cy").get_data(as_text=True)
    assert welsh.reference in page and english.reference not in page
    assert 'option value="cy" selected' in page


def test_the_receipt_and_the_confirmation_email_are_in_welsh(app, client, kil):
    server = MailServer().start()
    app.config.update(SMTP_URL=server.url, MAIL_FROM="consultation@example.org")
    try:
        client.get(f"{URL}/?lang=cy")
        client.post(f"{URL}/start")
        answers = [(1, {"respondent_type": "charity"}), (2, {"capacity": "individual"}),
                   (7, {"local_authority": "cardiff"})]
        for number, data in answers:
            client.post(f"{URL}/page/{number}", data={"action": "continue", **data})
        # Jump to the consent pages: the rest are optional.
        for number, data in [(20, {"publish_consent": "anonymous"}), (22, {"contact_consent": "no"})]:
            client.post(f"{URL}/page/{number}", data={"action": "continue", **data})
        check = client.get(f"{URL}/check").get_data(as_text=True)
        assert "Gwiriwch eich atebion" in check and "Caerdydd" in check and "Anfonwch gopi ataf" in check
        token = check.split('name="submission_token" type="hidden" value="')[1].split('"')[0]
        sent = client.post(f"{URL}/submit", data={"submission_token": token, "email_copy": "ana@example.org"})
        confirmation = client.get(sent.location).get_data(as_text=True)
        assert "Ymateb wedi’i anfon" in confirmation and "Rydym yn anfon e-bost cadarnhau" in confirmation
        response = db.session.scalar(db.select(Response))
        assert response.language == "cy"
        [message] = server.inbox.to("ana@example.org")
        assert message["Subject"].startswith("Eich ymateb i Cadw’n Lleol")
        assert f"Eich cyfeirnod yw {response.reference}." in body(message)
        [(_name, _type, pdf)] = attachments(message)
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "Eich ymateb" in text and "Elusen" in text and "Caerdydd" in text
    finally:
        server.stop()


def test_the_language_kept_for_a_request_follows_in_language_and_the_next_request(app, client, kil):
    from flask import g

    from consult.i18n import IN_FORCE_KEY, current_language, gettext, in_language

    with client:
        client.get(f"{URL}/?lang=cy")
        assert current_language() == "cy" and gettext("Continue") == "Parhau"
        assert g.get(IN_FORCE_KEY)[0] == "cy"
        with in_language("en"):
            assert current_language() == "en" and gettext("Continue") == "Continue"
        assert current_language() == "cy" and gettext("Continue") == "Parhau"
        client.get(f"{URL}/?lang=en")  # the same app context: the next request chooses again
        assert current_language() == "en"


def test_only_consult_i18n_switches_flask_babels_language():
    """Flask-Babel's force_locale and refresh would leave consult.i18n's kept language behind: use in_language
    and consult.i18n.refresh."""
    root = Path(__file__).resolve().parents[2] / "consult"
    users = [path.relative_to(root).as_posix() for path in root.rglob("*.py")
             if any(name in path.read_text(encoding="utf-8") for name in ("force_locale", "import refresh"))]
    assert users == ["i18n.py"]
