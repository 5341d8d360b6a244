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
import re
from collections import namedtuple

import pytest
from expected import (
    HTML,
    PADDED_TO,
    PLAIN,
    assert_hex_string,
    assert_plain,
    not_acceptable,
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
THE_TEXTS_ACCEPT_TOOL = ["tut07", "tut08", "tut09"]  # and today's 10, tut09.py unchanged
ERROR_MESSAGE = re.compile(r"<p>(.*)</p>")  # in CherryPy's error page


def answer(response):
    """What a client gets: status, content type, and the body (JSON parsed;
    of CherryPy's HTML error page, the message)."""
    content_type = response.headers["Content-Type"]
    if content_type == "application/json":
        return response.status_code, content_type, response.json()
    if content_type == HTML:
        return response.status_code, content_type, ERROR_MESSAGE.search(response.text).group(1)
    return response.status_code, content_type, response.text


def html_not_acceptable(header):
    """CherryPy's 406 page for `header`, its message HTML-escaped."""
    return 406, HTML, html.escape(not_acceptable(header), quote=False)


def plain_not_acceptable(header):
    """Chapter 10's 406: the same message as plain text, padded as CherryPy pads errors."""
    return 406, PLAIN, (not_acceptable(header) + "\n").ljust(PADDED_TO[406])


def answers_to_each_header(reader, path):
    return {name: answer(reader.get(path, headers={"Accept": header.value}))
            for name, header in HEADERS.items()}


@pytest.mark.parametrize("chapter", THE_TEXTS_ACCEPT_TOOL, indirect=True)
def test_get_answers_each_header_text_plain_if_it_accepts_that_anywhere_else_406(
        chapter, client_of):
    reader, path = client_of(chapter), service_path(chapter.name)
    generated = assert_hex_string(reader.post(path), 8)
    assert answers_to_each_header(reader, path) == {
        name: (200, PLAIN, generated) if header.accepts_text_plain else html_not_acceptable(header.value)
        for name, header in HEADERS.items()}


@pytest.mark.parametrize("chapter", THE_TEXTS_ACCEPT_TOOL, indirect=True)
def test_post_put_and_delete_serve_a_client_that_get_refuses(chapter, client_of):
    reader, path = client_of(chapter), service_path(chapter.name)
    refused = {"Accept": "application/json"}  # the text's example of a 406
    assert_hex_string(reader.post(path, headers=refused), 8)
    assert_plain(reader.put(path, params={"another_string": "hello"}, headers=refused), "")
    assert_plain(reader.delete(path, headers=refused), "")


@pytest.mark.parametrize("chapter", ["tut10"], indirect=True)
def test_chapter_10_answers_json_to_each_header_naming_it_else_as_chapter_7(chapter, client_of):
    reader = client_of(chapter)
    generated = assert_hex_string(reader.post("/generator"), 8)  # "*/*", as the page sends
    assert answers_to_each_header(reader, "/generator") == {
        name: (200, "application/json", {"string": generated}) if header.names_json
        else (200, PLAIN, generated) if header.accepts_text_plain
        else plain_not_acceptable(header.value)  # chapter 10's errors are plain text
        for name, header in HEADERS.items()}
