"""Whatever a reader PUTs comes back byte for byte, and the database survives it."""
import pytest
from stored import table_names
from expected import PLAIN, make_string, read_string, service_path

HOSTILE = {
    "SQL": "'); DROP TABLE user_string; --",
    "SQL for chapter 10": "'); DROP TABLE session_string; --",
    "HTML and script": '<script>alert("owned")</script><b>bold</b>',
    "non-ASCII": "Grüße, 你好, ✓, 🍒",
    "quotes and backslashes": "\"'\\%s%d{}",
    "white space around it": " \t padded on both ends \t ",
}
TABLES = {"tut09": ["user_string"], "tut10": ["session_string", "session"]}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("chapter", ["tut07", "tut08", "tut09", "tut10"], indirect=True)
def test_put_text_is_returned_byte_for_byte(chapter, client_of, text):
    name = chapter.name
    reader, bystander = client_of(chapter), client_of(chapter)
    bystanders_string = make_string(bystander, name).text
    make_string(reader, name)  # chapter 9's PUT updates the row a POST made
    assert reader.put(service_path(name), params={"another_string": text}).status_code == 200

    response = read_string(reader, name)
    assert (response.status_code, response.headers["Content-Type"], response.content) == (
        200, PLAIN, text.encode("utf-8"))
    assert read_string(bystander, name).text == bystanders_string
    if name in TABLES:
        assert table_names(chapter.folder) == TABLES[name]
