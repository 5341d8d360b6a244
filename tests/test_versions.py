"""The versions: every requirement has a lower bound CI can test, the tested set
(constraints.txt) is complete and within the ranges, and a warning turns a run
red only when asked (`-W error`, as CI runs)."""
import ast
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from printed import REPO
from versions import (
    applying,
    lowest_pins,
    read_constraints,
    requirements,
    write_constraints,
)


def nox_pythons():
    """noxfile.py's PYTHONS: the Pythons CI runs."""
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    return next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                and [target.id for target in node.targets] == ["PYTHONS"])


def test_every_requirement_has_one_lower_bound_that_ci_installs_as_the_lowest():
    for python in nox_pythons():
        pins = lowest_pins(python)
        assert [pin.split("==")[0] for pin in pins] == [r.name for r in applying(python)]


def test_cherrypy_before_16_which_answers_a_malformed_accept_with_500_is_refused():
    (cherrypy,) = [r for r in applying("3.9") if canonicalize_name(r.name) == "cherrypy"]
    assert not cherrypy.specifier.contains("15.0.0") and cherrypy.specifier.contains("16.0.0")


def test_on_python_3_13_which_has_no_cgi_module_cherrypy_before_18_10_is_refused():
    (cherrypy,) = [r for r in applying("3.13") if canonicalize_name(r.name) == "cherrypy"]
    assert not cherrypy.specifier.contains("18.9.0") and cherrypy.specifier.contains("18.10.0")


def test_the_tested_set_has_a_set_for_every_python_ci_runs():
    assert list(read_constraints()) == nox_pythons(), "run: python -m nox -s pin"


@pytest.mark.parametrize("python", nox_pythons())
def test_the_tested_set_pins_every_requirement_within_its_range(python):
    pinned = read_constraints()[python]
    for requirement in applying(python):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in the tested set of {python}: nox -s pin"
        assert requirement.specifier.contains(pinned[name]), (
            f"{name}=={pinned[name]} (tested on {python}) is outside {requirement}: nox -s pin")


def test_the_tested_set_reads_back_as_written(tmp_path):
    pins = {"3.9": {"cherrypy": "18.10.0", "tomli": "2.5.0", "coverage": "7.10.7"},
            "3.13": {"cherrypy": "18.10.0", "coverage": "7.17.5"}}
    write_constraints(pins, tmp_path / "constraints.txt")
    text = (tmp_path / "constraints.txt").read_text(encoding="utf-8")
    assert "\ncherrypy==18.10.0\n" in text  # the same on every Python: no marker
    assert '\ntomli==2.5.0; python_version == "3.9"\n' in text
    assert read_constraints(tmp_path / "constraints.txt") == pins


def test_requirements_files_name_each_package_once():
    names = [canonicalize_name(r.name) for r in requirements() if r.marker is None]
    assert len(names) == len(set(names))


WARNS_AT_IMPORT = "import warnings\nwarnings.warn('at import', DeprecationWarning)\n"
WARNS_IN_A_TEST = ("import warnings\n\n\ndef test_a_library_warns():\n"
                   "    warnings.warn('in a test', DeprecationWarning)\n")


EARLY = {}  # start_early's folder and runs


def start_early(pool, chapters):
    """`python -m pytest` under this repository's pytest.ini, on a test module
    that warns when imported and one that warns in its test: as a reader runs
    it, then with `-W error`. Needs no server."""
    EARLY["folder"] = folder = tempfile.mkdtemp()
    Path(folder, "test_warns_at_import.py").write_text(WARNS_AT_IMPORT, encoding="utf-8")
    Path(folder, "test_warns_in_a_test.py").write_text(WARNS_IN_A_TEST, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-c", str(REPO / "pytest.ini"), "--rootdir",
               folder, "-p", "no:cacheprovider", "test_warns_at_import.py",
               "test_warns_in_a_test.py"]
    ways = {"reader": [], "-W error": ["-W", "error", "--continue-on-collection-errors"]}
    EARLY["runs"] = {way: subprocess.Popen(command + extra, cwd=folder, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, text=True)
                     for way, extra in ways.items()}


@pytest.fixture(scope="module")
def a_run_with_deprecations_each_way():
    """{way: (exit code, output)} of start_early's runs."""
    try:
        return {way: (run.communicate(timeout=60)[0], run.returncode)[::-1]
                for way, run in EARLY["runs"].items()}
    finally:
        for run in EARLY["runs"].values():
            run.kill()
        shutil.rmtree(EARLY["folder"], ignore_errors=True)


def test_a_readers_run_shows_a_deprecation_and_stays_green(a_run_with_deprecations_each_way):
    code, output = a_run_with_deprecations_each_way["reader"]
    assert code == 0, output
    assert "DeprecationWarning: at import" in output and "DeprecationWarning: in a test" in output
    assert re.search(r"^(=+ )?1 passed, 2 warnings in ", output, re.M), output


def test_with_w_error_a_deprecation_fails_the_run_at_import_and_in_a_test(
        a_run_with_deprecations_each_way):
    code, output = a_run_with_deprecations_each_way["-W error"]
    assert code == 1, output
    assert re.search(r"^ERROR test_warns_at_import.py - DeprecationWarning", output, re.M), output
    assert re.search(r"^FAILED test_warns_in_a_test.py::test_a_library_warns - "
                     r"DeprecationWarning", output, re.M), output
    assert re.search(r"^(=+ )?1 failed, 1 error in ", output, re.M), output
