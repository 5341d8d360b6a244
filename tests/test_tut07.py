"""Tutorial 7: Give us a REST."""

from expected import assert_hex_string, assert_plain, replay_pycon_session


def test_the_pycon_session_of_the_text_gives_the_same_answers(tut07, client_of):
    replay_pycon_session(client_of(tut07), "/")


def test_post_takes_a_length(tut07, client_of):
    assert_hex_string(client_of(tut07).post("/", params={"length": 5}), 5)


def test_get_accepts_a_client_that_accepts_text_plain(tut07, client_of):
    reader = client_of(tut07)
    generated = reader.post("/").text
    assert_plain(reader.get("/", headers={"Accept": "text/plain"}), generated)


def test_each_session_has_its_own_string(tut07, client_of):
    alice, bob = client_of(tut07), client_of(tut07)
    alice_string, bob_string = alice.post("/").text, bob.post("/").text
    assert alice.get("/").text == alice_string and bob.get("/").text == bob_string


def test_the_url_tree_is_gone_only_http_methods_are_exposed(tut07):
    assert tut07.get("/GET").status_code == 404
    patch = tut07.request("PATCH", "/")
    assert patch.status_code == 405
    assert patch.headers["Allow"] == "DELETE, GET, HEAD, POST, PUT"
