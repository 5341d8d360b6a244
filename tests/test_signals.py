"""Ctrl-C (SIGINT) and SIGTERM stop every chapter cleanly: exit code 0, no traceback.

All twenty servers start together, and are signalled together, so the run
waits for one boot and one shutdown, not twenty.
"""
import signal

import pytest
from conftest import CHAPTERS, ChapterServers

SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}
pytestmark = pytest.mark.fresh_servers(*[f"{name}.py" for name in CHAPTERS for _ in SIGNALS])
# What CherryPy logs for each, before it stops the bus.
CAUGHT = {"SIGTERM": "ENGINE Caught signal SIGTERM.",
          "SIGINT": "ENGINE Keyboard Interrupt: shutting down bus"}


@pytest.fixture(scope="module")
def stopped(tmp_path_factory, shared_servers):
    """{(chapter, signal name): (exit code, log after the signal)}."""
    pool = ChapterServers(tmp_path_factory, started_early=shared_servers)
    servers = {(name, how): pool.start(f"{name}.py") for name in CHAPTERS for how in SIGNALS}
    for server in servers.values():
        server.wait_until_started()
    for (_, how), server in servers.items():
        server.send(SIGNALS[how])
    yield {key: (server.wait(), server.log_since_signal()) for key, server in servers.items()}
    pool.stop_all()


@pytest.mark.parametrize("how", SIGNALS)
@pytest.mark.parametrize("name", CHAPTERS)
def test_the_server_stops_with_exit_code_0_and_no_traceback(stopped, name, how):
    code, log = stopped[name, how]
    assert code == 0, log
    assert "Traceback" not in log
    assert CAUGHT[how] in log
    assert "ENGINE Bus STOPPED" in log and "ENGINE Bus EXITED" in log
