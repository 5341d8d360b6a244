"""Tutorial 5: Track my end-user's activity."""

from expected import HTML, assert_hex_string, assert_no_string_in_session


def test_index_shows_chapter_4s_form(tut05):
    response = tut05.get("/")
    assert (response.status_code, response.headers["Content-Type"]) == (200, HTML)
    assert '<form method="get" action="generate">' in response.text


def test_display_returns_the_string_generated_in_this_session(tut05, client_of):
    reader = client_of(tut05)
    generated = assert_hex_string(reader.get("/generate", params={"length": 10}), 10)
    response = reader.get("/display")
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        200, HTML, generated)


def test_display_follows_the_latest_string_generated(tut05, client_of):
    reader = client_of(tut05)
    reader.get("/generate")
    latest = assert_hex_string(reader.get("/generate"), 8)
    assert reader.get("/display").text == latest


def test_the_session_id_travels_in_a_cookie_that_stays_the_same(tut05, client_of):
    reader = client_of(tut05)
    reader.get("/generate")
    session_id = reader.cookies["session_id"]
    reader.get("/display")
    assert reader.cookies["session_id"] == session_id


def test_another_session_does_not_see_the_string(tut05, client_of):
    client_of(tut05).get("/generate")
    assert_no_string_in_session(client_of(tut05).get("/display"))


def test_display_before_generate_is_a_server_error(tut05, client_of):
    assert_no_string_in_session(client_of(tut05).get("/display"))
