"""Today's chapter 12: its test file and its coverage, with the commands the text prints.

They run in 2018-ch12-pytest/, as a reader types them, with this environment's
`pytest` (pytest-cov comes with requirements.txt). The folder's own pytest.ini
(empty) makes it pytest's rootdir, so that this repository's does not apply. CherryPy's CPWebCase serves
on its own fixed port, 54583, so these runs go one at a time, niced, in a
background scenario (conftest's `recorded`) that starts with the run.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO, nice
from expected import HTML, assert_hex_string
from printed import TEXT_2018, printed

FOLDER = REPO / "2018-ch12-pytest"
RUN_SECONDS = 60
TEST_FILE_PASSES = ["test_tut12.py::SimpleCPTest::test_generate PASSED",
                    "test_tut12.py::SimpleCPTest::test_index PASSED",
                    "test_tut12.py::SimpleCPTest::test_gc PASSED"]  # CPWebCase's own


def pytest_as_typed(*args, cwd=FOLDER):
    """`pytest ARGS` run in `cwd`; returns (exit code, output)."""
    command = shutil.which("pytest", path=os.path.dirname(sys.executable))
    # Coverage of this suite measures the chapter servers, not these runs.
    env = {key: value for key, value in os.environ.items() if not key.startswith("COVERAGE_")}
    with subprocess.Popen([command, *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as run:
        nice(run.pid, 10)
        try:
            output, _ = run.communicate(timeout=RUN_SECONDS)
        except subprocess.TimeoutExpired:
            run.kill()
            raise
    return run.returncode, output


def coverage_row(output):
    """The `tut12.py` row of the term-missing report: (statements, missed, cover, missing)."""
    row = re.search(r"^tut12\.py +(\d+) +(\d+) +(\d+%) *(.*)$", output, re.M)
    assert row, output
    return row.groups()


def with_the_pragma(folder):
    """A copy of the chapter in `folder`, with the text's change of lines 17-18."""
    pragma = printed(12, "python", TEXT_2018, which=2).splitlines()  # ":lineno-start: 17"
    lines = (FOLDER / "tut12.py").read_text(encoding="utf-8").splitlines()
    assert [line.split("  #")[0] for line in pragma] == lines[16:18]
    shutil.copy(FOLDER / "test_tut12.py", folder)
    (folder / "tut12.py").write_text("\n".join(lines[:16] + pragma) + "\n", encoding="utf-8")
    return folder


def the_texts_commands(servers):
    """{what: (exit code, output)}: the text's two commands, then the second on
    the version with the pragma. It needs no chapter server: `servers` unused."""
    cov = ["--cov=tut12", "--cov-report", "term-missing", "test_tut12.py"]
    runs = {"-v": pytest_as_typed("-v", "test_tut12.py"), "--cov": pytest_as_typed(*cov)}
    with tempfile.TemporaryDirectory() as folder:
        runs["pragma"] = pytest_as_typed(*cov, cwd=with_the_pragma(Path(folder)))
    return runs


# with_args: a lone function given to a mark would be taken as the function to mark.
# On the module, so that all its tests run late: `python tut12.py` boots meanwhile.
pytestmark = pytest.mark.background.with_args(the_texts_commands)


def test_pytest_v_passes_both_tests_and_cherrypys_own_test_gc(recorded):
    code, output = recorded["-v"]
    assert code == 0, output
    for line in TEST_FILE_PASSES:
        assert line in output
    # a library's warnings are listed, and leave the run green (CherryPy 18.8's cgi on 3.11)
    assert re.search(r"^=+ 3 passed(, \d+ warnings?)? in [\d.]+s =+$", output, re.M), output


def test_the_folder_is_pytests_rootdir_so_this_repositorys_pytest_ini_has_no_say(recorded):
    code, output = recorded["-v"]
    # pytest 7 prints both on one line, pytest 8 on two
    assert re.search(rf"^rootdir: {re.escape(str(FOLDER))}(, |\n)configfile: pytest\.ini$",
                     output, re.M), output


def test_coverage_misses_one_line_the_quickstart_run_only_as_a_script(recorded):
    code, output = recorded["--cov"]
    assert code == 0, output
    assert coverage_row(output) == ("12", "1", "92%", "18")
    lines = (FOLDER / "tut12.py").read_text(encoding="utf-8").splitlines()
    assert lines[17].strip() == "cherrypy.quickstart(StringGenerator())"


def test_with_the_texts_pragma_on_lines_17_18_coverage_is_100_percent(recorded):
    code, output = recorded["pragma"]
    assert code == 0, output
    assert coverage_row(output) == ("10", "0", "100%", "")


def test_python_tut12_py_serves_chapter_2s_application(tut12):
    response = tut12.get("/")
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        200, HTML, "Hello world!")
    assert_hex_string(tut12.get("/generate"), 8)
