"""Chapters 6 and 8-10, and today's 10, serve index.html and public/ from the
folder they are started in (the text's `os.getcwd()` and `open('index.html')`),
not from the folder that holds the script: each server folder's copies end
with a line the repository's files do not have.
"""
import pytest
from servers import FOLDER_MARK

PAGE_CHAPTERS = ["tut08", "tut09", "tut10", "react"]


@pytest.mark.parametrize("chapter", PAGE_CHAPTERS, indirect=True)
def test_the_page_is_the_index_html_of_the_start_folder(chapter):
    response = chapter.get("/")
    assert response.status_code == 200 and response.text.endswith(FOLDER_MARK["index.html"])


@pytest.mark.parametrize("chapter", ["tut06", *PAGE_CHAPTERS], indirect=True)
def test_the_stylesheet_is_the_one_in_public_of_the_start_folder(chapter):
    response = chapter.get("/static/css/style.css")
    mark = FOLDER_MARK["public/css/style.css"]
    assert response.status_code == 200 and response.text.endswith(mark)
