"""Today's chapter 12: its test file and its coverage, with the commands the text prints.

They run in 2018-ch12-pytest/, as a reader types them, with this environment's
`pytest` (pytest-cov comes with requirements.txt). The folder's own pytest.ini
makes it pytest's rootdir, so that this repository's does not apply. The text
shows tut12.py twice: first as printed, then with `# pragma: no cover` on lines
17-18. The folder may hold either (a reader who follows the text makes the
change); the coverage command also runs on the other, in a copy of the folder. CherryPy's CPWebCase
always serves on port 54583, so the runs go one at a time, in a process of
their own started with the run (`start_early`), and take turns with any other
run of this suite on the machine (`a_turn_on`).
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from expected import HTML, assert_hex_string
from filelock import FileLock
from printed import PYTEST, printed_for, with_the_texts_edit
from servers import wait_for

RUN_SECONDS = 60
TEST_FILE_PASSES = ["test_tut12.py::SimpleCPTest::test_generate PASSED",
                    "test_tut12.py::SimpleCPTest::test_index PASSED",
                    "test_tut12.py::SimpleCPTest::test_gc PASSED"]  # CPWebCase's own
VERSIONS = {  # tut12.py as the text shows it, and its row in the coverage report
    "as first printed": (printed_for(f"{PYTEST}/tut12.py"), ("12", "1", "92%", "18")),
    "with the pragma": (with_the_texts_edit(f"{PYTEST}/tut12.py"), ("10", "0", "100%", "")),
}
COVERAGE = ["--cov=tut12", "--cov-report", "term-missing", "test_tut12.py"]
CPWEBCASE_PORT = 54583  # fixed in cherrypy/test/helper.py, CPWebCase.setup_class
TURN_SECONDS = 150  # another run's turn: its three pytest runs of chapter 12
FREE_SECONDS = 5


def is_free(port):
    """Whether a server could listen on 127.0.0.1:`port` now, bound as cheroot binds."""
    with socket.socket() as probe:
        if os.name != "nt":  # as cheroot: a closed connection's TIME_WAIT does not count
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@contextmanager
def a_turn_on(port=CPWEBCASE_PORT, free_seconds=FREE_SECONDS):
    """Wait for this suite's other runs to be done with `port` (a lock the system releases
    when its holder ends), then fail, naming the port, if another program holds it."""
    with FileLock(Path(tempfile.gettempdir()) / f"cherrypy-tutorials-port-{port}.lock",
                  timeout=TURN_SECONDS):
        try:
            wait_for(lambda: is_free(port), free_seconds, f"port {port} free")
        except TimeoutError:
            pytest.fail(f"Port {port} is held by another program, not by these tests: "
                        "today's chapter 12's tests (CherryPy's CPWebCase) always serve "
                        "on it. Stop that program and run the tests again.", pytrace=False)
        yield


COMMANDS = None  # start_early's process


def start_early(pool, chapters):
    global COMMANDS
    COMMANDS = subprocess.Popen([sys.executable, __file__, str(pool.root / PYTEST)],
                                stdout=subprocess.PIPE, text=True)


def pytest_as_typed(*args, cwd):
    """`pytest ARGS` run in `cwd`: (exit code, output)."""
    command = shutil.which("pytest", path=os.path.dirname(sys.executable))
    # Coverage of this suite measures the chapter servers, not these runs.
    env = {key: value for key, value in os.environ.items() if not key.startswith("COVERAGE_")}
    run = subprocess.run([command, *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=RUN_SECONDS)
    return run.returncode, run.stdout


def run_the_texts_commands(folder):
    """{"-v": (exit code, output)} of the text's first command in `folder`, and
    {version: (exit code, output)} of its coverage command on each version of
    tut12.py: the folder's own there, the other in a copy."""
    runs = {}
    with a_turn_on(), tempfile.TemporaryDirectory() as copy:
        runs["-v"] = pytest_as_typed("-v", "test_tut12.py", cwd=folder)
        for version, (code, _) in VERSIONS.items():
            where = folder
            if (folder / "tut12.py").read_text(encoding="utf-8") != code:
                where = Path(shutil.copytree(folder, Path(copy) / "c", dirs_exist_ok=True,
                                             ignore=shutil.ignore_patterns("__pycache__", ".*")))
                (where / "tut12.py").write_text(code, encoding="utf-8")
            runs[version] = pytest_as_typed(*COVERAGE, cwd=where)
    return runs


@pytest.fixture(scope="module")
def the_texts_commands(pool):
    try:
        output, _ = COMMANDS.communicate(timeout=3 * RUN_SECONDS + 150)
    finally:
        COMMANDS.kill()
    runs = json.loads(output)
    if "failed" in runs:
        pytest.fail(runs["failed"], pytrace=False)
    return runs


def coverage_row(output):
    """The `tut12.py` row of the term-missing report: (statements, missed, cover, missing)."""
    row = re.search(r"^tut12\.py +(\d+) +(\d+) +(\d+%) *(.*)$", output, re.M)
    assert row, output
    return row.groups()


def test_pytest_v_passes_both_tests_and_cherrypys_own_test_gc(the_texts_commands):
    code, output = the_texts_commands["-v"]
    assert code == 0, output
    for line in TEST_FILE_PASSES:
        assert line in output
    # a library's warnings are listed, and leave the run green (CherryPy 18.8's cgi on 3.11)
    assert re.search(r"^=+ 3 passed(, \d+ warnings?)? in [\d.]+s =+$", output, re.M), output


def test_the_folder_is_pytests_rootdir_so_this_repositorys_pytest_ini_has_no_say(
        the_texts_commands, pool):
    _, output = the_texts_commands["-v"]
    folder = str(pool.root / PYTEST)
    # pytest 7 prints both on one line, pytest 8 on two
    assert re.search(rf"^rootdir: {re.escape(folder)}(, |\n)configfile: pytest\.ini$",
                     output, re.M), output


@pytest.mark.parametrize("version", VERSIONS)
def test_coverage_of_tut12_is_what_the_text_says_for_each_version(the_texts_commands,
                                                                   version):
    """As printed, only line 18, the `cherrypy.quickstart` call, is missed (it
    runs only as `python tut12.py`); with the pragma, "100% coverage"."""
    code, output = the_texts_commands[version]
    assert code == 0, output
    assert coverage_row(output) == VERSIONS[version][1]


def test_python_tut12_py_serves_chapter_2s_application(tut12):
    response = tut12.get("/")
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        200, HTML, "Hello world!")
    assert_hex_string(tut12.get("/generate"), 8)


def test_a_port_held_by_another_program_fails_the_tests_with_a_message_naming_it():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(pytest.fail.Exception, match=f"^Port {port} is held by another "):
            with a_turn_on(port, free_seconds=0.1):
                pass


if __name__ == "__main__":  # start_early's process: the runs, as JSON
    try:
        print(json.dumps(run_the_texts_commands(Path(sys.argv[1]))))
    except pytest.fail.Exception as failure:
        print(json.dumps({"failed": str(failure)}))
