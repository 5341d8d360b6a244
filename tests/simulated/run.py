"""Run the tests that another OS or Python would answer differently, with that
difference simulated here.

    python tests/simulated/run.py                          # every simulation
    python tests/simulated/run.py application-javascript   # one

Each folder beside this file holds a sitecustomize.py, which Python imports at
start-up from PYTHONPATH: in pytest and in every chapter server it starts, as
they inherit its environment (so the path must be absolute: they run elsewhere).
Each run first checks that the simulation is in force. Extra arguments go to pytest.
"""
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# name -> (what is true under it, the test files whose expectations it changes)
SIMULATIONS = {
    "application-javascript": (
        "__import__('mimetypes').guess_type('x.js')[0] == 'application/javascript'",
        ["tests/test_tut08.py", "tests/test_2018_ch10_react.py",
         "tests/test_pages.py", "tests/test_pages_2018_ch10.py"]),
    "windows-signals": (
        "not hasattr(__import__('signal'), 'SIGHUP')",
        ["tests/test_tut01.py"]),
}


def run(name, pytest_args):
    in_force, tests = SIMULATIONS[name]
    env = {**os.environ, "PYTHONPATH": str(HERE / name)}
    print(f"== simulated: {name}", flush=True)
    subprocess.run([sys.executable, "-c", f"assert {in_force}, 'not in force'"],
                   env=env, check=True)
    return subprocess.run([sys.executable, "-m", "pytest", *tests, *pytest_args],
                          env=env, cwd=HERE.parent.parent).returncode


if __name__ == "__main__":
    names = [arg for arg in sys.argv[1:] if arg in SIMULATIONS] or list(SIMULATIONS)
    pytest_args = [arg for arg in sys.argv[1:] if arg not in SIMULATIONS]
    codes = [run(name, pytest_args) for name in names]
    sys.exit(max(codes))
