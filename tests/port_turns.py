"""One port for several test runs: today's chapter 12's tests (CherryPy's CPWebCase)
always serve on 127.0.0.1:54583, so two runs of this suite take turns on it."""
import os
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock
from servers import wait_for

CPWEBCASE_PORT = 54583  # fixed in cherrypy/test/helper.py, CPWebCase.setup_class
TURN_SECONDS = 150  # another run's turn: its three pytest runs of chapter 12
FREE_SECONDS = 5


def is_free(port):
    """Whether a server could listen on 127.0.0.1:`port` now, bound as cheroot binds."""
    with socket.socket() as probe:
        if os.name != "nt":  # as cheroot: a closed connection's TIME_WAIT does not count
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@contextmanager
def a_turn_on(port=CPWEBCASE_PORT, free_seconds=FREE_SECONDS):
    """Wait for this suite's other runs to be done with `port` (a lock the system releases
    when its holder ends), then fail, naming the port, if another program holds it."""
    with FileLock(Path(tempfile.gettempdir()) / f"cherrypy-tutorials-port-{port}.lock",
                  timeout=TURN_SECONDS):
        try:
            wait_for(lambda: is_free(port), free_seconds, f"port {port} free")
        except TimeoutError:
            pytest.fail(f"Port {port} is held by another program, not by these tests: "
                        "today's chapter 12's tests (CherryPy's CPWebCase) always serve "
                        "on it. Stop that program and run the tests again.", pytrace=False)
        yield
