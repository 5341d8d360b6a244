"""The harness itself: a chapter that does not start says why in a few lines;
no server outlives the run (see also test_when_stopped.py: its stdin closed)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from launch import READY
from servers import KILLED, REPO, DoesNotStart, Pool, Server, needs_a_clean_stop
from tables import as_listed

STUBBORN = f"""\
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ENGINE Serving on http://127.0.0.1:1", flush=True)
print({READY!r}, flush=True)
time.sleep(60)
"""
# A chapter as a reader might mistype it, written as tut01.py into a folder of its own.
INDENTED_ONE_SPACE_MORE = """\
import cherrypy


class HelloWorld(object):
    @cherrypy.expose
    def index(self):
        greeting = "Hello world!"
         return greeting


cherrypy.quickstart(HelloWorld())
"""
FAILS_IN_ITS_START_LISTENER = """\
import sqlite3

import cherrypy


def setup_database():
    with sqlite3.connect("my.db") as con:
        con.execute("CREATE TABEL user_string (session_id, value)")


class HelloWorld(object):
    @cherrypy.expose
    def index(self):
        return "Hello world!"


cherrypy.engine.subscribe('start', setup_database)
cherrypy.quickstart(HelloWorld())
"""


def typed(tmp_path, code):
    (tmp_path / "typed").mkdir()
    (tmp_path / "typed" / "tut01.py").write_text(code, encoding="utf-8")
    return Server("tut01", tmp_path / "run", root=tmp_path / "typed").start()


def test_a_chapter_that_does_not_start_says_why_in_one_line_then_its_log(tmp_path):
    server = typed(tmp_path, INDENTED_ONE_SPACE_MORE)
    with pytest.raises(DoesNotStart) as failure:
        server.ready()
    assert failure.value.headline == (
        "tut01.py does not start: IndentationError: unexpected indent (line 8)")
    lines = str(failure.value).splitlines()
    assert lines[1] == f"The end of its log, {server.log_path}:"
    assert lines[-1] == "IndentationError: unexpected indent" and len(lines) <= 12


def test_a_start_listener_that_fails_is_named_with_its_error_and_line(tmp_path):
    with pytest.raises(DoesNotStart) as failure:
        typed(tmp_path, FAILS_IN_ITS_START_LISTENER).ready()
    assert failure.value.headline == ("tut01.py does not start: sqlite3.OperationalError: "
                                      'near "TABEL": syntax error (line 8)')


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


SLIP = {}  # start_early's: a reader's run of chapter 5 typed with one slip


def start_early(pool, chapters):
    SLIP["folder"] = folder = tempfile.mkdtemp()
    lines = as_listed("tut05.py").splitlines(keepends=True)  # the chapter as the text has it
    Path(folder, "tut05.py").write_text("".join(lines[:21] + [" " + lines[21]] + lines[22:]))
    reader = {name: value for name, value in os.environ.items() if name != "CI"}  # as a reader runs it
    SLIP["run"] = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--chapter", "5",
         f"--from={folder}"], cwd=REPO, env=reader, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)


def test_a_slip_in_chapter_5_is_told_in_a_page_that_names_only_chapter_5():
    """Line 22 indented one space more: one line says why it does not start, with the
    log's end once, then one line per test of chapter 5, and a summary naming each."""
    try:
        output = SLIP["run"].communicate(timeout=120)[0]
    finally:
        SLIP["run"].kill()
        shutil.rmtree(SLIP["folder"], ignore_errors=True)
    # less the libraries' warnings, which old ones print by the hundred on a newer Python
    lines = re.sub(r"(?ms)^=+ warnings summary =+$.*?^-- Docs: .*?$\n", "", output).splitlines()
    headline = "tut05.py does not start: IndentationError: unexpected indent (line 22)"
    assert SLIP["run"].returncode == 1 and len(lines) <= 60, output
    assert lines.count(headline) == 1 and output.count("The end of its log") == 1, output
    summary = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    assert summary and all("tut05" in line for line in summary), output
    failed, errors = (sum(line.startswith(word) for line in summary) for word in ("FAILED", "ERROR"))
    assert re.search(rf"^{failed} failed, (\d+ passed, )?\d+ deselected, (\d+ warnings?, )?"
                     rf"{errors} errors in ",
                     output, re.M), output


def test_a_proxy_set_in_the_readers_environment_is_not_asked_for_127_0_0_1(
        tut01, client_of, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers
    assert tut01.get("/").text == "Hello world!"
    assert client_of(tut01).get("/").text == "Hello world!"


def test_the_harness_a_reader_walks_stays_under_1000_lines():
    """Every .py under tests/ not named test_*: the machinery beside the tests."""
    lines = sum(len(path.read_text(encoding="utf-8").splitlines())
                for path in Path(__file__).parent.rglob("*.py") if not path.name.startswith("test_"))
    assert lines <= 1000, f"the harness holds {lines} lines"
