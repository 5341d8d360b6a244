"""Twenty readers at once, each in a session of its own, each sees only its own string.

The five chapters' readers all run at the same time, a hundred in all: the
servers are separate processes, so their work spreads over the cores. Each
reader is a bare keep-alive connection that keeps its session cookie, so that
the load is on the servers, not on this process.
"""
import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from clients import REQUEST_SECONDS, connected
from expected import make_string, read_string
from servers import DoesNotStart

READERS = 20
ROUNDS = 4
CHAPTERS = ["tut05", "tut07", "tut08", "tut09", "tut10"]


class Reader:
    """A browser reduced to one keep-alive connection and its session cookie,
    with the `request` and `get` that make_string and read_string call."""

    def __init__(self, url):
        address = urlsplit(url)
        self.connection = http.client.HTTPConnection(address.hostname, address.port,
                                                     timeout=REQUEST_SECONDS)
        self.cookies = {}

    def request(self, method, path):
        cookie = self.cookies.get("session_id")
        self.connection.request(method, path,
                                headers={"Cookie": f"session_id={cookie}"} if cookie else {})
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")  # the icon is not text
        for name, morsel in SimpleCookie(response.getheader("Set-Cookie", "")).items():
            self.cookies[name] = morsel.value
        return SimpleNamespace(status_code=response.status, text=text)

    def get(self, path):
        return self.request("GET", path)


@pytest.fixture(scope="module")
def crowds(pool, chapters_tested_here):
    """{chapter: (its readers' answers, their session ids, its log meanwhile)}, for
    each chapter that starts (the `chapter` fixture fails the others' tests)."""
    chapters = {}
    for name in chapters_tested_here:
        try:
            chapters[name] = pool.shared_server(name)
        except DoesNotStart:
            pass
    readers = []
    try:
        for name, server in chapters.items():
            readers += [(name, connected(Reader(server.url))) for _ in range(READERS)]
        return crowds_of(chapters, readers)
    finally:
        for _, reader in readers:
            reader.connection.close()


def crowds_of(servers, readers):
    """Every reader generates then reads back ROUNDS times, all at once."""
    if not readers:
        return {}
    all_ready = threading.Barrier(len(readers), timeout=10)

    def generate_then_read(name_and_reader):
        name, reader = name_and_reader
        all_ready.wait()  # start together, so the requests really overlap
        answers = []
        for _ in range(ROUNDS):
            made = make_string(reader, name)
            read = read_string(reader, name)
            answers.append((made.status_code, read.status_code, made.text == read.text))
        return answers

    logs_before = {name: len(server.log()) for name, server in servers.items()}
    with ThreadPoolExecutor(len(readers)) as pool:
        answers = list(pool.map(generate_then_read, readers))
    crowds = {name: ([], set(), server.log()[logs_before[name]:])
              for name, server in servers.items()}
    for (name, reader), its_answers in zip(readers, answers):
        crowds[name][0].extend(its_answers)
        crowds[name][1].add(reader.cookies["session_id"])
    return crowds


@pytest.mark.parametrize("chapter", CHAPTERS, indirect=True)
def test_every_reader_reads_back_exactly_its_own_latest_string(chapter, crowds):
    answers, session_ids, log = crowds[chapter.name]
    assert answers == [(200, 200, True)] * (READERS * ROUNDS)
    assert len(session_ids) == READERS
    assert "database is locked" not in log
