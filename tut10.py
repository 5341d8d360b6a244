import datetime
import io
import os, os.path
import pickle
import random
import sqlite3
import string
import threading

import cherrypy
from cherrypy.process.plugins import SimplePlugin

DB_STRING = "my.db"
# A reader's string, typed in the page's box, holds at most this many
# characters (a generated one, 22): far more than a line of text, and a
# stored string takes at most 40 kB (4 bytes a character in UTF-8).
LONGEST_STRING = 10000
# A request body holds at most this many bytes: the longest string's 40 kB
# percent-encoded in a form (%F0%9F%8D%92 for one 4-byte character: 3 times
# as long), with room for the field names. CherryPy's default, 100 MB, would
# let one request cost the server far more memory than any string needs.
LONGEST_BODY = 128 * 1024
# A request's line and headers hold at most this many bytes, as in many
# servers (CherryPy's default: 500 kB): reading a longer one can cost
# CherryPy seconds of CPU, while it holds one of the server's ten threads:
# a few such requests at once and no other reader is answered.
LONGEST_HEADERS = 8 * 1024
# An Accept header holds at most this many characters, far more than the list
# a browser sends; the tills split it twice, so a longer one is refused first.
LONGEST_ACCEPT = 1000


# The crew (a plugin): work outside any request, for the whole life of the
# server. It creates the tables when the server starts, gives each server
# thread one connection of its own, and closes them all when it stops.
class DatabasePlugin(SimplePlugin):

    def __init__(self, bus, db_string):
        SimplePlugin.__init__(self, bus)
        self.db_string = db_string
        self.local = threading.local()
        self.connections = []
        self.lock = threading.Lock()

    def start(self):
        self.bus.log('Creating the session_string and session tables in %s'
                     % self.db_string)
        with self.connection() as con:
            # Give the space of deleted rows back to the file system, where
            # SQLite would keep it for later rows: set on a new my.db, and on
            # an older one by the VACUUM (quick on a file of live sessions).
            con.execute("PRAGMA auto_vacuum = FULL")
            con.execute("VACUUM")
            con.execute("CREATE TABLE IF NOT EXISTS session_string"
                        " (session_id TEXT PRIMARY KEY, value TEXT)")
            con.execute("CREATE TABLE IF NOT EXISTS session"
                        " (id TEXT PRIMARY KEY, data BLOB, expires REAL)")

    def stop(self):
        with self.lock:
            for con in self.connections:
                con.close()
            self.bus.log('Closed %d database connections' % len(self.connections))
            self.connections = []
            self.local = threading.local()

    def connection(self):
        """The calling thread's own connection, opened on its first call."""
        con = getattr(self.local, 'con', None)
        if con is None:
            # Opened here, closed by stop() in the main thread: hence
            # check_same_thread=False. Each connection still serves one thread.
            con = sqlite3.connect(self.db_string, check_same_thread=False,
                                  isolation_level=None)
            with self.lock:
                self.local.con = con
                self.connections.append(con)
                self.bus.log('Opened database connection %d for %s' % (
                    len(self.connections), threading.current_thread().name))
        return con


# The crew also keeps the sessions, in the session table beside the strings,
# so that they survive a restart. A session is stored once a request uses it;
# a request that never does leaves nothing behind (CherryPy's file sessions
# leave a lock file on disk for every request).
class DatabaseSession(cherrypy.lib.sessions.Session):

    db = None  # the crew, given by the config: 'tools.sessions.db'
    locks = [threading.RLock() for _ in range(64)]  # a fixed set, shared by ids

    def _stored(self):
        return self.db.connection().execute(
            "SELECT data FROM session WHERE id=?", [self.id]).fetchone()

    def _exists(self):
        return self._stored() is not None

    def _load(self):
        row = self._stored()
        return None if row is None else pickle.loads(row[0])

    def save_now(self):
        """Store the session at once, not only at the end of the request."""
        self._save(self.now() + datetime.timedelta(minutes=self.timeout))

    def _save(self, expiration_time):
        self.db.connection().execute(
            "INSERT OR REPLACE INTO session VALUES (?, ?, ?)",
            [self.id, pickle.dumps((self._data, expiration_time)),
             expiration_time.timestamp()])

    def acquire_lock(self):
        self.lock = self.locks[hash(self.id) % len(self.locks)]
        self.lock.acquire()
        self.locked = True

    def release_lock(self):
        self.lock.release()
        self.locked = False

    def clean_up(self):
        """Run by CherryPy's session cleanup thread: forget expired sessions,
        then every string without a session (theirs, and any a crash left
        behind), so storage is bounded by live sessions. A request stores its
        session before its string (store()), so no running request loses one."""
        con = self.db.connection()
        con.execute("DELETE FROM session WHERE expires < ?", [self.now().timestamp()])
        con.execute("DELETE FROM session_string WHERE session_id NOT IN"
                    " (SELECT id FROM session)")


# The discount (a tool): code run for each request, at a hook point, where
# the config switches it on. This one turns away a bad `length` with a
# plain 400 before the handler runs, instead of the 500 of chapters 3-9.
def check_length(lowest=1, highest=22):
    request = cherrypy.request
    # Every length the handler would get: from the query string or the form,
    # and, for POST, from the path: CherryPy calls POST('12') for
    # POST /generator/12.
    lengths = list(request.handler.args) if request.method == 'POST' else []
    if 'length' in request.params or not lengths:
        lengths.append(request.params.get('length', '8'))
    length = lengths[0] if len(lengths) == 1 else lengths  # two are refused
    # A few ASCII digits only: int() refuses more than 4,300 digits.
    whole = isinstance(length, str) and length.isascii() and length.isdigit()
    if whole and len(length) <= 4 and lowest <= int(length) <= highest:
        return
    cherrypy.response.status = 400
    cherrypy.response.headers['Content-Type'] = 'text/plain;charset=utf-8'
    cherrypy.response.body = ('length must be a whole number from %d to %d\n'
                              % (lowest, highest)).encode('utf-8')
    cherrypy.request.handler = None  # the handler does not run

# Priority 20: before the JSON till's json_out (30), which wraps the handler.
cherrypy.tools.check_length = cherrypy.Tool('before_handler', check_length, priority=20)


# The tills (a dispatcher): it decides which code serves a request. This one
# sends a request whose Accept header names JSON to the JSON till, and every
# other request to the plain-text till; then, as chapter 7's MethodDispatcher,
# it picks the method named after the HTTP method.
class TillDispatcher(cherrypy.dispatch.MethodDispatcher):

    def __init__(self, json_till):
        cherrypy.dispatch.MethodDispatcher.__init__(self)
        self.json_till = json_till

    def find_handler(self, path):
        if len(cherrypy.request.headers.get('Accept', '')) > LONGEST_ACCEPT:
            raise cherrypy.HTTPError(431, 'An Accept header may hold at most {:,} characters'
                                     .format(LONGEST_ACCEPT))
        resource, vpath = cherrypy.dispatch.MethodDispatcher.find_handler(self, path)
        accepted = [media.value for media in cherrypy.request.headers.elements('Accept')
                    if media.qvalue > 0]
        if resource is not None and 'application/json' in accepted:
            return self.json_till, vpath
        return resource, vpath


# Every error answer, CherryPy's and ours, is its message as plain text,
# not CherryPy's HTML page with the traceback (the log still has it). Set as
# each request begins: an error in a header, or in the tills, comes before
# the config applies.
def plain_error_page(status, message, traceback, version):
    cherrypy.response.headers['Content-Type'] = 'text/plain;charset=utf-8'
    return message + '\n'


def plain_errors():
    cherrypy.request.show_tracebacks = False
    cherrypy.request.error_page['default'] = plain_error_page


# A form's file parts are kept in memory, as its other fields are: a body
# holds 128 kB at most, while CherryPy would open a temporary file for each,
# and a form may hold a great many tiny ones.
class PartInMemory(cherrypy._cpreqbody.Part):

    def make_file(self):
        return io.BytesIO()


PartInMemory.part_class = PartInMemory  # a part's own parts too (multipart/mixed)


class StringGenerator(object):
    @cherrypy.expose
    def index(self):
        return open('index.html')


class StringGeneratorWebService(object):
    exposed = True

    def __init__(self, db):
        self.db = db

    def stored_string(self):
        row = self.db.connection().execute(
            "SELECT value FROM session_string WHERE session_id=?",
            [cherrypy.session.id]).fetchone()
        if row is None:
            raise cherrypy.HTTPError(404, 'No string in this session: POST to make one.')
        return row[0]

    def store(self, value):
        cherrypy.session['seen'] = True  # a session read or written is saved: its id sticks
        cherrypy.session.save_now()  # before the string: see clean_up()
        self.db.connection().execute("INSERT OR REPLACE INTO session_string VALUES (?, ?)",
                                     [cherrypy.session.id, value])
        return value

    @cherrypy.tools.accept(media='text/plain')
    def GET(self):
        return self.stored_string()

    def POST(self, length=8):
        return self.store(''.join(random.sample(string.hexdigits, int(length))))

    def PUT(self, another_string):
        if not isinstance(another_string, str):  # sent twice, or as a file
            raise cherrypy.HTTPError(400, 'another_string must be sent once, as text')
        if len(another_string) > LONGEST_STRING:
            raise cherrypy.HTTPError(413, 'another_string may hold at most {:,} characters'
                                     .format(LONGEST_STRING))
        try:  # a lone surrogate (utf-7 can send one) has no UTF-8 for SQLite to store
            another_string.encode('utf-8')
        except UnicodeEncodeError:
            raise cherrypy.HTTPError(400, 'another_string must be text without lone surrogates')
        self.store(another_string)

    def DELETE(self):
        self.db.connection().execute("DELETE FROM session_string WHERE session_id=?",
                                     [cherrypy.session.id])


class JsonStringGeneratorWebService(StringGeneratorWebService):
    """The JSON till: the same strings, as {"string": ...}."""

    @cherrypy.tools.json_out()
    def GET(self):
        return {'string': self.stored_string()}

    @cherrypy.tools.json_out()
    def POST(self, length=8):
        return {'string': StringGeneratorWebService.POST(self, length)}


if __name__ == '__main__':
    db = DatabasePlugin(cherrypy.engine, DB_STRING)
    db.subscribe()
    cherrypy.engine.subscribe('before_request', plain_errors)

    conf = {
        'global': {
            'server.max_request_body_size': LONGEST_BODY,
            'server.max_request_header_size': LONGEST_HEADERS,
        },
        '/': {
            'tools.sessions.on': True,
            'tools.sessions.storage_class': DatabaseSession,
            'tools.sessions.db': db,
            'tools.staticdir.root': os.path.abspath(os.getcwd()),
            'request.body.part_class': PartInMemory,
        },
        '/generator': {
            'request.dispatch': TillDispatcher(JsonStringGeneratorWebService(db)),
            'tools.check_length.on': True,
            'tools.response_headers.on': True,
            'tools.response_headers.headers': [('Content-Type', 'text/plain')],
        },
        '/static': {
            'tools.staticdir.on': True,
            'tools.staticdir.dir': './public'
        }
    }
    webapp = StringGenerator()
    webapp.generator = StringGeneratorWebService(db)
    cherrypy.quickstart(webapp, '/', conf)
