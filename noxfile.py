"""CI's runner: the whole suite, browser tests included, on each CPython 3.9-3.14.

    python -m nox                  # every version this machine has
    python -m nox -s tests-3.12    # one of them

Each session is a fresh virtual environment built from requirements-browser.txt
(which includes requirements.txt). The chapter scripts are measured inside the
server processes; below 100% of their lines, the session fails.
"""
import nox

PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]
nox.options.sessions = ["tests"]


@nox.session(python=PYTHONS)
def tests(session):
    session.install("-r", "requirements-browser.txt", "coverage>=7.10")
    session.run("coverage", "erase")
    session.run("coverage", "run", "-m", "pytest", *session.posargs)
    session.run("coverage", "combine", "--quiet")
    session.run("coverage", "report")
