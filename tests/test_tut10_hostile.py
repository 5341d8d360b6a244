"""Tutorial 10 under hostile input, round two: what one request can cost
(body, Accept header), plain errors from the very start, lone surrogates, and
my.db bounded by live sessions (strings without a session, space given back).
The table of bad requests in docs/chapter-10.md is checked row by row."""
import http.client
import os
import re
import runpy
import socket
import sqlite3
import statistics
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from expected import PADDED_TO, PLAIN, assert_plain, assert_plain_error
from servers import wait_for
from stored import query, stored_sessions
from tables import table

LONGEST_BODY = 128 * 1024  # bytes, as docs/chapter-10.md states
LONGEST_HEADERS = 8 * 1024  # bytes, as docs/chapter-10.md states
LONGEST_ACCEPT = 1000  # characters, as docs/chapter-10.md states
BODY_TOO_LARGE = "The entity sent with the request exceeds the maximum allowed bytes."
HEADERS_TOO_LARGE = "The headers sent with the request exceed the maximum allowed bytes."
ACCEPT_TOO_LONG = "An Accept header may hold at most 1,000 characters"
LONE_SURROGATE = "another_string must be text without lone surrogates"
UNEXPECTED = ("The server encountered an unexpected condition which prevented it from "
              "fulfilling the request.")
FORM = "application/x-www-form-urlencoded"


def connection_to(server):
    address = urlsplit(server.url)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=10)


def answer(response):
    """(status, content type, body as text) of an http.client response."""
    return (response.status, response.getheader("Content-Type"),
            response.read().decode("utf-8"))


def head_only(server, method, path, headers, skip_host=False):
    """Send a request's line and headers, and no body: a server that waits
    for the body it was promised times out here (10 s)."""
    with closing(connection_to(server)) as connection:
        connection.putrequest(method, path, skip_host=skip_host, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        return answer(connection.getresponse())


def plain_error(status, message):
    """What chapter 10 answers with an error: its message on a line, padded."""
    return status, PLAIN, (message + "\n").ljust(PADDED_TO.get(status, 0))


# One request's body: at most 128 kB


def test_a_body_over_128_kB_gets_cheroots_413_before_it_is_read(tut10):
    assert head_only(tut10, "PUT", "/generator", {
        "Content-Type": FORM, "Content-Length": str(LONGEST_BODY + 1)}) == (
        413, "text/plain", BODY_TOO_LARGE)


def test_the_longest_string_fits_in_the_body_limit_as_a_multipart_form_too(tut10, client_of):
    reader = client_of(tut10)
    longest = "🍒" * 10000
    assert_plain(reader.put("/generator", files={"another_string": (None, longest)}), "")
    assert_plain(reader.get("/generator"), longest)


def chunks(body, size=65536):
    for start in range(0, len(body), size):
        piece = body[start:start + size]
        yield b"%x\r\n%s\r\n" % (len(piece), piece)
    yield b"0\r\n\r\n"


def send_put(server, body, chunked):
    """PUT a form `body` on a raw socket, whatever the server does meanwhile
    (it may answer and close before the body is all sent); its answer's bytes."""
    address = urlsplit(server.url)
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}"
    head = (f"PUT /generator HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n"
            f"Content-Type: {FORM}\r\n{length}\r\n\r\n").encode("ascii")
    with closing(socket.create_connection((address.hostname, address.port), timeout=10)) as s:
        try:
            s.sendall(head)
            for piece in (chunks(body) if chunked else [body]):
                s.sendall(piece)
        except OSError:  # the server stopped reading: its answer is there
            pass
        received = b""
        try:
            while piece := s.recv(65536):
                received += piece
        except ConnectionResetError:
            pass
        return received


def peak_memory_mb(pid):
    """The peak resident memory of process `pid` so far, in MB (Linux)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="the peak memory of a process is read from /proc/PID/status (Linux)")
def start_early(pool, chapters):
    for app_config in [None] * (2 + len(FILE_PARTS)) + [CLEANUP_EVERY_QUARTER_SECOND] * 2:
        pool.start("tut10", app_config=app_config, spare=True)


@pytest.mark.parametrize("chunked", [False, True], ids=["its length declared", "in chunks"])
def test_a_20_MB_body_of_percent_41s_leaves_the_server_under_200_MB(new_server, chunked):
    server = new_server("tut10")  # its own: the peak is this body's alone
    body = b"another_string=" + b"%41" * (20 * 1024 * 1024 // 3)
    status_line = send_put(server, body, chunked).split(b"\r\n", 1)[0]
    assert peak_memory_mb(server.process.pid) < 200
    assert status_line == (b"HTTP/1.1 500 Internal Server Error" if chunked  # CherryPy's
                           else b"HTTP/1.1 413 Request Entity Too Large")


def file_parts(count, boundary):
    return "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"another_string\"; "
                   "filename=\"f\"\r\n\r\nx\r\n" for _ in range(count)) + f"--{boundary}--\r\n"


FILE_PARTS = {  # 1,500 tiny file parts: a body of under 128 kB
    "in the form": (file_parts(1500, "b"), 400, "another_string must be sent once, as text"),
    "in a part of the form": (  # CherryPy then fails to read that part as text: its 500
        "--b\r\nContent-Disposition: form-data; name=\"another_string\"\r\n"
        "Content-Type: multipart/mixed; boundary=i\r\n\r\n" + file_parts(1500, "i")
        + "\r\n--b--\r\n", 500, UNEXPECTED),
}


@pytest.mark.skipif(not Path("/proc/self/fd").exists(),
                    reason="a process's open files are counted in /proc/PID/fd (Linux)")
@pytest.mark.parametrize("body, status, message", FILE_PARTS.values(), ids=FILE_PARTS.keys())
def test_thousands_of_file_parts_open_no_file(new_server, client_of, body, status, message):
    server = new_server("tut10")  # its own: no other test's connections come and go
    before = len(os.listdir(f"/proc/{server.process.pid}/fd"))
    response = client_of(server).put("/generator", data=body.encode("ascii"), headers={
        "Content-Type": "multipart/form-data; boundary=b"})
    assert len(os.listdir(f"/proc/{server.process.pid}/fd")) < before + 50  # not 1,500
    assert answer_of(response) == plain_error(status, message)


# The headers: at most 8 kB in all, and Accept at most 1,000 characters


def answered_in(server, path, headers):
    """The answer to a GET, and the median time it took of three."""
    timings, answers = [], set()
    for _ in range(3):
        started = time.monotonic()
        answers.add(answer_of(server.get(path, headers=headers)))
        timings.append(time.monotonic() - started)
    (answered,) = answers
    return answered, statistics.median(timings)


# Quotes and commas: CherryPy's slowest split, seconds for 16 kB once parsed.
SLOWEST_SPLIT = '",' * 8000
LONG_HEADERS = {"Accept, at /generator": ("/generator", {"Accept": SLOWEST_SPLIT}),
                "Content-Type, at /": ("/", {"Content-Type": SLOWEST_SPLIT})}


@pytest.mark.parametrize("path, headers", LONG_HEADERS.values(), ids=LONG_HEADERS.keys())
def test_a_16_kB_header_gets_cheroots_413_in_under_half_a_second(tut10, path, headers):
    answered, seconds = answered_in(tut10, path, headers)
    assert (answered, seconds < 0.5) == ((413, "text/plain", HEADERS_TOO_LARGE), True)


def test_headers_of_almost_8_kB_are_still_read(tut10):
    padding = "x" * (LONGEST_HEADERS - 500)  # the rest: the request line, requests' headers
    assert tut10.get("/", headers={"X-Padding": padding}).status_code == 200


def test_an_accept_header_of_7_kB_gets_431_in_under_half_a_second(tut10):
    answered, seconds = answered_in(tut10, "/generator", {"Accept": SLOWEST_SPLIT[:7000]})
    assert (answered, seconds < 0.5) == ((431, PLAIN, ACCEPT_TOO_LONG + "\n"), True)


def test_an_accept_header_of_1000_characters_is_still_read(tut10, client_of):
    reader = client_of(tut10)
    accept = "application/json, " + "text/plain;q=0.5, " * 50
    accept += "x" * (LONGEST_ACCEPT - len(accept))
    assert len(accept) == LONGEST_ACCEPT
    generated = reader.post("/generator", headers={"Accept": accept}).json()["string"]
    assert reader.get("/generator").text == generated


# Every error plain, those raised before the config applies too


BEFORE_DISPATCH = {  # headers, whether to leave Host out, what chapter 10 answers
    "an Accept CherryPy cannot read, in the tills": (
        "/generator", {"Accept": "application/json;q=abc"}, False,
        plain_error(400, "Malformed HTTP header: `application/json;q=abc`")),
    "a header CherryPy cannot decode, while reading the headers": (
        "/", {"X-A": "=?nope?q?x?="}, False, plain_error(500, UNEXPECTED)),
    "HTTP/1.1 without Host": (
        "/", {}, True, plain_error(400, "HTTP/1.1 requires a 'Host' request header.")),
}


@pytest.mark.parametrize("path, headers, skip_host, expected", BEFORE_DISPATCH.values(),
                         ids=BEFORE_DISPATCH.keys())
def test_an_error_before_the_config_applies_is_plain_text_without_a_traceback(
        tut10, path, headers, skip_host, expected):
    assert head_only(tut10, "GET", path, headers, skip_host) == expected


# A lone surrogate: 400


LONE_SURROGATES = {
    "utf-7": {"data": b"another_string=%2B2AA-",
              "headers": {"Content-Type": FORM + "; charset=utf-7"}},
    "unicode_escape": {"data": b"another_string=%5Cud800",
                       "headers": {"Content-Type": FORM + "; charset=unicode_escape"}},
    "a utf-7 multipart part": {
        "files": {"another_string": (None, b"+2AA-", "text/plain; charset=utf-7")}},
}


@pytest.mark.parametrize("sent", LONE_SURROGATES.values(), ids=LONE_SURROGATES.keys())
def test_a_lone_surrogate_gets_400_and_changes_nothing(tut10, client_of, sent):
    reader = client_of(tut10)
    stored = reader.post("/generator").text
    assert_plain_error(reader.put("/generator", **sent), 400, LONE_SURROGATE)
    assert_plain(reader.get("/generator"), stored)


# my.db: the strings of live sessions only, and no more space than they take


CLEANUP_EVERY_QUARTER_SECOND = {"/": {"tools.sessions.clean_freq": 0.25 / 60}}  # minutes: 0.25 s


def write(folder, sql, parameters=()):
    with closing(sqlite3.connect(folder / "my.db", timeout=10, isolation_level=None)) as db:
        db.execute(sql, parameters)


def strings(folder):
    return dict(query(folder, "SELECT session_id, value FROM session_string"))


def test_the_cleanup_removes_a_string_without_a_session_and_keeps_the_live_ones(
        new_server, client_of):
    server = new_server("tut10", app_config=CLEANUP_EVERY_QUARTER_SECOND)
    reader = client_of(server)
    live = reader.post("/generator").text
    write(server.folder, "INSERT INTO session_string VALUES ('left by a crash', 'orphan')")
    wait_for(lambda: "left by a crash" not in strings(server.folder), 30, "the cleanup")
    assert strings(server.folder) == {reader.cookies["session_id"]: live}
    assert_plain(reader.get("/generator"), live)


def test_a_string_stored_by_a_running_request_survives_a_cleanup_meanwhile(
        pool, tmp_path, monkeypatch):
    """The request has stored its string, and CherryPy saves sessions only at
    the end of a request: a cleanup that runs in between keeps the string."""
    import cherrypy
    from cherrypy.process.wspbus import Bus
    tut10 = runpy.run_path(str(pool.root / "tut10.py"))
    crew = tut10["DatabasePlugin"](Bus(), str(tmp_path / "my.db"))
    crew.start()

    def session(session_id):  # as a request holds it, loaded and empty
        held = tut10["DatabaseSession"].__new__(tut10["DatabaseSession"])
        held.id_observers, held.db, held.id = [], crew, session_id
        held._data, held.loaded, held.timeout = {}, True, 60
        return held

    monkeypatch.setattr(cherrypy, "session", session("running"), raising=False)
    try:
        tut10["StringGeneratorWebService"](crew).store("abc")
        session("cleanup").clean_up()  # before the request ends
    finally:
        crew.stop()
    assert strings(tmp_path) == {"running": "abc"}


def test_my_db_gives_the_space_back_once_the_cleanup_has_run(new_server, client_of):
    server = new_server("tut10", app_config=CLEANUP_EVERY_QUARTER_SECOND)
    database = server.folder / "my.db"
    empty = database.stat().st_size
    for _ in range(10):  # 400 kB of strings, each in a session of its own
        assert client_of(server).put("/generator", data={"another_string": "🍒" * 10000}
                                     ).status_code == 200
        assert database.stat().st_size > empty + 30_000  # 40 kB, in pages of 4 kB
    write(server.folder, "UPDATE session SET expires = 0")  # every session out of date
    wait_for(lambda: not stored_sessions(server.folder), 30, "the session cleanup")
    wait_for(lambda: database.stat().st_size <= empty, 10, "my.db back to its size")


def test_a_my_db_made_by_an_older_tut10_gives_space_back_too(new_server, tmp_path):
    folder = tmp_path / "older"
    folder.mkdir()
    write(folder, "CREATE TABLE session_string (session_id TEXT PRIMARY KEY, value TEXT)")
    assert query(folder, "PRAGMA auto_vacuum") == [(0,)]
    new_server("tut10", folder=folder)
    assert query(folder, "PRAGMA auto_vacuum") == [(1,)]  # FULL


# The table of bad requests in docs/chapter-10.md, against the live server


BAD_REQUESTS = ("docs/chapter-10.md", "## What each bad request gets")
CELL_CODE = re.compile(r"``\s?(.+?)\s?``|`([^`]+)`")  # ``a `b` `` is "a `b`"


def form_put(reader, **arguments):
    reader.post("/generator")
    return reader.put("/generator", **arguments)


def raw(method, path, headers, skip_host=False):
    return lambda server, reader: head_only(server, method, path, headers, skip_host)


def by(request):
    return lambda server, reader: answer_of(request(reader))


def answer_of(response):
    return response.status_code, response.headers["Content-Type"], response.text


BAD_LENGTH = ("a bad `length` (not 1–22, not ASCII digits, five digits or more, given twice, "
              "or as a file), in the query, the form or the path")
NOT_PADDED = {BAD_LENGTH}  # the tool sets the body itself: CherryPy does not pad it
SENT = {  # the "You send" cell of each row: a request that sends it
    BAD_LENGTH: by(lambda reader: reader.post("/generator/23")),
    "`another_string` twice, or as a file":
        by(lambda reader: form_put(reader, data=[("another_string", "a")] * 2)),
    "`another_string` of more than 10,000 characters":
        by(lambda reader: form_put(reader, data={"another_string": "x" * 10001})),
    "`another_string` holding a lone surrogate (half of a UTF-16 pair: a form in "
    "`charset=utf-7` sends one as `+2AA-`)":
        by(lambda reader: form_put(reader, **LONE_SURROGATES["utf-7"])),
    "a form field that is itself a multipart body (`multipart/mixed`)":
        by(lambda reader: form_put(reader, data=FILE_PARTS["in a part of the form"][0].encode(),
                                   headers={"Content-Type": "multipart/form-data; boundary=b"})),
    "a query string that starts like an image map, such as `?1,2x`, at any URL":
        by(lambda reader: reader.get("/static/css/style.css?1,2x")),
    "a PUT without `another_string`": by(lambda reader: reader.put("/generator")),
    "a GET with no string in the session": by(lambda reader: reader.get("/generator")),
    "a request body over 128 kB (131,072 bytes), its length declared":
        raw("PUT", "/generator", {"Content-Type": FORM, "Content-Length": "131073"}),
    "a request body over 128 kB sent in chunks, its length not declared":
        lambda server, reader: answer_of_bytes(
            send_put(server, b"another_string=" + b"x" * LONGEST_BODY, chunked=True)),
    "a request line and headers of more than 8 kB (8,192 bytes), at any URL":
        raw("GET", "/", {"X-Padding": "x" * LONGEST_HEADERS}),
    "an `Accept` header of more than 1,000 characters, at `/generator`":
        raw("GET", "/generator", {"Accept": "text/plain," * 100 + "*"}),
    "an `Accept` header CherryPy cannot read, such as `application/json;q=abc`, at "
    "`/generator`": raw("GET", "/generator", {"Accept": "application/json;q=abc"}),
    "a header CherryPy cannot decode, such as `X-A: =?nope?q?x?=`, at any URL":
        raw("GET", "/", {"X-A": "=?nope?q?x?="}),
    "an HTTP/1.1 request without a `Host` header": raw("GET", "/", {}, skip_host=True),
}


def answer_of_bytes(received):
    head, _, body = received.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    content_type = re.search(rb"\r\nContent-Type: ([^\r]+)", head).group(1).decode()
    return status, content_type, body.decode("utf-8")


def bad_request_rows():
    return [(sent, got) for sent, got in table(*BAD_REQUESTS)]


def test_the_table_of_bad_requests_has_a_request_for_each_row():
    assert [sent for sent, _ in bad_request_rows()] == list(SENT)


@pytest.mark.parametrize("sent, got", bad_request_rows(),
                         ids=[f"row {number}" for number in range(1, len(bad_request_rows()) + 1)])
def test_each_bad_request_gets_what_the_table_says(tut10, client_of, sent, got):
    status, message = [double or single for double, single in CELL_CODE.findall(got)][:2]
    if "from cheroot" in got:  # cheroot's own answer: text/plain, the message alone
        expected = int(status), "text/plain", message
    elif sent in NOT_PADDED:
        expected = int(status), PLAIN, message + "\n"
    else:
        expected = plain_error(int(status), message)
    assert SENT[sent](tut10, client_of(tut10)) == expected
