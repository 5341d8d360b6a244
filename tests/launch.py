"""Run a chapter script exactly as `python tutNN.py` does, set from outside:

    python tests/launch.py SCRIPT [APP_CONFIG_JSON]

- CherryPy's `server.socket_port` is set to 0 first: the system picks a free port.
- APP_CONFIG_JSON, {path: {key: value}}, is merged over the script's config.
- Ctrl-C works as in a terminal, even in a script's background job (SIGINT ignored).
- READY is printed once CherryPy waits for signals in `engine.block()`: one sent
  earlier can interrupt CherryPy's own start-up.
- When stdin is a pipe, the chapter stops as soon as it closes: when the test
  process ends, however it ends.
"""
import json
import os
import runpy
import signal
import stat
import sys
import threading

import cherrypy

READY = "launch.py: the engine is blocking, Ctrl-C is caught from here on"


def quickstart_with(overrides, quickstart=cherrypy.quickstart):
    def quickstart_merged(root=None, script_name="", config=None):
        config = {path: dict(section) for path, section in (config or {}).items()}
        for path, section in overrides.items():
            config.setdefault(path, {}).update(section)
        return quickstart(root, script_name, config)

    return quickstart_merged


def say_ready_once_blocking(engine):
    """The bus publishes "main" only from inside engine.block()'s wait loop."""
    def ready():
        print(READY, flush=True)
        engine.unsubscribe("main", ready)

    engine.subscribe("main", ready)


def stop_when_stdin_closes():
    # Read the file descriptor, not sys.stdin: a thread blocked in sys.stdin holds
    # its lock, and Python aborts when it cannot take it back at exit.
    while os.read(sys.stdin.fileno(), 512):  # b"" at end of file: nothing holds the pipe
        pass
    engine = cherrypy.engine
    engine.wait(engine.states.STARTED)  # an exit while starting would not stop a later start
    engine.log("stdin closed: the test process has ended, so stopping")
    engine.exit()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
        threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    if len(sys.argv) > 2:
        cherrypy.quickstart = quickstart_with(json.loads(sys.argv[2]))
    cherrypy.config.update({"server.socket_port": 0})
    say_ready_once_blocking(cherrypy.engine)
    runpy.run_path(sys.argv[1], run_name="__main__")
