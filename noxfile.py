"""CI's runner: the whole suite, browser tests included, on each CPython 3.9-3.14.

    python -m nox                  # every session CI runs, on every version this machine has
    python -m nox -s tests-3.12    # one of them
    python -m nox -s pin           # refresh constraints.txt (not run by CI)

Each session is a fresh virtual environment built from requirements-browser.txt
(which includes requirements.txt):
- tests: the newest versions, every warning an error; the chapter scripts are
  measured inside the server processes, and below 100% of their lines it fails;
- lowest: the lowest versions the requirements admit, on the oldest and the
  newest Python, warnings shown as a reader sees them;
- pinned: the tested set, constraints.txt, every warning an error.
On two of the versions, `tests` then runs the tests that another OS would
answer differently again, with that difference simulated (.ci/simulated/run.py).
"""
import sys

import nox

PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]
nox.options.sessions = ["tests", "lowest", "pinned"]
STRICT = ["-W", "error"]  # CI fails on every warning, so the project hears first
sys.path.insert(0, ".ci")
import versions  # noqa: E402 (.ci/versions.py)

# Python's own type for .js, application/javascript up to 3.11, and one set
# explicitly from 3.12 on: both simulate a macOS or Windows table that says so.
SIMULATED_ON = ["3.11", "3.13"]


@nox.session(python=PYTHONS)
def tests(session):
    session.install("-r", "requirements-browser.txt", "coverage>=7.10")
    session.run("coverage", "erase")
    session.run("coverage", "run", "-m", "pytest", *STRICT, *session.posargs)
    session.run("coverage", "combine", "--quiet")
    session.run("coverage", "report")
    if session.python in SIMULATED_ON:
        session.run("python", ".ci/simulated/run.py", *STRICT)


# The lowest versions are tested on the oldest Python and on 3.13; on 3.14 the
# oldest releases of several (playwright's greenlet, pytest 7) do not install or
# run, and only the newest and the tested set are known to pass.
@nox.session(python=["3.9", "3.13"])
def lowest(session):
    """The lowest versions requirements*.txt admit (each `>=` bound made `==`)."""
    constraints = f"{session.create_tmp()}/lowest.txt"
    with open(constraints, "w", encoding="utf-8") as pins:
        pins.write("\n".join(versions.lowest_pins(session.python)) + "\n")
    session.install("-r", "requirements-browser.txt", "-c", constraints)
    # Warnings listed, as a reader sees them: old releases warn on a newer
    # Python (pytest 7.2 on 3.13: ast.Str is deprecated), and that is no news.
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHONS)
def pinned(session):
    """The tested set: constraints.txt's exact versions."""
    session.install("-r", "requirements-browser.txt", "-c", "constraints.txt")
    session.run("python", "-m", "pytest", *STRICT, *session.posargs)


@nox.session(python=PYTHONS)
def pin(session):
    """The newest versions; once the suite passes with them, every warning an
    error, they become this Python's lines of constraints.txt."""
    session.install("-r", "requirements-browser.txt")
    # but the checks of the tested set, which this session is to refresh
    session.run("python", "-m", "pytest", *STRICT, "-k", "not the_tested_set", *session.posargs)
    session.run("python", ".ci/versions.py", "pin")
