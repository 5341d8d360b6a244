"""Stopping a server: Ctrl-C (SIGINT) and SIGTERM stop every chapter cleanly,
chapter 9 drops its table, and chapter 10 starts again with the strings.

SIGTERM goes to the shared servers, which have served every other test by
then: these tests run last. SIGINT goes to a fresh server of each chapter,
started early with the shared ones. All are signalled at once, so the run
waits for one shutdown, not twenty. Every server was started with SIGINT
ignored, as a script's background job starts it (conftest): Ctrl-C stopping
each one shows that the suite passes when started that way too.
"""
import signal
from types import SimpleNamespace

import pytest
from conftest import (
    CHAPTERS,
    KILLED,
    Client,
    has_a_traceback,
    needs_a_clean_stop,
    stored_sessions,
    table_names,
)
from expected import assert_plain

SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}
pytestmark = [needs_a_clean_stop, pytest.mark.runs_last, pytest.mark.usefixtures(*CHAPTERS),
              pytest.mark.fresh_servers(*[f"{name}.py" for name in CHAPTERS])]
# What CherryPy logs for each, before it stops the bus.
CAUGHT = {"SIGTERM": "ENGINE Caught signal SIGTERM.",
          "SIGINT": "ENGINE Keyboard Interrupt: shutting down bus"}


def store_a_string(server):
    """A reader's string in chapter 10, just before the stop: (the reader's cookies, it)."""
    with Client(server.url) as reader:
        stored = reader.post("/generator").text
        return reader.cookies.copy(), stored


@pytest.fixture(scope="module")
def stopped(shared_servers):
    """{(chapter, signal name): (exit code, log after the signal, folder)}, the
    strings stored in chapter 10 before each stop, and chapter 10 started again
    in each stopped one's folder."""
    servers = {}
    for name in CHAPTERS:
        servers[name, "SIGTERM"] = shared_servers.chapter(name)
        servers[name, "SIGINT"] = shared_servers.take_fresh(f"{name}.py")
    stored = {how: store_a_string(servers["tut10", how].wait_until_started()) for how in SIGNALS}
    for (_, how), server in servers.items():
        server.wait_until_started().send(SIGNALS[how])
    shared_servers.terminate_all()  # every other server too, so all stops overlap
    for how in SIGNALS:  # chapter 10 starts again as soon as it stops, as the others stop
        servers["tut10", how].exit_code()
    again = {how: shared_servers.start("tut10.py", folder=servers["tut10", how].folder)
             for how in SIGNALS}
    return SimpleNamespace(stored=stored, again=again, servers={
        key: (server.exit_code(), server.log_since_signal(), server.folder)
        for key, server in servers.items()})


@pytest.mark.parametrize("how", SIGNALS)
@pytest.mark.parametrize("name", CHAPTERS)
def test_the_server_stops_with_exit_code_0_and_no_traceback(stopped, name, how):
    code, log, _ = stopped.servers[name, how]
    assert code == 0, log
    assert not has_a_traceback(log), log
    assert CAUGHT[how] in log
    assert "ENGINE Bus STOPPED" in log and "ENGINE Bus EXITED" in log


@pytest.mark.parametrize("how", SIGNALS)
def test_chapter_9_drops_its_table_on_a_clean_stop(stopped, how):
    _, _, folder = stopped.servers["tut09", how]
    assert table_names(folder) == []


def test_chapter_10_starts_again_with_the_strings_and_sessions_stored_before(stopped):
    for how, (cookies, stored) in stopped.stored.items():
        again = stopped.again[how].wait_until_started()
        assert cookies["session_id"] in stored_sessions(again.folder)
        with Client(again.url) as back:
            back.cookies.update(cookies)
            assert_plain(back.get("/generator"), stored)
            assert back.cookies["session_id"] == cookies["session_id"]
        assert again.kill() == KILLED  # its clean stop was checked above
