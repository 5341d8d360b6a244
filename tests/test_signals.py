"""Ctrl-C (SIGINT) and SIGTERM stop every chapter cleanly: exit code 0, no traceback.

SIGTERM goes to the shared servers, which have served every other test by
then: these tests run last. SIGINT goes to a fresh server of each chapter,
started early with the shared ones. All are signalled at once, so the run
waits for one shutdown, not twenty.
"""
import signal

import pytest
from conftest import CHAPTERS, ChapterServers, needs_a_clean_stop

SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}
pytestmark = [needs_a_clean_stop, pytest.mark.runs_last, pytest.mark.usefixtures(*CHAPTERS),
              pytest.mark.fresh_servers(*[f"{name}.py" for name in CHAPTERS])]
# What CherryPy logs for each, before it stops the bus.
CAUGHT = {"SIGTERM": "ENGINE Caught signal SIGTERM.",
          "SIGINT": "ENGINE Keyboard Interrupt: shutting down bus"}


@pytest.fixture(scope="module")
def stopped(tmp_path_factory, shared_servers):
    """{(chapter, signal name): (exit code, log after the signal)}."""
    fresh = ChapterServers(tmp_path_factory, started_early=shared_servers)
    servers = {}
    for name in CHAPTERS:
        servers[name, "SIGTERM"] = shared_servers.chapter(name)
        servers[name, "SIGINT"] = fresh.start(f"{name}.py")
    for (_, how), server in servers.items():
        server.wait_until_started().send(SIGNALS[how])
    yield {key: (server.exit_code(), server.log_since_signal())
           for key, server in servers.items()}
    fresh.stop_all()


@pytest.mark.parametrize("how", SIGNALS)
@pytest.mark.parametrize("name", CHAPTERS)
def test_the_server_stops_with_exit_code_0_and_no_traceback(stopped, name, how):
    code, log = stopped[name, how]
    assert code == 0, log
    assert "Traceback" not in log
    assert CAUGHT[how] in log
    assert "ENGINE Bus STOPPED" in log and "ENGINE Bus EXITED" in log


def test_a_server_started_where_sigint_is_ignored_still_stops_on_ctrl_c(servers, tmp_path):
    # A script's background job starts with SIGINT ignored, and so would its children.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        server = servers.start("tut01.py", folder=tmp_path)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert server.wait_until_started().stop(signal.SIGINT) == 0
    assert CAUGHT["SIGINT"] in server.log_since_signal()
