"""Stopping a server: SIGTERM and Ctrl-C (SIGINT) stop a chapter cleanly,
chapter 9 drops its table, and chapter 10 starts again with the strings.

This module's name sorts last, so that SIGTERM goes to each chapter's shared
server after the other tests have used it: the stop that ends a reader's day.
Any order passes: a test that needs a chapter afterwards gets a new server.
Ctrl-C goes to a new server of the chapters whose own code runs at a stop (9,
10 and today's 10), of one that stops through `cherrypy.quickstart` alone (1),
and of one that also stops CherryPy's session clean-up (5). Every signal is
sent at once, and each chapter's outcome is its own: a chapter that does not
start fails its own tests only.
"""
import signal

import pytest
from clients import Client
from expected import assert_plain
from servers import DoesNotStart, has_a_traceback, needs_a_clean_stop
from stored import stored_sessions, table_names

EVERY_CHAPTER = [f"tut{number:02d}" for number in range(1, 11)] + ["react"]
CTRL_C_CHAPTERS = ["tut01", "tut05", "tut09", "tut10", "react"]
pytestmark = needs_a_clean_stop
# What CherryPy logs for each, before it stops the bus.
CAUGHT = {signal.SIGTERM: "ENGINE Caught signal SIGTERM.",
          signal.SIGINT: "ENGINE Keyboard Interrupt: shutting down bus"}


def start_early(pool, chapters):
    for name in chapters:
        if name in CTRL_C_CHAPTERS:
            pool.start_spare(name)


@pytest.fixture(scope="module")
def stops(pool, chapters_tested_here):
    """{(signal, chapter): (exit code, log after the signal, server)}: SIGTERM to
    each chapter's shared server, Ctrl-C to a new one, all sent at once; for
    chapter 10, also (its reader's cookies, the string stored just before, and
    the answer of the server started again in that folder)."""
    servers = {(signal.SIGTERM, name): pool.take(name)
               for name in chapters_tested_here if name in EVERY_CHAPTER}
    servers.update({(signal.SIGINT, name): pool.start(name)
                    for name in chapters_tested_here if name in CTRL_C_CHAPTERS})
    outcomes, stored = {}, {}
    for key, server in servers.items():
        try:
            server.ready()
        except DoesNotStart as failure:
            outcomes[key] = failure
            continue
        if key[1] == "tut10":
            with Client(server.url) as reader:
                stored[key] = reader.post("/generator").text, reader.cookies.copy()
        server.send(key[0])
    for key, server in servers.items():
        if key not in outcomes:
            outcomes[key] = (server.exit_code(), server.log()[server.log_mark:], server)
    again = {key: pool.start("tut10", folder=servers[key].folder) for key in stored}
    for key, (string, cookies) in stored.items():
        with Client(again[key].ready().url) as back:
            back.cookies.update(cookies)
            read_back = back.get("/generator")
            outcomes[key] += ((string, cookies["session_id"], read_back,
                               back.cookies["session_id"], stored_sessions(again[key].folder)),)
    return outcomes


def outcome(stops, signum, name):
    """The outcome of `signum` sent to chapter `name`; its failure to start, raised."""
    if isinstance(stops[signum, name], DoesNotStart):
        raise stops[signum, name]
    return stops[signum, name]


def assert_a_clean_stop(code, log, signum):
    assert code == 0, log
    assert not has_a_traceback(log), log
    assert CAUGHT[signum] in log
    assert "ENGINE Bus STOPPED" in log and "ENGINE Bus EXITED" in log


@pytest.mark.parametrize("name", EVERY_CHAPTER)
def test_sigterm_stops_the_server_with_exit_code_0_and_no_traceback(stops, name):
    code, log, *_ = outcome(stops, signal.SIGTERM, name)
    assert_a_clean_stop(code, log, signal.SIGTERM)


@pytest.mark.parametrize("name", CTRL_C_CHAPTERS)
def test_ctrl_c_stops_the_server_with_exit_code_0_and_no_traceback(stops, name):
    code, log, *_ = outcome(stops, signal.SIGINT, name)
    assert_a_clean_stop(code, log, signal.SIGINT)


@pytest.mark.parametrize("name", ["tut09"])
def test_tut09_drops_its_table_on_sigterm_and_on_ctrl_c(stops, name):
    terminated = outcome(stops, signal.SIGTERM, name)[2]
    interrupted = outcome(stops, signal.SIGINT, name)[2]
    assert (table_names(terminated.folder), table_names(interrupted.folder)) == ([], [])


@pytest.mark.parametrize("name", ["tut10"])
def test_tut10_starts_again_with_the_strings_and_sessions_stored_before(stops, name):
    for signum in (signal.SIGTERM, signal.SIGINT):
        string, session_id, read_back, session_id_after, sessions = outcome(stops, signum, name)[3]
        assert_plain(read_back, string)
        assert session_id_after == session_id and session_id in sessions
