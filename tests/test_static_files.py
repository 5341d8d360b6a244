"""/static/ serves public/ and nothing outside it, however the path is written.

The paths go out exactly as written (http.client): requests would tidy them.
"""
import http.client
from urllib.parse import urlsplit

import pytest

CANARY = "outside-public.txt"
STATIC_CHAPTERS = ["tut06", "tut08", "tut09", "tut10"]
# Path -> status. CherryPy's staticdir answers 403 for a path that resolves
# outside its folder, 404 for one it cannot find there.
ESCAPES = {
    "/static/../{canary}": 403,
    "/static/%2e%2e/{canary}": 403,
    "/static/..%2f{canary}": 403,
    "/static/%2e%2e%2f{canary}": 403,
    "/static/css/../../{canary}": 403,
    "/static/%2f{folder}/{canary}": 403,
    "/static//{folder}/{canary}": 404,
    "/static/{folder}/{canary}": 404,
    "/static/..%5c{canary}": 404,
    "/static/..\\{canary}": 404,
    "//static/../{canary}": 404,
}


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
    path = escape.format(canary=CANARY, folder=str(chapter.folder).lstrip("/"))
    status, body = raw_get(chapter, path)
    assert (status, b"canary" in body) == (ESCAPES[escape], False)


@pytest.mark.parametrize("path", ["/static//css//style.css", "/static/./css/style.css",
                                  "/static/css/../css/style.css"])
@pytest.mark.parametrize("chapter", STATIC_CHAPTERS, indirect=True)
def test_untidy_paths_inside_public_still_find_the_stylesheet(chapter, path):
    status, body = raw_get(chapter, path)
    assert (status, body) == (200, (chapter.folder / "public/css/style.css").read_bytes())
