"""Tutorial 9: Data is all my life."""
import gc
import runpy
import warnings

from clients import Client
from expected import (
    assert_hex_string,
    assert_no_row,
    assert_plain,
    replay_pycon_session,
)
from stored import stored_strings, table_names


def test_the_pycon_session_of_chapter_7_holds_against_generator(tut09, client_of):
    replay_pycon_session(client_of(tut09), "/generator", assert_no_string=assert_no_row)


def test_the_generated_string_is_stored_in_the_sqlite_file(tut09, client_of):
    reader = client_of(tut09)
    generated = reader.post("/generator").text
    assert stored_strings(tut09.folder, reader.cookies["session_id"]) == [generated]


def test_put_replaces_the_string_in_the_database(tut09, client_of):
    reader = client_of(tut09)
    reader.post("/generator")
    reader.put("/generator", params={"another_string": "hello"})
    assert stored_strings(tut09.folder, reader.cookies["session_id"]) == ["hello"]


def test_put_before_any_post_updates_no_row_so_stores_nothing(tut09, client_of):
    reader = client_of(tut09)
    assert_plain(reader.put("/generator", params={"another_string": "hello"}), "")
    assert_no_row(reader.get("/generator"))


def test_delete_removes_the_string_from_the_database(tut09, client_of):
    reader = client_of(tut09)
    reader.post("/generator")
    reader.delete("/generator")
    assert stored_strings(tut09.folder, reader.cookies["session_id"]) == []


def test_the_session_id_sticks_so_the_stored_string_is_found_again(tut09, client_of):
    reader = client_of(tut09)
    generated = reader.post("/generator").text
    session_id = reader.cookies["session_id"]
    assert_plain(reader.get("/generator"), generated)
    assert reader.cookies["session_id"] == session_id


def test_get_returns_the_latest_string_of_the_session(tut09, client_of):
    reader = client_of(tut09)
    reader.post("/generator")
    latest = assert_hex_string(reader.post("/generator", params={"length": 12}), 12)
    assert_plain(reader.get("/generator"), latest)


def test_each_session_reads_only_its_own_string(tut09, client_of):
    alice, bob = client_of(tut09), client_of(tut09)
    alice_string, bob_string = alice.post("/generator").text, bob.post("/generator").text
    assert_plain(alice.get("/generator"), alice_string)
    assert_plain(bob.get("/generator"), bob_string)


def test_the_table_is_created_on_start(tut09):
    assert table_names(tut09.folder) == ["user_string"]  # dropped on a clean stop: test_when_stopped


def test_setup_and_cleanup_may_each_run_twice(pool, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tut09 = runpy.run_path(str(pool.root / "tut09.py"))
    with warnings.catch_warnings():
        # As printed, `with sqlite3.connect(...)` commits but never closes: Python
        # 3.13 warns when the garbage collector does it, so let it do it here.
        warnings.simplefilter("ignore", ResourceWarning)
        for step in ("setup_database", "setup_database", "cleanup_database", "cleanup_database"):
            tut09[step]()
        gc.collect()
    assert table_names(tmp_path) == []
