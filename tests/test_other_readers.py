"""One reader's writes change that reader's string and nobody else's.

Readers A and B each make a string, B last; then A writes. B's string must
read back exactly as it was, and A's must be what the text says A's write made.
"""
import pytest
from expected import (
    ASSERT_NO_STRING,
    HEX_DIGITS,
    HTML,
    PLAIN,
    assert_hex_string,
    assert_plain,
    make_string,
    read_string,
    service_path,
)

WRITE_VERB_CHAPTERS = ["tut07", "tut08", "tut09", "tut10", "react"]  # react: chapter 9's code
# Chapters 5 and 6 write the session on GET /generate and show it at /display, as HTML.
STRING_CHAPTERS = ["tut05", "tut06"] + WRITE_VERB_CHAPTERS
CONTENT_TYPE = {"tut05": HTML, "tut06": HTML}
JSON = {"Accept": "application/json"}


def assert_string(response, chapter, string):
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        200, CONTENT_TYPE.get(chapter, PLAIN), string)


def two_readers_with_strings(server, client_of):
    """Readers A and B, each with a string of their own made, B's last; and B's string."""
    reader_a, reader_b = client_of(server), client_of(server)
    assert_hex_string(make_string(reader_a, server.name), 8)
    return reader_a, reader_b, assert_hex_string(make_string(reader_b, server.name), 8)


@pytest.mark.parametrize("chapter", STRING_CHAPTERS, indirect=True)
def test_a_readers_new_string_leaves_another_readers_string_as_it_was(chapter, client_of):
    name = chapter.name
    reader_a, reader_b, b_string = two_readers_with_strings(chapter, client_of)
    a_string = assert_hex_string(make_string(reader_a, name, params={"length": 12}), 12)
    assert_string(read_string(reader_b, name), name, b_string)
    assert_string(read_string(reader_a, name), name, a_string)


@pytest.mark.parametrize("chapter", WRITE_VERB_CHAPTERS, indirect=True)
def test_a_readers_put_leaves_another_readers_string_as_it_was(chapter, client_of):
    name = chapter.name
    reader_a, reader_b, b_string = two_readers_with_strings(chapter, client_of)
    assert_plain(reader_a.put(service_path(name), params={"another_string": "hello"}), "")
    assert_plain(read_string(reader_b, name), b_string)
    assert_plain(read_string(reader_a, name), "hello")


@pytest.mark.parametrize("chapter", WRITE_VERB_CHAPTERS, indirect=True)
def test_a_readers_delete_leaves_another_readers_string_as_it_was(chapter, client_of):
    name = chapter.name
    reader_a, reader_b, b_string = two_readers_with_strings(chapter, client_of)
    assert_plain(reader_a.delete(service_path(name)), "")
    assert_plain(read_string(reader_b, name), b_string)
    ASSERT_NO_STRING[name](read_string(reader_a, name))


@pytest.mark.parametrize("chapter", ["tut10"], indirect=True)
def test_writes_at_chapter_10s_json_till_leave_another_readers_string_as_it_was(
        chapter, client_of):
    reader_a, reader_b, b_string = two_readers_with_strings(chapter, client_of)
    posted = reader_a.post("/generator", headers=JSON, params={"length": 12})
    assert (posted.status_code, posted.headers["Content-Type"]) == (200, "application/json")
    a_string = posted.json()["string"]
    assert HEX_DIGITS.fullmatch(a_string) and len(a_string) == 12
    assert_plain(read_string(reader_b, "tut10"), b_string)
    assert_plain(read_string(reader_a, "tut10"), a_string)
    # The JSON till inherits PUT and DELETE from the plain-text till, undecorated.
    assert_plain(reader_a.put("/generator", headers=JSON, params={"another_string": "hello"}), "")
    assert_plain(read_string(reader_b, "tut10"), b_string)
    assert_plain(read_string(reader_a, "tut10"), "hello")
    assert_plain(reader_a.delete("/generator", headers=JSON), "")
    assert_plain(read_string(reader_b, "tut10"), b_string)
    ASSERT_NO_STRING["tut10"](read_string(reader_a, "tut10"))
