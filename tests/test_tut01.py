"""Tutorial 1: A basic web application."""
import signal

from expected import HTML

# CherryPy's SignalHandler listens for these, in this order, and skips any the
# system lacks (cherrypy/process/plugins.py): Windows has neither SIGHUP nor SIGUSR1.
CHERRYPY_SIGNALS = ["SIGTERM", "SIGHUP", "SIGUSR1"]


def test_index_says_hello_world(tut01):
    response = tut01.get("/")
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        200, HTML, "Hello world!")


def test_startup_log_shows_the_lines_the_text_explains(tut01):
    log = tut01.log()
    listened_for = [name for name in CHERRYPY_SIGNALS if hasattr(signal, name)]
    expected = [
        *(f"ENGINE Listening for {name}." for name in listened_for),
        "ENGINE Bus STARTING",
        "CherryPy Checker:\nThe Application mounted at '' has an empty config.",
        "ENGINE Started monitor thread 'Autoreloader'.",
        f"ENGINE Serving on {tut01.url}",
        "ENGINE Bus STARTED",
    ]
    positions = [log.find(line) for line in expected]
    assert -1 not in positions and positions == sorted(positions), log
    assert log.count("ENGINE Listening for ") == len(listened_for), log


def test_startup_log_has_no_timeout_monitor_thread_which_cherrypy_12_removed(tut01):
    # README: the text's log shows one; CherryPy 11 and older still start it
    assert "_TimeoutMonitor" not in tut01.log()


def test_an_url_with_no_exposed_method_is_not_found(tut01):
    assert tut01.get("/generate").status_code == 404
