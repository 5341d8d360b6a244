"""Twenty readers at once, each in a session of its own, each sees only its own string."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import connected_client
from expected import make_string, read_string

READERS = 20
ROUNDS = 8


@pytest.mark.parametrize("chapter", ["tut05", "tut07", "tut08", "tut09", "tut10"],
                         indirect=True)
def test_every_reader_reads_back_exactly_its_own_latest_string(chapter, client_of):
    name = chapter.name
    readers = [connected_client(client_of, chapter) for _ in range(READERS)]
    all_ready = threading.Barrier(READERS, timeout=10)

    def generate_then_read(reader):
        all_ready.wait()  # start together, so the requests really overlap
        answers = []
        for _ in range(ROUNDS):
            made = make_string(reader, name)
            read = read_string(reader, name)
            answers.append((made.status_code, read.status_code, made.text == read.text))
        return answers

    log_before = len(chapter.log())
    with ThreadPoolExecutor(READERS) as pool:
        answers = [answer for each in pool.map(generate_then_read, readers) for answer in each]
    assert answers == [(200, 200, True)] * (READERS * ROUNDS)
    assert len({reader.cookies["session_id"] for reader in readers}) == READERS
    assert "database is locked" not in chapter.log()[log_before:]
