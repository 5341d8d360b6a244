"""Today's chapter 10: chapter 9's code serves the React.js page, and all it loads, offline.

The server is `python ../tut09.py` started in 2018-ch10-react/ (the `react`
fixture). The page itself is clicked through in test_pages_2018_ch10.py.
"""
import re
import socket
from urllib.parse import urlsplit

import pytest
from clients import REQUEST_SECONDS
from expected import HTML, JAVASCRIPT, assert_no_row, replay_pycon_session
from servers import FOLDER_MARK

BABEL = "/static/js/babel-core-5.8.23-browser.min.js"  # 1358606 bytes, from npm
LIBRARIES = {  # what the page loads, and a line each file begins with or holds
    "/static/js/react-0.13.3.js": b"/**\n * React v0.13.3\n */",
    "/static/js/jquery-3.8.0.min.js": b"/*! jQuery v3.8.0 |",
    BABEL: b'{name:"babel-core",version:"5.8.23",',
}


def test_the_page_loads_everything_from_this_server(react):
    response = react.get("/")
    assert (response.status_code, response.headers["Content-Type"]) == (200, HTML)
    assert re.findall(r'(?:src|href)="([^"]+)"', response.text) == [
        "/static/css/style.css", *LIBRARIES, "static/js/gen.js"]


def test_the_page_is_an_empty_div_that_gen_js_renders_into(react):
    page = react.get("/").text
    assert '<div id="generator"></div>' in page
    assert '<script type="text/babel" src="static/js/gen.js"></script>' in page


@pytest.mark.parametrize("path", LIBRARIES)
def test_each_library_is_served_as_javascript(react, path):
    response = react.get(path)
    assert response.status_code == 200 and response.headers["Content-Type"] in JAVASCRIPT
    assert LIBRARIES[path] in response.content


def test_gen_js_is_served_for_babel_to_turn_into_javascript_in_the_page(react):
    response = react.get("/static/js/gen.js")
    assert response.status_code == 200 and response.headers["Content-Type"] in JAVASCRIPT
    assert response.text.startswith("var StringGeneratorBox = React.createClass({\n")
    assert response.text.endswith("  <StringGeneratorBox url=\"/generator\" />,\n"
                                  "  document.getElementById('generator')\n);\n")


def test_the_stylesheet_is_chapter_8s_blue_one_from_the_folder_it_was_started_in(react):
    css = react.get("/static/css/style.css").text
    assert css == ("body {\n  background-color: blue;\n}\n\n#the-string {\n  display: none;\n}\n"
                   + FOLDER_MARK["public/css/style.css"])


def test_the_api_gen_js_talks_to_is_chapter_9s(react, client_of):
    replay_pycon_session(client_of(react), "/generator", assert_no_string=assert_no_row)


def test_a_reader_who_closes_the_page_mid_download_leaves_the_server_serving(react):
    """The stop at the end of the run then checks that the hang-up spoils no exit."""
    url = urlsplit(react.url)
    with socket.socket() as reader:
        # a receive window far too small for 8 babels asked for at once
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        reader.settimeout(REQUEST_SECONDS)
        reader.connect((url.hostname, url.port))
        reader.sendall(f"GET {BABEL} HTTP/1.1\r\nHost: {url.netloc}\r\n\r\n".encode() * 8)
        with reader.makefile("rb") as answer:  # reads until it has the 15 bytes
            assert answer.read(15) == b"HTTP/1.1 200 OK"
    # closed with the answer unread: the server's next write fails
    response = react.get(BABEL)
    assert (response.status_code, len(response.content)) == (200, 1358606)
