"""Tutorial 2: Different URLs lead to different functions."""

from expected import HTML, assert_hex_string


def test_index_handles_the_root_url(tut02):
    response = tut02.get("/")
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        200, HTML, "Hello world!")


def test_generate_handles_slash_generate_with_a_random_8_digit_string(tut02):
    first = assert_hex_string(tut02.get("/generate"), 8)
    second = assert_hex_string(tut02.get("/generate"), 8)
    assert first != second  # a new string each time it is called


def test_generate_takes_no_length_yet(tut02):
    assert tut02.get("/generate", params={"length": 16}).status_code == 404
