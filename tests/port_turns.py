"""One port for several test runs: today's chapter 12's tests (CherryPy's CPWebCase)
always serve on 127.0.0.1:54583, so two runs of this suite take turns on it."""
import os
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from servers import wait_for

CPWEBCASE_PORT = 54583  # fixed in cherrypy/test/helper.py, CPWebCase.setup_class
TURN_SECONDS = 150  # another run's turn: its three pytest runs of chapter 12
FREE_SECONDS = 5

if os.name == "nt":
    import msvcrt

    def try_to_lock(file):
        file.seek(0)
        try:
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def unlock(file):
        file.seek(0)
        msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def try_to_lock(file):
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def unlock(file):
        fcntl.flock(file, fcntl.LOCK_UN)


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
    """Wait for this suite's other runs to be done with `port` (a lock on a file
    in the temporary folder, which the system releases when its holder ends,
    however it ends), then fail, naming the port, if another program holds it."""
    with open(Path(tempfile.gettempdir()) / f"cherrypy-tutorials-port-{port}.lock", "a+b") as lock:
        wait_for(lambda: try_to_lock(lock), TURN_SECONDS,
                 f"a turn on port {port}, which another run of these tests holds")
        try:
            try:
                wait_for(lambda: is_free(port), free_seconds, f"port {port} free")
            except TimeoutError:
                pytest.fail(f"Port {port} is held by another program, not by these tests: "
                            "today's chapter 12's tests (CherryPy's CPWebCase) always serve "
                            "on it. Stop that program and run the tests again.", pytrace=False)
            yield
        finally:
            unlock(lock)
