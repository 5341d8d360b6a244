"""The harness itself: no server outlives the run, whatever fails, and a stop
with a traceback fails the run, unless it is cheroot's known one.

A stand-in server that ignores SIGTERM plays the chapter that will not stop.
"""
import signal
import subprocess
import sys
from types import SimpleNamespace

import pytest
import servers
from launch import READY
from servers import (
    KILLED,
    ChapterServer,
    background,
    has_a_traceback,
    needs_a_clean_stop,
    reap,
)

STUBBORN = f"""\
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ENGINE Serving on http://127.0.0.1:1", flush=True)
print({READY!r}, flush=True)
time.sleep(60)
"""
# What Python 3.13 printed in CI when the React page's server stopped.
CHEROOT_FLUSH_AT_EXIT = """\
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
CHEROOT_FLUSH_AT_EXIT_3_14 = """\
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


class Stubborn(ChapterServer):
    def command(self):
        return [sys.executable, self.script]  # no launch.py: it need not import CherryPy


@pytest.fixture
def stubborn(tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN)
    server = Stubborn(str(script), tmp_path / "run")
    server.stop_seconds = 0.1
    yield server.start().ready()
    reap([server])


@needs_a_clean_stop
def test_a_server_that_ignores_sigterm_is_killed_once_its_time_is_up(stubborn):
    stubborn.send(signal.SIGTERM)
    assert stubborn.exit_code() == "nothing: still running 0.1 s after the signal, so killed"
    assert stubborn.process.poll() == KILLED


def test_a_server_left_running_fails_the_run_which_names_and_kills_it(stubborn, monkeypatch):
    said = []
    reporter = SimpleNamespace(write_line=lambda line, **style: said.append(line))
    session = SimpleNamespace(exitstatus=pytest.ExitCode.OK, config=SimpleNamespace(
        pluginmanager=SimpleNamespace(get_plugin=lambda name: reporter)))
    monkeypatch.setattr(servers, "STARTED", [stubborn])

    servers.no_server_outlives_the_run(session)
    assert session.exitstatus == pytest.ExitCode.TESTS_FAILED
    assert said == [f"{stubborn.script} (pid {stubborn.process.pid}, in {stubborn.folder}) "
                    "was still running at the end of the run: killed"]
    assert stubborn.process.poll() == KILLED
    assert reap([stubborn]) == []  # and only once


@background
def a_server_whose_stdin_closes(servers):
    """As the end of this process would close it: (exit code, log)."""
    server = servers.boot("tut01")
    server.process.stdin.close()
    return server.exit_code(), server.log()


def test_a_server_stops_cleanly_when_the_test_process_that_started_it_ends(
        a_server_whose_stdin_closes):
    """The end of the test process closes each server's stdin, whatever ends it: so no
    server outlives pytest killed, or ended by pytest-timeout's os._exit (Windows)."""
    code, log = a_server_whose_stdin_closes
    stopping = log.split("ENGINE stdin closed: the test process has ended, so stopping\n")
    assert code == 0 and len(stopping) == 2 and "ENGINE Bus EXITED" in stopping[1], log


@pytest.mark.parametrize("flush_at_exit", [CHEROOT_FLUSH_AT_EXIT, CHEROOT_FLUSH_AT_EXIT_3_14],
                         ids=["3.13", "3.14"])
def test_the_stop_check_forgives_cheroots_flush_at_exit_and_nothing_else(flush_at_exit):
    assert not has_a_traceback(flush_at_exit * 2)
    assert has_a_traceback(flush_at_exit + ANOTHER_TRACEBACK)
    assert has_a_traceback(ANOTHER_TRACEBACK + flush_at_exit)
    assert has_a_traceback(flush_at_exit.replace("[Errno 9] Bad file descriptor",
                                                 "[Errno 32] Broken pipe"))
    assert has_a_traceback(flush_at_exit.replace("cheroot/makefile.py", "tut09.py"))
    assert has_a_traceback(flush_at_exit.replace("IOBase.__del__", "Connection.__del__"))


def test_a_proxy_set_in_the_readers_environment_is_not_asked_for_127_0_0_1(
        tut01, client_of, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers
    assert tut01.get("/").text == "Hello world!"
    assert client_of(tut01).get("/").text == "Hello world!"


def test_a_server_is_started_with_the_environment_the_run_began_with(monkeypatch):
    """Not the live one, which pytest rewrites while background threads start servers."""
    monkeypatch.setenv("SET_AFTER_THE_RUN_BEGAN", "1")
    child = servers.spawn([sys.executable, "-c", "import os; print(*os.environ, sep='\\n')"],
                          stdout=subprocess.PIPE, text=True)
    names = child.communicate(timeout=30)[0].split()
    assert "SET_AFTER_THE_RUN_BEGAN" not in names and "PATH" in names
