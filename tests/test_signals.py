"""Stopping a server: SIGTERM and Ctrl-C (SIGINT) stop a chapter cleanly,
chapter 9 drops its table, and chapter 10 starts again with the strings.

SIGTERM goes to every chapter's shared server, all at once, so that the run
waits for one shutdown: these tests go last (any order passes: a test that
needs a chapter afterwards gets a new server). Ctrl-C goes to a fresh server of
the chapters whose own code runs at a stop (9, 10 and today's 10), of one
chapter that stops through `cherrypy.quickstart` alone (1), and of one that
also stops CherryPy's session clean-up (5); each in a background scenario.
Every server was started with SIGINT ignored, as a script's background job
starts it (servers.as_a_background_job): Ctrl-C stopping each one shows that
the suite passes when started that way too.
"""
import signal
from types import SimpleNamespace

import pytest
from clients import Client
from expected import assert_plain
from servers import background, chapters_tested_in, has_a_traceback, needs_a_clean_stop
from stored import stored_sessions, table_names

EVERY_CHAPTER = [f"tut{number:02d}" for number in range(1, 11)] + ["react"]
CTRL_C_CHAPTERS = ["tut01", "tut05", "tut09", "tut10", "react"]
pytestmark = [needs_a_clean_stop, pytest.mark.stops_shared_servers]
# What CherryPy logs for each, before it stops the bus.
CAUGHT = {signal.SIGTERM: "ENGINE Caught signal SIGTERM.",
          signal.SIGINT: "ENGINE Keyboard Interrupt: shutting down bus"}


def a_string_stored_in(server):
    """A reader's string in chapter 10, just before the stop: (the reader's cookies, it)."""
    with Client(server.url) as reader:
        stored = reader.post("/generator").text
        return reader.cookies.copy(), stored


def read_back_after_a_restart(servers, stopped, cookies):
    """Chapter 10 started again in the folder of `stopped`: what the cookies' reader
    reads there, and the sessions stored there."""
    again = servers.boot("tut10", folder=stopped.folder)
    with Client(again.url) as back:
        back.cookies.update(cookies)
        response = back.get("/generator")
        return response, back.cookies["session_id"], stored_sessions(again.folder)


def stop(server, signum):
    """Send `signum` once the server is ready: (exit code, log after the signal)."""
    code = server.ready().send(signum).exit_code()
    return code, server.log_since_signal()


@pytest.fixture(scope="module")
def sigterm(request, servers):
    """{chapter: (exit code, log after SIGTERM, server)} for each chapter tested
    here, and chapter 10's string stored before and read back after a restart."""
    tested = chapters_tested_in(request.module, request.session.items)
    taken = {name: servers.take(name) for name in tested}  # all boots at once, if any
    for server in taken.values():
        server.ready()
    stored = a_string_stored_in(taken["tut10"]) if "tut10" in taken else None
    for server in taken.values():
        server.send(signal.SIGTERM)
    stops = {name: (server.exit_code(), server.log_since_signal(), server)
             for name, server in taken.items()}
    again = None
    if stored:
        cookies, _ = stored
        again = read_back_after_a_restart(servers.shared_group, taken["tut10"], cookies)
    return SimpleNamespace(stops=stops, stored=stored, again=again)


@background
def ctrl_c(servers, name):
    """A fresh server of chapter `name`, then Ctrl-C: (exit code, log after it,
    the server); for chapter 10, also its string stored before and read back after."""
    server = servers.boot(name)
    stored = a_string_stored_in(server) if name == "tut10" else None
    code, log = stop(server, signal.SIGINT)
    again = read_back_after_a_restart(servers, server, stored[0]) if stored else None
    return SimpleNamespace(stop=(code, log, server), stored=stored, again=again)


def assert_a_clean_stop(code, log, signum):
    assert code == 0, log
    assert not has_a_traceback(log), log
    assert CAUGHT[signum] in log
    assert "ENGINE Bus STOPPED" in log and "ENGINE Bus EXITED" in log


@pytest.mark.parametrize("name", EVERY_CHAPTER)
def test_sigterm_stops_the_server_with_exit_code_0_and_no_traceback(sigterm, name):
    code, log, _ = sigterm.stops[name]
    assert_a_clean_stop(code, log, signal.SIGTERM)


@pytest.mark.parametrize("name", CTRL_C_CHAPTERS)
def test_ctrl_c_stops_the_server_with_exit_code_0_and_no_traceback(ctrl_c, name):
    code, log, _ = ctrl_c.stop
    assert_a_clean_stop(code, log, signal.SIGINT)


@pytest.mark.parametrize("name", ["tut09"])
def test_tut09_drops_its_table_on_sigterm_and_on_ctrl_c(sigterm, ctrl_c, name):
    _, _, terminated = sigterm.stops[name]
    _, _, interrupted = ctrl_c.stop
    assert (table_names(terminated.folder), table_names(interrupted.folder)) == ([], [])


@pytest.mark.parametrize("name", ["tut10"])
def test_tut10_starts_again_with_the_strings_and_sessions_stored_before(sigterm, ctrl_c, name):
    for stopped in (sigterm, ctrl_c):
        (cookies, stored), (read_back, session_id, sessions) = stopped.stored, stopped.again
        assert_plain(read_back, stored)
        assert session_id == cookies["session_id"] and session_id in sessions
