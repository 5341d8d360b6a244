"""Stopping a server: SIGTERM, Ctrl-C (SIGINT) and the end of the test process
stop a chapter cleanly; chapter 9 drops its table, and starts again after a
crash; chapter 10 starts again with the strings, after a stop or a crash.

This module's name sorts last, so that SIGTERM goes to each chapter's shared
server after the other tests have used it: the stop that ends a reader's day.
Any order passes: a test that needs a chapter afterwards gets a new server.
Ctrl-C goes to a new server of the chapters whose own code runs at a stop (9,
10 and today's 10), of one that stops through `cherrypy.quickstart` alone (1),
and of one that also stops CherryPy's session clean-up (5). Every stop is made
at once, and each chapter's outcome is its own: a chapter that does not start
fails its own tests only.
"""
import re
import signal

import pytest
from clients import Client
from expected import assert_hex_string, assert_plain
from servers import KILLED, WINDOWS, DoesNotStart, needs_a_clean_stop
from stored import stored_sessions, table_names

EVERY_CHAPTER = [f"tut{number:02d}" for number in range(1, 11)] + ["react"]
CTRL_C_CHAPTERS = ["tut01", "tut05", "tut09", "tut10", "react"]
# Python 3.13 and later print this at exit for each connection whose client hung
# up mid-response: cheroot flushes the unsent bytes to the closed socket when
# its writer is finalized (cheroot issues #734 and #710). The chapter still
# exits 0; any other traceback at a stop is the chapter's.
CHEROOT_FLUSH_AT_EXIT = re.compile(
    r"Exception ignored (?:in: |while calling deallocator )"
    r"<function IOBase\.__del__ at 0x[0-9a-f]+>:?\n"
    r"Traceback \(most recent call last\):\n"
    r"(?:  .*\n)*?"
    r'  File "[^"\n]*cheroot[/\\]makefile\.py", line \d+, in _flush_unlocked\n'
    r"(?:  .*\n)*?"
    r"OSError: \[Errno 9\] Bad file descriptor\n")


def has_a_traceback(log):
    """Whether `log` holds a traceback other than CHEROOT_FLUSH_AT_EXIT."""
    return "Traceback" in CHEROOT_FLUSH_AT_EXIT.sub("", log)


# What CherryPy logs for each, before it stops the bus.
# What CherryPy logs for each clean stop, before it stops the bus.
CAUGHT = {"SIGTERM": "ENGINE Caught signal SIGTERM.",
          "Ctrl-C": "ENGINE Keyboard Interrupt: shutting down bus",
          "stdin closed": "ENGINE stdin closed: the test process has ended, so stopping"}
# Every way a chapter stops, and the chapters each is tried on: SIGTERM on each
# chapter's shared server, the others on new servers (spares started early).
WAYS = {"SIGTERM": EVERY_CHAPTER, "Ctrl-C": CTRL_C_CHAPTERS,
        "a crash": ["tut09", "tut10"],  # kill -9: their code cannot run at the stop
        "stdin closed": ["tut01"]}  # as when the test process ends, however it ends


def start_early(pool, chapters):
    for way, names in WAYS.items():
        for name in names:
            if way != "SIGTERM" and name in chapters:
                pool.start(name, spare=True)


def stop(server, way):
    """Stop `server` the way `way` says, without waiting."""
    if way == "stdin closed":
        server.log_mark = len(server.log())
        server.process.stdin.close()
    elif way == "a crash":
        server.log_mark = len(server.log())
        server.process.kill()
    else:
        server.send(signal.SIGTERM if way == "SIGTERM" else signal.SIGINT)


@pytest.fixture(scope="module")
def stops(pool, chapters_tested_here):
    """{(way, chapter): (exit code, log after the stop, server, what chapters 9 and 10
    then hold)}, every stop made at once. Chapter 10's reader stores a string just
    before, and reads it back from the server started again in the same folder;
    chapter 9, crashed, leaves its table, and its restart serves a new reader."""
    servers = {(way, name): pool.take(name) if way == "SIGTERM" else pool.start(name)
               for way, names in WAYS.items() for name in names if name in chapters_tested_here}
    outcomes, cookies = {}, {}
    for key, server in servers.items():
        try:
            server.ready()
        except DoesNotStart as failure:
            outcomes[key] = failure
            continue
        if key[1] in ("tut09", "tut10"):
            with Client(server.url) as reader:
                cookies[key] = reader.post("/generator").text, reader.cookies.copy()
        stop(server, key[0])
    for key, server in servers.items():
        if key not in outcomes:
            outcomes[key] = (server.exit_code(), server.log()[server.log_mark:], server,
                             table_names(server.folder) if key in cookies else None)
    again = {key: pool.start(key[1], folder=servers[key].folder) for key in cookies
             if key[1] == "tut10" or key[0] == "a crash"}
    for key, restarted in again.items():
        string, jar = cookies[key]
        session_id = jar["session_id"]
        try:
            restarted.ready()
        except DoesNotStart as failure:  # started again, it fails: that test's own failure
            outcomes[key] = failure
            continue
        with Client(restarted.url) as back:
            if key[1] == "tut10":  # the same reader, back
                back.cookies.update(jar)
                read_back = back.get("/generator")
                outcomes[key] += (string, read_back, back.cookies["session_id"] == session_id,
                                  session_id in stored_sessions(restarted.folder))
            else:  # a new reader
                outcomes[key] += (back.get("/generator"), back.post("/generator"))
    return outcomes


def outcome(stops, way, name):
    """The outcome of stopping chapter `name` the way `way` says; its failure to start, raised."""
    if isinstance(stops[way, name], DoesNotStart):
        raise stops[way, name]
    return stops[way, name]


def assert_a_clean_stop(code, log, way):
    assert code == 0, log
    assert not has_a_traceback(log), log
    assert CAUGHT[way] in log
    assert "ENGINE Bus STOPPED" in log and "ENGINE Bus EXITED" in log


@needs_a_clean_stop
@pytest.mark.parametrize("name", EVERY_CHAPTER)
def test_sigterm_stops_the_server_with_exit_code_0_and_no_traceback(stops, name):
    code, log, *_ = outcome(stops, "SIGTERM", name)
    assert_a_clean_stop(code, log, "SIGTERM")


@needs_a_clean_stop
@pytest.mark.parametrize("name", CTRL_C_CHAPTERS)
def test_ctrl_c_stops_the_server_with_exit_code_0_and_no_traceback(stops, name):
    code, log, *_ = outcome(stops, "Ctrl-C", name)
    assert_a_clean_stop(code, log, "Ctrl-C")


@pytest.mark.parametrize("name", WAYS["stdin closed"])
def test_a_server_stops_cleanly_when_the_test_process_that_started_it_ends(stops, name):
    """Its stdin closes then, whatever ends it: so no server outlives pytest killed."""
    code, log, *_ = outcome(stops, "stdin closed", name)
    assert_a_clean_stop(code, log, "stdin closed")


@needs_a_clean_stop
@pytest.mark.parametrize("name", ["tut09"])
def test_tut09_drops_its_table_on_sigterm_and_on_ctrl_c(stops, name):
    assert [outcome(stops, way, name)[3] for way in ("SIGTERM", "Ctrl-C")] == [[], []]


@pytest.mark.parametrize("name", ["tut09"])
def test_tut09_starts_again_after_a_crash_left_the_table_behind(stops, name):
    code, _, _, tables, got, posted = outcome(stops, "a crash", name)
    assert (code, tables) == (KILLED, ["user_string"])
    assert_plain(got, "")
    assert_hex_string(posted, 8)


@pytest.mark.parametrize("name", ["tut10"])
def test_tut10_starts_again_with_the_strings_and_sessions_stored_before(stops, name):
    ways = ["a crash"] + (["SIGTERM", "Ctrl-C"] if not WINDOWS else [])
    for way in ways:
        code, _, _, _, string, read_back, same_session, session_stored = outcome(stops, way, name)
        assert code == (KILLED if way == "a crash" else 0)
        assert_plain(read_back, string)
        assert (same_session, session_stored) == (True, True), way


# What Python 3.13 printed in CI when the React page's server stopped.
PRINTED_BY_3_13 = """\
[28/Nov/2026:05:18:49] ENGINE Waiting for child threads to terminate...
Exception ignored in: <function IOBase.__del__ at 0x7f4e56e22700>
Traceback (most recent call last):
  File "/root/.pyenv/versions/3.13.0/lib/python3.13/_pyio.py", line 418, in __del__
    self.close()
  File "/root/.pyenv/versions/3.13.0/lib/python3.13/_pyio.py", line 1313, in close
    self.flush()
  File "/root/.pyenv/versions/3.13.0/lib/python3.13/_pyio.py", line 1274, in flush
    self._flush_unlocked()
  File "/check/.nox/tests-3-13/lib/python3.13/site-packages/cheroot/makefile.py", line 32, in _flush_unlocked
    n = self.raw.write(bytes(self._write_buf))
  File "/root/.pyenv/versions/3.13.0/lib/python3.13/socket.py", line 737, in write
    return self._sock.send(b)
OSError: [Errno 9] Bad file descriptor
"""
# What Python 3.14 (Debian's 3.14.8) printed when chapter 9's server stopped.
PRINTED_BY_3_14 = """\
[30/Nov/2026:07:45:41] ENGINE Waiting for child threads to terminate...
Exception ignored while calling deallocator <function IOBase.__del__ at 0x7ff20159f480>:
Traceback (most recent call last):
  File "/root/.cache/debian-python3.14/lib/python3.14/_pyio.py", line 418, in __del__
    self.close()
  File "/root/.cache/debian-python3.14/lib/python3.14/_pyio.py", line 1318, in close
    self.flush()
  File "/root/.cache/debian-python3.14/lib/python3.14/_pyio.py", line 1279, in flush
    self._flush_unlocked()
  File "/work/wt/py314/.nox/tests-3-14/lib/python3.14/site-packages/cheroot/makefile.py", line 32, in _flush_unlocked
    n = self.raw.write(bytes(self._write_buf))
  File "/root/.cache/debian-python3.14/lib/python3.14/socket.py", line 747, in write
    return self._sock.send(b)
OSError: [Errno 9] Bad file descriptor
"""
ANOTHER_TRACEBACK = """\
Traceback (most recent call last):
  File "tut09.py", line 59, in cleanup_database
    con.execute("DROP TABLE user_string")
sqlite3.OperationalError: no such table: user_string
"""


@pytest.mark.parametrize("flush_at_exit", [PRINTED_BY_3_13, PRINTED_BY_3_14],
                         ids=["3.13", "3.14"])
def test_the_stop_check_forgives_cheroots_flush_at_exit_and_nothing_else(flush_at_exit):
    assert not has_a_traceback(flush_at_exit * 2)
    assert has_a_traceback(flush_at_exit + ANOTHER_TRACEBACK)
    assert has_a_traceback(ANOTHER_TRACEBACK + flush_at_exit)
    assert has_a_traceback(flush_at_exit.replace("[Errno 9] Bad file descriptor",
                                                 "[Errno 32] Broken pipe"))
    assert has_a_traceback(flush_at_exit.replace("cheroot/makefile.py", "tut09.py"))
    assert has_a_traceback(flush_at_exit.replace("IOBase.__del__", "Connection.__del__"))
