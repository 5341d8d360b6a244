"""Tutorial 10: Organize my code: the tills, the discount and the crew at work."""
import datetime
import http.client
import re
import runpy
import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from clients import Client, connected
from expected import (
    HTML,
    PLAIN,
    assert_hex_string,
    assert_no_string_404,
    assert_plain,
    replay_pycon_session,
)
from stored import query, stored_sessions, table_names

JSON = {"Accept": "application/json"}
LENGTH_RULE = "length must be a whole number from 1 to 22\n"
BAD_LENGTHS = ["abc", "", "0", "-1", "23", "1.5", ["3", "4"], "12345678901234567890", "\u00b2"]
OPENED = re.compile(r"ENGINE Opened database connection (\d+) for (.+)")


WITHOUT_THE_TOOL = {"/generator": {"tools.check_length.on": False}}


def start_early(pool, chapters):
    for app_config in (None, WITHOUT_THE_TOOL):  # to flood, and without the tool
        pool.start("tut10", app_config=app_config, spare=True)


def assert_json_string(response, string):
    assert (response.status_code, response.headers["Content-Type"], response.json()) == (
        200, "application/json", {"string": string})


def test_the_pycon_session_of_chapter_7_holds_but_json_has_a_till_of_its_own(tut10, client_of):
    replay_pycon_session(client_of(tut10), "/generator",
                         assert_no_string=assert_no_string_404, assert_json=assert_json_string)


# The tills: TillDispatcher


def test_a_client_that_accepts_json_is_served_at_the_json_till(tut10, client_of):
    reader = client_of(tut10)
    generated = reader.post("/generator", headers=JSON, params={"length": 5}).json()["string"]
    assert len(generated) == 5
    assert_json_string(reader.get("/generator", headers=JSON), generated)


@pytest.mark.parametrize("accept", [None, "*/*", "text/plain", "text/*",
                                    "application/json;q=0, text/plain"])
def test_every_other_client_is_served_at_the_plain_text_till(tut10, client_of, accept):
    reader = client_of(tut10)
    reader.headers.pop("Accept")
    headers = {"Accept": accept} if accept else {}
    generated = assert_hex_string(reader.post("/generator", headers=headers), 8)
    assert_plain(reader.get("/generator", headers=headers), generated)


def test_json_refused_with_q_0_goes_to_the_plain_till_which_answers_406(tut10):
    response = tut10.get("/generator", headers={"Accept": "application/json;q=0"})
    assert response.status_code == 406


def test_the_tills_serve_only_generator_the_page_is_still_html(tut10):
    response = tut10.get("/", headers=JSON)
    assert (response.status_code, response.headers["Content-Type"]) == (200, HTML)


def test_the_json_till_is_reached_by_the_accept_header_only_not_by_a_url(tut10, client_of):
    reader = client_of(tut10)
    generated = reader.post("/generator").text
    for path in ("/generator/json", "/json", "/generator/JsonStringGeneratorWebService"):
        assert reader.get(path).status_code == 404, path
    assert_plain(reader.get("/generator"), generated)


def test_the_http_method_still_picks_the_handler_at_both_tills(tut10):
    for headers in ({}, JSON):
        response = tut10.request("PATCH", "/generator", headers=headers)
        assert response.status_code == 405
        assert response.headers["Allow"] == "DELETE, GET, HEAD, POST, PUT"


# The discount: the check_length tool


@pytest.mark.parametrize("length", BAD_LENGTHS, ids=repr)
@pytest.mark.parametrize("headers", [{}, JSON], ids=["plain", "json"])
def test_a_bad_length_gets_400_saying_what_is_allowed(tut10, client_of, length, headers):
    response = client_of(tut10).post("/generator", params={"length": length}, headers=headers)
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        400, PLAIN, LENGTH_RULE)


def test_a_bad_length_in_a_form_body_gets_400_too(tut10, client_of):
    response = client_of(tut10).post("/generator", data={"length": "abc"})
    assert (response.status_code, response.text) == (400, LENGTH_RULE)


@pytest.mark.parametrize("length", ["1", "8", "22", "08"])
def test_a_good_length_passes_to_the_handler(tut10, client_of, length):
    assert_hex_string(client_of(tut10).post("/generator", params={"length": length}), int(length))


def test_no_length_means_8_as_before(tut10, client_of):
    assert_hex_string(client_of(tut10).post("/generator"), 8)


def test_with_the_tool_switched_off_a_bad_length_is_a_500_again(new_server, client_of):
    without_the_tool = new_server("tut10", app_config=WITHOUT_THE_TOOL)
    for length in ("abc", "23"):
        response = client_of(without_the_tool).post("/generator", params={"length": length})
        assert response.status_code == 500
    assert_hex_string(client_of(without_the_tool).post("/generator", params={"length": 3}), 3)


# The crew: DatabasePlugin


def test_the_tables_exist_once_the_server_has_started(tut10):
    assert table_names(tut10.folder) == ["session_string", "session"]


def files_under(folder):
    return sorted(path.relative_to(folder) for path in folder.rglob("*"))


def test_requests_that_never_use_their_session_leave_no_file_and_no_row(new_server):
    """300 of them, on a server of its own, so that nothing else writes in its folder."""
    server = new_server("tut10")
    before = files_under(server.folder), stored_sessions(server.folder)
    paths = ["/", "/static/css/style.css", "/generator"]  # no cookie: a new session each
    address = urlsplit(server.url)
    statuses = Counter()
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    with closing(connection):
        for number in range(300):
            connection.request("GET", paths[number % 3])
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
    assert statuses == {200: 200, 404: 100}  # GET /generator: no string in this session
    assert (files_under(server.folder), stored_sessions(server.folder)) == before


def open_database_files(pid, database):
    """How many file descriptors of process `pid` point at `database` (Linux /proc)."""
    fds = Path(f"/proc/{pid}/fd")
    return sum(1 for fd in fds.iterdir() if fd.resolve() == database.resolve())


def test_each_server_thread_uses_one_connection_of_its_own(tut10, client_of):
    clients = [connected(client_of(tut10)) for _ in range(20)]
    everyone_ready = threading.Barrier(len(clients), timeout=10)

    def generate_then_read(reader):
        everyone_ready.wait()  # all twenty at once
        stored = reader.post("/generator").text
        return stored, reader.get("/generator").text

    with ThreadPoolExecutor(len(clients)) as pool:
        for stored, read in pool.map(generate_then_read, clients):
            assert stored == read

    opened = OPENED.findall(tut10.log())
    threads = [thread for _, thread in opened]
    assert len(set(threads)) == len(threads) > 1  # no thread opened a second one
    assert [int(number) for number, _ in opened] == list(range(1, len(opened) + 1))
    if Path("/proc/self/fd").exists():  # and every one is still open, reused
        assert open_database_files(tut10.process.pid, tut10.folder / "my.db") == len(opened)


def test_the_plugin_gives_a_thread_the_same_connection_and_stop_closes_each(pool, tmp_path):
    from cherrypy.process.wspbus import Bus
    tut10 = runpy.run_path(str(pool.root / "tut10.py"))
    crew = tut10["DatabasePlugin"](Bus(), str(tmp_path / "my.db"))
    crew.start()
    together = threading.Barrier(3, timeout=10)
    connections = {}

    def use_twice():
        together.wait()  # all three threads alive at once
        connections[threading.current_thread().name] = (crew.connection(), crew.connection())

    workers = [threading.Thread(target=use_twice) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert len(connections) == 3
    assert all(first is second for first, second in connections.values())
    assert len({id(first) for first, _ in connections.values()}) == 3
    crew.stop()
    for connection, _ in connections.values():
        with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
            connection.execute("SELECT 1")


def test_sessions_are_stored_whole_and_the_cleanup_forgets_only_expired_ones_and_their_strings(
        pool, tmp_path):
    from cherrypy.process.wspbus import Bus
    tut10 = runpy.run_path(str(pool.root / "tut10.py"))
    crew = tut10["DatabasePlugin"](Bus(), str(tmp_path / "my.db"))
    crew.start()

    def session(session_id):  # as a request would hold it, without one
        held = tut10["DatabaseSession"].__new__(tut10["DatabaseSession"])
        held.id_observers, held.db, held.id = [], crew, session_id
        return held

    now = datetime.datetime.now()
    expired, live = now - datetime.timedelta(seconds=1), now + datetime.timedelta(minutes=60)
    for session_id, expires in [("expired", expired), ("live", live)]:
        stored = session(session_id)
        stored._data = {"seen": True, "by": session_id}
        stored._save(expires)
        crew.connection().execute("INSERT INTO session_string VALUES (?, ?)",
                                  [session_id, "the string of " + session_id])
    assert session("live")._load() == ({"seen": True, "by": "live"}, live)
    session("any").clean_up()
    assert (session("expired")._exists(), session("live")._exists()) == (False, True)
    crew.stop()
    assert stored_sessions(tmp_path) == {"live"}
    assert query(tmp_path, "SELECT session_id FROM session_string") == [("live",)]
