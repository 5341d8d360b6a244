"""Run a chapter script exactly as `python tutNN.py` does, set from outside in three ways.

    python tests/launch.py SCRIPT [APP_CONFIG_JSON]

- The port: the script keeps its own config, but the global `server.socket_port`
  is set to 0 first, so the OS picks a free port and CherryPy logs
  "Serving on http://127.0.0.1:PORT". A reader's server on 8080 is never touched.
- APP_CONFIG_JSON, optional: {path: {key: value}} merged over the config the
  script hands to `cherrypy.quickstart`, e.g. to switch a tool off.
- Ctrl-C works as in a reader's terminal even when the tests were started as a
  background job of a script, which starts its children with SIGINT ignored.

And it prints READY once the main thread waits in `engine.block()`, where
CherryPy catches Ctrl-C: a SIGINT that arrives earlier, while the engine is
still starting, can interrupt CherryPy's own code. The tests wait for READY.
"""
import json
import runpy
import signal
import sys

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


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    script = sys.argv[1]
    if len(sys.argv) > 2:
        cherrypy.quickstart = quickstart_with(json.loads(sys.argv[2]))
    cherrypy.config.update({"server.socket_port": 0})
    say_ready_once_blocking(cherrypy.engine)
    runpy.run_path(script, run_name="__main__")
