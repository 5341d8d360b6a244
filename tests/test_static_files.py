"""/static/ serves public/ and nothing outside it, however the path is written.

The paths go out exactly as written (http.client): requests would tidy them.
What Windows answers is computed here by running CherryPy's own staticdir with
ntpath, as it runs there: see the end of this file.
"""
import http.client
import ntpath
import os
import posixpath
import re
from pathlib import PurePosixPath, PureWindowsPath
from types import SimpleNamespace
from urllib.parse import quote, unquote, urlsplit

import cherrypy
import pytest
from cherrypy.lib import static

CANARY = "outside-public.txt"
STATIC_CHAPTERS = ["tut06", "tut08", "tut09", "tut10"]
# Path -> status on POSIX, on Windows. CherryPy's staticdir answers 403 for a
# path that resolves outside its folder, 404 for one it cannot find there
# (cherrypy/lib/static.py). On Windows, whose os.path is ntpath, a backslash
# separates as a slash does, so `..\` climbs out of public/, and a path that
# starts with a drive letter ({folder} is C:\...) replaces public/ in
# os.path.join: 403 where POSIX looks for a harmless name inside public/ (404).
ESCAPES = {
    "/static/../{canary}": (403, 403),
    "/static/%2e%2e/{canary}": (403, 403),
    "/static/..%2f{canary}": (403, 403),
    "/static/%2e%2e%2f{canary}": (403, 403),
    "/static/css/../../{canary}": (403, 403),
    "/static/%2f{folder}/{canary}": (403, 403),
    "/static//{folder}/{canary}": (404, 403),
    "/static/{folder}/{canary}": (404, 403),
    "/static/..%5c{canary}": (404, 403),
    "/static/..\\{canary}": (404, 403),
    "//static/../{canary}": (404, 404),
}
COLUMN = {"POSIX": 0, "Windows": 1}
ON_THIS_OS = COLUMN["Windows" if os.name == "nt" else "POSIX"]
UNTIDY = ["/static//css//style.css", "/static/./css/style.css", "/static/css/../css/style.css"]


def written(escape, folder):
    """The path of `escape` for a server started in `folder` (a space or a
    non-ASCII letter in it quoted, as http.client sends only ASCII, no spaces)."""
    return escape.format(canary=CANARY, folder=quote(str(folder).lstrip("/"), safe="/\\:"))


def raw_get(server, path):
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def canary(chapter):
    """A file beside public/, in the folder the server was started from."""
    path = chapter.folder / CANARY
    path.write_text("the canary must never be served")
    yield path
    path.unlink()


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize("chapter", STATIC_CHAPTERS, indirect=True)
def test_no_path_under_static_serves_a_file_from_outside_public(chapter, canary, escape):
    status, body = raw_get(chapter, written(escape, chapter.folder))
    assert (status, b"canary" in body) == (ESCAPES[escape][ON_THIS_OS], False)


@pytest.mark.parametrize("path", UNTIDY)
@pytest.mark.parametrize("chapter", STATIC_CHAPTERS, indirect=True)
def test_untidy_paths_inside_public_still_find_the_stylesheet(chapter, path):
    status, body = raw_get(chapter, path)
    assert (status, body) == (200, (chapter.folder / "public/css/style.css").read_bytes())


# Windows, simulated: CherryPy's staticdir, called as the chapters configure it,
# on the path cheroot hands it, with ntpath as os.path and "Windows" as the
# platform. No file is opened: what it looks for is recorded.
SYSTEMS = {"POSIX": ("Linux", posixpath, PurePosixPath("/home/reader/tutorials")),
           "Windows": ("Windows", ntpath, PureWindowsPath(r"C:\Users\A Reader\tutorials"))}


def path_info(path):
    """What cheroot makes of a request's path (cheroot/server.py, read_request_line):
    the path part of the URI, percent-decoded but for %2F."""
    return "%2F".join(unquote(part) for part in re.split("(?i)%2F", urlsplit(path).path))


def staticdir_on(system, path, monkeypatch):
    """403, or the file CherryPy's staticdir looks for (normalized) on `system`,
    or None when the path is not under /static/ (the tool is off there)."""
    platform, ospath, root = SYSTEMS[system]
    info = path_info(path)
    if [part for part in info.split("/") if part][:1] != ["static"]:
        return None
    looked_for = []

    def stat(filename):
        looked_for.append(ospath.normpath(filename))
        raise FileNotFoundError(filename)

    monkeypatch.setattr(static, "platform", SimpleNamespace(system=lambda: platform))
    monkeypatch.setattr(static, "os", SimpleNamespace(path=ospath, stat=stat))
    monkeypatch.setattr(cherrypy.serving, "request",
                        SimpleNamespace(method="GET", script_name="", path_info=info))
    try:  # the chapters' config: root os.path.abspath(os.getcwd()), dir ./public
        static.staticdir("/static", "./public", root=str(root))
    except cherrypy.HTTPError as error:
        return error.status
    return looked_for[0]


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("escape", ESCAPES)
def test_staticdir_answers_each_escape_as_expected_on_posix_and_on_windows(
        escape, system, monkeypatch):
    """POSIX's column is also what the servers answer above: it checks this simulation."""
    looked_for = staticdir_on(system, written(escape, SYSTEMS[system][2]), monkeypatch)
    public = str(SYSTEMS[system][2] / "public")
    assert looked_for == 403 or looked_for is None or looked_for.startswith(public)
    status = 403 if looked_for == 403 else 404  # a name inside public/ that is not there
    assert status == ESCAPES[escape][COLUMN[system]]


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("path", UNTIDY)
def test_staticdir_finds_the_stylesheet_by_each_untidy_path_on_posix_and_on_windows(
        path, system, monkeypatch):
    assert staticdir_on(system, path, monkeypatch) == str(
        SYSTEMS[system][2] / "public" / "css" / "style.css")
