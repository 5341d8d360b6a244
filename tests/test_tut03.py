"""Tutorial 3: My URLs have parameters."""
import pytest
from expected import assert_hex_string


def test_length_in_the_query_string_sets_the_string_length(tut03):
    assert_hex_string(tut03.get("/generate?length=16"), 16)


def test_length_defaults_to_8_when_the_url_has_no_query_string(tut03):
    assert_hex_string(tut03.get("/generate"), 8)


@pytest.mark.parametrize("length", [1, 22])
def test_any_length_up_to_the_22_hex_digits_works(tut03, length):
    assert_hex_string(tut03.get("/generate", params={"length": length}), length)


def test_index_still_says_hello_world(tut03):
    response = tut03.get("/")
    assert (response.status_code, response.text) == (200, "Hello world!")
