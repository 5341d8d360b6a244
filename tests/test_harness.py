"""The harness itself: no server outlives the run, whatever fails.

A stand-in server that ignores SIGTERM plays the chapter that will not stop.
"""
import signal
from types import SimpleNamespace

import conftest
import pytest
from conftest import KILLED, ChapterServer, needs_a_clean_stop, reap

STUBBORN = """\
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ENGINE Serving on http://127.0.0.1:1", flush=True)
print("ENGINE Bus STARTED", flush=True)
time.sleep(60)
"""


@pytest.fixture
def stubborn(tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN)
    server = ChapterServer(str(script), tmp_path / "run")
    server.stop_seconds = 0.1
    yield server.start().wait_until_started()
    reap([server])


@needs_a_clean_stop
def test_a_server_that_ignores_sigterm_is_killed_once_its_time_is_up(stubborn):
    stubborn.send(signal.SIGTERM)
    assert stubborn.exit_code() == "nothing: still running 0.1 s after the signal, so killed"
    assert stubborn.process.poll() == KILLED


def test_a_server_left_running_fails_the_run_which_names_and_kills_it(stubborn, monkeypatch):
    said = []
    reporter = SimpleNamespace(write_line=lambda line, **style: said.append(line))
    session = SimpleNamespace(exitstatus=pytest.ExitCode.OK, config=SimpleNamespace(
        pluginmanager=SimpleNamespace(get_plugin=lambda name: reporter)))
    monkeypatch.setattr(conftest, "STARTED", [stubborn])

    conftest.pytest_sessionfinish(session)
    assert session.exitstatus == pytest.ExitCode.TESTS_FAILED
    assert said == [f"{stubborn.script} (pid {stubborn.process.pid}, in {stubborn.folder}) "
                    "was still running at the end of the run: killed"]
    assert stubborn.process.poll() == KILLED
    assert reap([stubborn]) == []  # and only once
