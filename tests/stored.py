"""What chapters 9 and 10 keep in the my.db of their folder, read as another program would."""
import sqlite3
from contextlib import closing


def query(folder, sql):
    with closing(sqlite3.connect(folder / "my.db")) as db:
        return db.execute(sql).fetchall()


def table_names(folder):
    return [name for (name,) in query(folder, "SELECT name FROM sqlite_master WHERE type='table'")]


def stored_sessions(folder):
    """Chapter 10's session ids."""
    return {session_id for (session_id,) in query(folder, "SELECT id FROM session")}


def stored_strings(folder, session_id=None):
    """Chapter 9's strings, of one session or of all, oldest first."""
    rows = query(folder, "SELECT session_id, value FROM user_string ORDER BY rowid")
    return [value for sid, value in rows if session_id in (None, sid)]
