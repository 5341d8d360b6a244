"""Content negotiation with the Accept headers real clients send.

Chapters 7-9 serve GET through CherryPy's accept tool with media='text/plain'
(cherrypy/lib/cptools.py, accept()): it reads every media range of the header,
most preferred first, skips those with q=0, and serves the first that is
`*/*`, `text/*` or exactly `text/plain`; if none is, it raises a 406 whose
message quotes the header. The text: "GET requests will only be responded to
clients that accept that content-type", and "we do this only for that HTTP
method". Today's chapter 10 runs tut09.py unchanged, so tut09 stands for it.

Chapter 10 (README, "2014's chapter 10, today's 11"): a request whose Accept
header names application/json (with q>0) goes to the JSON till; every other
request to the plain-text till, chapter 7's service with its accept tool.

Each header below carries what these rules make of it, worked out by hand.
"""
import html
from collections import namedtuple

import pytest
from expected import (
    HEX_DIGITS,
    HTML,
    assert_hex_string,
    assert_plain,
    assert_plain_error,
    service_path,
)

# An Accept header; whether the accept tool serves it text/plain (a range with
# q>0 is */*, text/* or text/plain); whether it names application/json with q>0
# (chapter 10's JSON till); and why, by those rules.
Header = namedtuple("Header", "value accepts_text_plain names_json why")

# jQuery 3.8.0 (public/js/) sends "*/*" when $.ajax has no dataType, as every
# call of chapter 8-10's page does; else accepts[dataType] + ", */*; q=0.01".
# Seen in Chromium 156: the chapter 8 page's POST, PUT and DELETE send "*/*";
# gen.js's POST (dataType 'text') "text/plain, */*; q=0.01", its PUT and DELETE "*/*".
CHROMIUM_NAVIGATION = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,"
                       "image/avif,image/webp,image/apng,*/*;q=0.8,"
                       "application/signed-exchange;v=b3;q=0.7")  # Chromium 156 opening a URL
# (earlier versions send the same without image/jxl)
HEADERS = {
    "requests-and-jquery-default": Header(
        "*/*", True, False, "*/* matches text/plain"),
    "jquery-datatype-text": Header(
        "text/plain, */*; q=0.01", True, False, "text/plain first"),
    "jquery-datatype-json": Header(
        "application/json, text/javascript, */*; q=0.01", True, True,
        "neither q=1 type is text/plain; */* at q=0.01 matches"),
    "chromium-navigation": Header(
        CHROMIUM_NAVIGATION, True, False, "no text/plain, but */* at q=0.8"),
    "plain-at-q0.5-json-at-q1": Header(
        "text/plain;q=0.5, application/json", True, True,
        "JSON preferred; text/plain at q=0.5 matches"),
    "html-json-at-q0.9-anything-at-q0.1": Header(
        "text/html, application/json;q=0.9, */*;q=0.1", True, True, "*/* last, at q=0.1"),
    "xml-then-any-text-at-q0.5": Header(
        "application/xml, text/*;q=0.5", True, False, "text/* matches text/plain"),
    "json-refused-plain-accepted": Header(
        "application/json;q=0, text/plain", True, False, "q=0 refuses JSON"),
    "json-only": Header(
        "application/json", False, True, "the text's 406"),
    "html-and-json-no-wildcard": Header(
        "text/html, application/json;q=0.9", False, True, "text/html is not text/plain"),
    "plain-refused-json-accepted": Header(
        "text/plain;q=0, application/json", False, True, "q=0 refuses text/plain"),
    "json-refused-only": Header(
        "application/json;q=0", False, False, "q=0 refuses the only type"),
    "anything-refused": Header(
        "*/*;q=0", False, False, "q=0 refuses even */*"),
}
# Today's chapter 10 (the `react` fixture) runs tut09.py itself, unchanged: the
# tut09 tests stand for it (every mutant of tut09.py tried failed both alike).
THE_TEXTS_ACCEPT_TOOL = ["tut07", "tut08", "tut09"]


def named(accepts_text_plain=None, names_json=None):
    """The ids of HEADERS with the given outcomes."""
    return [name for name, header in HEADERS.items()
            if accepts_text_plain in (None, header.accepts_text_plain)
            and names_json in (None, header.names_json)]


def not_acceptable(accept):
    """What CherryPy's accept tool says when it answers 406."""
    return (f"Your client sent this Accept header: {accept}. "
            "But this resource only emits these media types: text/plain.")


def assert_not_acceptable(response, accept):
    """CherryPy's 406 error page, quoting the header (HTML-escaped)."""
    assert (response.status_code, response.headers["Content-Type"]) == (406, HTML)
    assert html.escape(not_acceptable(accept), quote=False) in response.text


def assert_json_string(response, string):
    assert (response.status_code, response.headers["Content-Type"], response.json()) == (
        200, "application/json", {"string": string})


@pytest.mark.parametrize("header", named(accepts_text_plain=True))
@pytest.mark.parametrize("chapter", THE_TEXTS_ACCEPT_TOOL, indirect=True)
def test_get_serves_the_string_to_a_client_that_accepts_text_plain_anywhere_in_its_list(
        chapter, client_of, header):
    reader, accept = client_of(chapter), {"Accept": HEADERS[header].value}
    path = service_path(chapter.name)
    generated = assert_hex_string(reader.post(path, headers=accept), 8)  # POST has no accept tool
    assert_plain(reader.get(path, headers=accept), generated)


@pytest.mark.parametrize("header", named(accepts_text_plain=False))
@pytest.mark.parametrize("chapter", THE_TEXTS_ACCEPT_TOOL, indirect=True)
def test_get_answers_406_to_a_client_that_accepts_no_text_plain_but_not_the_other_verbs(
        chapter, client_of, header):
    reader, accept = client_of(chapter), {"Accept": HEADERS[header].value}
    path = service_path(chapter.name)
    assert_hex_string(reader.post(path, headers=accept), 8)
    assert_plain(reader.put(path, params={"another_string": "hello"}, headers=accept), "")
    assert_not_acceptable(reader.get(path, headers=accept), HEADERS[header].value)
    assert_plain(reader.delete(path, headers=accept), "")


@pytest.mark.parametrize("header", named(names_json=True))
@pytest.mark.parametrize("chapter", ["tut10"], indirect=True)
def test_chapter_10_serves_a_client_that_names_json_at_the_json_till(chapter, client_of, header):
    reader, accept = client_of(chapter), {"Accept": HEADERS[header].value}
    posted = reader.post("/generator", headers=accept)
    assert (posted.status_code, posted.headers["Content-Type"]) == (200, "application/json")
    generated = posted.json()["string"]
    assert HEX_DIGITS.fullmatch(generated) and len(generated) == 8
    assert_json_string(reader.get("/generator", headers=accept), generated)
    assert_plain(reader.get("/generator"), generated)  # the same string, at the plain-text till


@pytest.mark.parametrize("header", named(names_json=False, accepts_text_plain=True))
@pytest.mark.parametrize("chapter", ["tut10"], indirect=True)
def test_chapter_10_serves_every_other_client_at_the_plain_text_till(chapter, client_of, header):
    reader, accept = client_of(chapter), {"Accept": HEADERS[header].value}
    generated = assert_hex_string(reader.post("/generator", headers=accept), 8)
    assert_plain(reader.get("/generator", headers=accept), generated)


@pytest.mark.parametrize("header", named(names_json=False, accepts_text_plain=False))
@pytest.mark.parametrize("chapter", ["tut10"], indirect=True)
def test_chapter_10s_plain_till_answers_406_to_a_client_that_accepts_no_text_plain(
        chapter, client_of, header):
    reader, accept = client_of(chapter), {"Accept": HEADERS[header].value}
    generated = assert_hex_string(reader.post("/generator", headers=accept), 8)
    assert_plain_error(reader.get("/generator", headers=accept), 406, not_acceptable(
        HEADERS[header].value))  # chapter 10's error answers are plain text
    assert_plain(reader.get("/generator"), generated)
