"""The harness itself: a chapter that does not start says why in a few lines and
reds its own tests only; no server outlives the run; a stop with a traceback
fails, unless it is cheroot's known one.
"""
import re
import subprocess
import sys

import pytest
from launch import READY
from printed import REPO
from servers import KILLED, DoesNotStart, Pool, Server, has_a_traceback, needs_a_clean_stop

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


def a_copy_of(name, tmp_path, change):
    """A folder holding a copy of the repository's `name` with `change` (a function of its lines) made."""
    lines = (REPO / name).read_text(encoding="utf-8").splitlines(keepends=True)
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / name).write_text("".join(change(lines)), encoding="utf-8")
    return tmp_path


def indent_line_22(lines):
    return lines[:21] + [" " + lines[21]] + lines[22:]


def test_a_chapter_that_does_not_start_says_why_in_one_line_then_its_log(tmp_path):
    slipped = a_copy_of("tut05.py", tmp_path / "typed", indent_line_22)
    server = Server("tut05", tmp_path / "run", root=slipped).start()
    with pytest.raises(DoesNotStart) as failure:
        server.ready()
    assert failure.value.headline == (
        "tut05.py does not start: IndentationError: unexpected indent (line 22)")
    lines = str(failure.value).splitlines()
    assert lines[1] == f"The end of its log, {server.log_path}:"
    assert lines[-1] == "IndentationError: unexpected indent" and len(lines) <= 12


def test_a_start_listener_that_fails_is_named_with_its_error_and_line(tmp_path):
    """Chapter 9 as 2014 printed it, after a crash left its table behind."""
    def create_without_if_not_exists(lines):
        return [line.replace("CREATE TABLE IF NOT EXISTS", "CREATE TABLE") for line in lines]

    typed = a_copy_of("tut09.py", tmp_path / "typed", create_without_if_not_exists)
    first = Server("tut09", tmp_path / "run", root=typed).start().ready()
    assert first.kill() == KILLED
    with pytest.raises(DoesNotStart) as failure:
        Server("tut09", tmp_path / "run", root=typed).start().ready()
    assert failure.value.headline == ("tut09.py does not start: sqlite3.OperationalError: "
                                      "table user_string already exists (line 49)")


@needs_a_clean_stop
def test_a_server_that_ignores_sigterm_at_the_end_is_killed_and_named(tmp_path):
    (tmp_path / "stubborn.py").write_text(STUBBORN)
    run = Pool(None)
    stubborn = Server("tut01", tmp_path / "run", root=tmp_path)
    stubborn.script = tmp_path / "stubborn.py"
    run.started.append(stubborn.start().ready())
    assert run.stop_all(seconds=0.1) == [
        f"stubborn.py in {stubborn.folder} was still running 0.1 s after SIGTERM at the end "
        "of the run: killed"]
    assert stubborn.process.poll() == KILLED


def start_early(pool, chapters):
    pool.start_spare("tut01")  # whose stdin closes


def test_a_server_stops_cleanly_when_the_test_process_that_started_it_ends(new_server):
    """The end of the test process closes each server's stdin, whatever ends it: so no
    server outlives pytest, however it ends (killed, or stopped at an interrupted wait)."""
    server = new_server("tut01")
    server.log_mark = len(server.log())
    server.process.stdin.close()
    code, log = server.exit_code(), server.log()
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
