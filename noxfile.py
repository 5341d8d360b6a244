"""CI's runner: the whole suite, browser tests included, on each CPython 3.9-3.14.

    python -m nox                  # every version this machine has
    python -m nox -s tests-3.12    # one of them

Each session is a fresh virtual environment built from requirements-browser.txt
(which includes requirements.txt). The chapter scripts are measured inside the
server processes; below 100% of their lines, the session fails. On two of the
versions the tests that another OS would answer differently run again, with that
difference simulated (tests/simulated/run.py).
"""
import nox

PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]
nox.options.sessions = ["tests"]
# Python's own type for .js, application/javascript up to 3.11, and one set
# explicitly from 3.12 on: both simulate a macOS or Windows table that says so.
SIMULATED_ON = ["3.11", "3.13"]


@nox.session(python=PYTHONS)
def tests(session):
    session.install("-r", "requirements-browser.txt", "coverage>=7.10")
    session.run("coverage", "erase")
    session.run("coverage", "run", "-m", "pytest", *session.posargs)
    session.run("coverage", "combine", "--quiet")
    session.run("coverage", "report")
    if session.python in SIMULATED_ON:
        session.run("python", "tests/simulated/run.py")
