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
import re
import signal

import pytest
from clients import Client
from expected import assert_plain
from servers import DoesNotStart, needs_a_clean_stop
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
CAUGHT = {signal.SIGTERM: "ENGINE Caught signal SIGTERM.",
          signal.SIGINT: "ENGINE Keyboard Interrupt: shutting down bus"}


def start_early(pool, chapters):
    for name in chapters:
        if name in CTRL_C_CHAPTERS:
            pool.start(name, spare=True)


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


@needs_a_clean_stop
@pytest.mark.parametrize("name", EVERY_CHAPTER)
def test_sigterm_stops_the_server_with_exit_code_0_and_no_traceback(stops, name):
    code, log, *_ = outcome(stops, signal.SIGTERM, name)
    assert_a_clean_stop(code, log, signal.SIGTERM)


@needs_a_clean_stop
@pytest.mark.parametrize("name", CTRL_C_CHAPTERS)
def test_ctrl_c_stops_the_server_with_exit_code_0_and_no_traceback(stops, name):
    code, log, *_ = outcome(stops, signal.SIGINT, name)
    assert_a_clean_stop(code, log, signal.SIGINT)


@needs_a_clean_stop
@pytest.mark.parametrize("name", ["tut09"])
def test_tut09_drops_its_table_on_sigterm_and_on_ctrl_c(stops, name):
    terminated = outcome(stops, signal.SIGTERM, name)[2]
    interrupted = outcome(stops, signal.SIGINT, name)[2]
    assert (table_names(terminated.folder), table_names(interrupted.folder)) == ([], [])


@needs_a_clean_stop
@pytest.mark.parametrize("name", ["tut10"])
def test_tut10_starts_again_with_the_strings_and_sessions_stored_before(stops, name):
    for signum in (signal.SIGTERM, signal.SIGINT):
        string, session_id, read_back, session_id_after, sessions = outcome(stops, signum, name)[3]
        assert_plain(read_back, string)
        assert session_id_after == session_id and session_id in sessions


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
