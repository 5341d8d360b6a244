"""Tutorial 8: Make it smoother with Ajax."""
import re

from expected import HTML, JAVASCRIPT, replay_pycon_session

JQUERY = "/static/js/jquery-3.8.0.min.js"


def test_index_serves_index_html_of_the_folder_it_was_started_in_byte_for_byte(tut08):
    response = tut08.get("/")
    assert (response.status_code, response.headers["Content-Type"]) == (200, HTML)
    assert response.content == (tut08.folder / "index.html").read_bytes()


def test_the_page_has_the_length_field_and_its_three_buttons(tut08):
    page = tut08.get("/").text
    for element in ['<input type="text" value="8" name="length" />',
                    '<button id="generate-string">Give it now!</button>',
                    '<button id="replace-string">Replace</button>',
                    '<button id="delete-string">Delete it</button>']:
        assert element in page


def test_the_page_loads_jquery_from_this_server_so_it_works_offline(tut08):
    page = tut08.get("/").text
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["/static/css/style.css", JQUERY]
    script = tut08.get(JQUERY)
    assert script.status_code == 200 and script.headers["Content-Type"] in JAVASCRIPT
    assert script.text.startswith("/*! jQuery v3.8.0 |")


def test_replace_sends_what_the_reader_typed_not_the_empty_value_of_a_div(tut08):
    page = tut08.get("/").text
    assert 'data: {"another_string": $("#the-string input").val()}' in page


def test_the_stylesheet_hides_the_string_until_one_is_generated(tut08):
    css = tut08.get("/static/css/style.css").text
    assert "#the-string {\n  display: none;\n}" in css


def test_the_pycon_session_of_chapter_7_holds_against_generator(tut08, client_of):
    replay_pycon_session(client_of(tut08), "/generator")
