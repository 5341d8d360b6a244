"""Tutorial 6: What about my javascripts, CSS and images?"""

from expected import HTML, assert_hex_string


def test_index_links_the_stylesheet_under_static(tut06):
    response = tut06.get("/")
    assert (response.status_code, response.headers["Content-Type"]) == (200, HTML)
    assert '<link href="/static/css/style.css" rel="stylesheet">' in response.text


def test_static_css_style_css_is_public_css_style_css_of_the_folder_it_was_started_in(tut06):
    response = tut06.get("/static/css/style.css")
    assert (response.status_code, response.headers["Content-Type"]) == (200, "text/css")
    assert response.content == (tut06.folder / "public/css/style.css").read_bytes()


def test_the_stylesheet_paints_the_background_blue(tut06):
    css = tut06.get("/static/css/style.css").text
    assert "body {\n  background-color: blue;\n}" in css


def test_a_missing_static_file_is_not_found(tut06):
    assert tut06.get("/static/css/missing.css").status_code == 404


def test_sessions_still_work_as_in_chapter_5(tut06, client_of):
    reader = client_of(tut06)
    generated = assert_hex_string(reader.get("/generate"), 8)
    assert reader.get("/display").text == generated
