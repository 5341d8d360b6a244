"""The harness itself: a chapter that does not start says why in a few lines;
no server outlives the run."""
import re
import subprocess
import sys

import pytest
from launch import READY
from printed import REPO
from servers import KILLED, DoesNotStart, Pool, Server, needs_a_clean_stop

STUBBORN = f"""\
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ENGINE Serving on http://127.0.0.1:1", flush=True)
print({READY!r}, flush=True)
time.sleep(60)
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
    pool.start("tut01", spare=True)  # whose stdin closes


def test_a_server_stops_cleanly_when_the_test_process_that_started_it_ends(new_server):
    """The end of the test process closes each server's stdin, whatever ends it: so no
    server outlives pytest, however it ends (killed, or stopped at an interrupted wait)."""
    server = new_server("tut01")
    server.log_mark = len(server.log())
    server.process.stdin.close()
    code, log = server.exit_code(), server.log()
    stopping = log.split("ENGINE stdin closed: the test process has ended, so stopping\n")
    assert code == 0 and len(stopping) == 2 and "ENGINE Bus EXITED" in stopping[1], log


def test_a_proxy_set_in_the_readers_environment_is_not_asked_for_127_0_0_1(
        tut01, client_of, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers
    assert tut01.get("/").text == "Hello world!"
    assert client_of(tut01).get("/").text == "Hello world!"
