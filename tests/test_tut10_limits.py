"""Tutorial 10 against hostile input: what each bad request gets, and storage
bounded by live sessions."""
from urllib.parse import quote

import pytest
from clients import Client
from expected import (
    PLAIN,
    assert_hex_string,
    assert_plain,
    assert_plain_error,
    not_acceptable,
)
from servers import wait_for
from stored import query, stored_sessions

JSON = {"Accept": "application/json"}
LENGTH_RULE = "length must be a whole number from 1 to 22\n"
LONGEST = 10000  # characters, as the README states
TOO_LONG = "another_string may hold at most 10,000 characters\n"
SENT_TWICE = "another_string must be sent once, as text"


def post_length(reader, how, length):
    if how == "path":  # CherryPy calls POST('12') for POST /generator/12
        return reader.post("/generator/" + quote(length, safe=""))
    if how == "multipart":
        return reader.post("/generator", files={"length": (None, length)})
    return reader.post("/generator", **{how: {"length": length}})


HOW = ["params", "data", "multipart", "path"]
THOUSANDS_OF_DIGITS = {"5,000 digits": "9" * 5000, "5 after 5,000 zeros": "0" * 5000 + "5"}


@pytest.mark.parametrize("length", THOUSANDS_OF_DIGITS.values(), ids=THOUSANDS_OF_DIGITS.keys())
@pytest.mark.parametrize("how", HOW)
def test_a_length_of_thousands_of_digits_gets_the_tools_400_however_it_comes(
        tut10, client_of, how, length):  # int() refuses more than 4,300 digits: a 500
    response = post_length(client_of(tut10), how, length)
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        400, PLAIN, LENGTH_RULE)


BAD_LENGTHS = {"23": "23", "0": "0", "letters": "abc", "negative": "-1", "an exponent": "1e3",
               "NUL": "\x00", "an Arabic-Indic 3": "\u0663"}


@pytest.mark.parametrize("length", BAD_LENGTHS.values(), ids=BAD_LENGTHS.keys())
def test_a_bad_length_in_the_path_gets_the_tools_400_and_nothing_is_stored(
        tut10, client_of, length):
    reader = client_of(tut10)
    response = post_length(reader, "path", length)
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        400, PLAIN, LENGTH_RULE)
    assert reader.get("/generator").status_code == 404  # not even an empty string


@pytest.mark.parametrize("how", HOW)
def test_a_good_length_works_however_it_comes(tut10, client_of, how):
    reader = client_of(tut10)
    generated = assert_hex_string(post_length(reader, how, "5"), 5)
    assert_plain(reader.get("/generator"), generated)


@pytest.mark.parametrize("path", ["/generator/5?length=6", "/generator/5/6"])
def test_a_length_given_twice_with_the_path_gets_the_tools_400(tut10, client_of, path):
    response = client_of(tut10).post(path, headers=JSON)
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        400, PLAIN, LENGTH_RULE)


TWICE_OR_A_FILE = {
    "twice in the form": {"data": [("another_string", "a"), ("another_string", "b")]},
    "twice in the query": {"params": [("another_string", "a"), ("another_string", "b")]},
    "in the query and the form": {"params": {"another_string": "a"},
                                  "data": {"another_string": "b"}},
    "as a file": {"files": {"another_string": ("string.txt", b"a file")}},
}


@pytest.mark.parametrize("sent", TWICE_OR_A_FILE.values(), ids=TWICE_OR_A_FILE.keys())
def test_another_string_sent_twice_or_as_a_file_gets_400_and_changes_nothing(
        tut10, client_of, sent):
    reader = client_of(tut10)
    stored = reader.post("/generator").text
    assert_plain_error(reader.put("/generator", **sent), 400, SENT_TWICE)
    assert_plain(reader.get("/generator"), stored)


def test_a_string_of_the_longest_size_is_stored_whole(tut10, client_of):
    reader = client_of(tut10)
    longest = "🍒" * LONGEST  # 4 bytes each in UTF-8
    assert_plain(reader.put("/generator", data={"another_string": longest}), "")
    assert_plain(reader.get("/generator"), longest)


# A string that fits in a body of 128 kB gets the chapter's 413, naming its
# limit; a larger body gets cheroot's, before the chapter sees it.
BODY_TOO_LARGE = (413, "text/plain",
                  "The entity sent with the request exceeds the maximum allowed bytes.")


@pytest.mark.parametrize("size, expected", [(LONGEST + 1, (413, PLAIN, TOO_LONG)),
                                            (40_000, (413, PLAIN, TOO_LONG)),
                                            (5_000_000, BODY_TOO_LARGE)],
                         ids=["one more", "40,000", "5 MB"])
def test_a_longer_string_gets_413_and_changes_nothing(tut10, client_of, size, expected):
    reader = client_of(tut10)
    stored = reader.post("/generator").text
    response = reader.put("/generator", data={"another_string": "x" * size})
    assert (response.status_code, response.headers["Content-Type"], response.text) == expected
    assert_plain(reader.get("/generator"), stored)


NOT_ACCEPTABLE = not_acceptable("application/json;q=0")
ERRORS = {  # what a request gets: (method, path, request arguments, status, message)
    "no string yet": ("GET", "/generator", {}, 404,
                      "No string in this session: POST to make one."),
    "no string yet, at the JSON till": ("GET", "/generator", {"headers": JSON}, 404,
                                        "No string in this session: POST to make one."),
    "PUT without another_string": ("PUT", "/generator", {}, 404,
                                   "Missing parameters: another_string"),
    "a page that is not there": ("GET", "/nothing", {}, 404,
                                 "The path '/nothing' was not found."),
    "an HTTP method it has no code for": ("PATCH", "/generator", {}, 405,
                                          "Specified method is invalid for this resource"),
    "JSON refused at the plain till": (
        "GET", "/generator", {"headers": {"Accept": "application/json;q=0"}}, 406,
        NOT_ACCEPTABLE),
    "an error CherryPy did not expect": (  # a multipart body with no boundary
        "POST", "/generator", {"data": b"length=5",
                               "headers": {"Content-Type": "multipart/form-data"}}, 500,
        "The server encountered an unexpected condition which prevented it from "
        "fulfilling the request."),
}


@pytest.mark.parametrize("method, path, arguments, status, message", ERRORS.values(),
                         ids=ERRORS.keys())
def test_every_error_answer_is_its_message_as_plain_text_without_a_traceback(
        tut10, client_of, method, path, arguments, status, message):
    response = client_of(tut10).request(method, path, **arguments)
    assert_plain_error(response, status, message)


def test_the_traceback_of_an_unexpected_error_goes_to_the_log(tut10, client_of):
    boundary = "the-log-shows-this-" * 11  # CherryPy refuses a boundary over 200 characters
    response = client_of(tut10).post("/generator", data=b"length=5", headers={
        "Content-Type": "multipart/form-data; boundary=" + boundary})
    assert response.status_code == 500 and "Traceback" not in response.text
    assert f"ValueError: Invalid boundary in multipart form: {boundary!r}" in tut10.log()


# Strings go with their sessions


def sessions_with_a_string(folder):
    """The session ids of the strings in chapter 10's `folder`/my.db."""
    return {session_id for (session_id,) in query(folder, "SELECT session_id FROM session_string")}


# Sessions that expire half a second after their last use, and a cleanup every
# half second (both are in minutes, and CherryPy takes fractions).
SHORT_SESSIONS = {"/": {"tools.sessions.timeout": 0.5 / 60, "tools.sessions.clean_freq": 0.5 / 60}}


def start_early(pool, chapters):
    pool.start("tut10", app_config=SHORT_SESSIONS, spare=True)


def test_strings_go_with_their_sessions_when_the_cleanup_removes_them(new_server):
    """Twenty strings, each in a session of its own, until CherryPy's cleanup
    thread has removed their sessions."""
    server = new_server("tut10", app_config=SHORT_SESSIONS)
    made = []
    for _ in range(20):
        with Client(server.url) as reader:
            made.append(reader.post("/generator").status_code)
    # the cleanup deletes the sessions, then their strings: wait for both
    wait_for(lambda: not stored_sessions(server.folder) | sessions_with_a_string(server.folder),
             30, "the session cleanup, of the sessions and of their strings")
    assert made == [200] * 20
