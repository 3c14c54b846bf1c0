from tests.factories import make_survey


def test_start_page_shows_introduction(client):
    make_survey()
    page = client.get("/s/test-survey/").get_data(as_text=True)
    assert "We want to know what you think." in page
    assert "Start now" in page


def test_health(client):
    assert client.get("/healthz").data == b"ok"
