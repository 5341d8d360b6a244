"""Run the tests that another OS or Python would answer differently, with that
difference simulated here.

    python .ci/simulated/run.py                          # every simulation
    python .ci/simulated/run.py application-javascript   # one

Most folders beside this file hold a sitecustomize.py, which Python imports at
start-up from PYTHONPATH: in pytest and in every chapter server it starts, as
they inherit its environment (so the path must be absolute: they run elsewhere).
The Windows checkout is a clone of this repository's last commit, made as Git
for Windows makes one by default (core.autocrlf=true). Each run first checks
that its simulation is in force. Other arguments go to pytest.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# name -> (what is true under it, the test files whose expectations it changes)
SIMULATIONS = {
    "application-javascript": (
        "__import__('mimetypes').guess_type('x.js')[0] == 'application/javascript'",
        # Not the browser tests: the HTML standard makes both types JavaScript's.
        ["tests/test_tut08.py", "tests/test_2018_ch10_react.py"]),
    "windows-signals": (
        "not hasattr(__import__('signal'), 'SIGHUP')",
        ["tests/test_tut01.py"]),
    "windows-checkout": (
        "__import__('subprocess').check_output(['git', 'config', 'core.autocrlf']) == b'true\\n'",
        ["tests/test_tut06.py", "tests/test_tut08.py", "tests/test_2018_ch10_react.py",
         "tests/test_start_folder.py", "tests/test_fidelity.py"]),
}


def run(name, pytest_args):
    if name != "windows-checkout":
        return run_in(REPO, name, pytest_args)
    with tempfile.TemporaryDirectory() as clone:
        subprocess.run(["git", "clone", "--quiet", "-c", "core.autocrlf=true", str(REPO), clone],
                       check=True)
        return run_in(Path(clone), name, pytest_args)


def run_in(repo, name, pytest_args):
    in_force, tests = SIMULATIONS[name]
    env = os.environ.copy()
    if (HERE / name).is_dir():
        env["PYTHONPATH"] = str(HERE / name)
    print(f"== simulated: {name}", flush=True)
    subprocess.run([sys.executable, "-c", f"assert {in_force}, 'not in force'"],
                   env=env, cwd=repo, check=True)
    return subprocess.run([sys.executable, "-m", "pytest", *tests, *pytest_args],
                          env=env, cwd=repo).returncode


if __name__ == "__main__":
    names = [arg for arg in sys.argv[1:] if arg in SIMULATIONS] or list(SIMULATIONS)
    pytest_args = [arg for arg in sys.argv[1:] if arg not in SIMULATIONS]
    sys.exit(max(run(name, pytest_args) for name in names))
