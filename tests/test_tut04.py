"""Tutorial 4: Submit this form."""

from expected import HTML, assert_hex_string


def test_index_shows_a_form_with_a_length_field_and_a_button(tut04):
    response = tut04.get("/")
    assert (response.status_code, response.headers["Content-Type"]) == (200, HTML)
    for element in ['<form method="get" action="generate">',
                    '<input type="text" value="8" name="length" />',
                    '<button type="submit">Give it now!</button>']:
        assert element in response.text


def test_the_form_sent_by_get_generates_a_string_of_that_length(tut04, client_of):
    assert_hex_string(client_of(tut04).get("/generate", params={"length": "12"}), 12)


def test_the_form_sent_by_post_is_handled_the_same_way(tut04, client_of):
    assert_hex_string(client_of(tut04).post("/generate", data={"length": "12"}), 12)
