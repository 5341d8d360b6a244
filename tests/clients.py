"""HTTP clients of the chapter servers."""
import requests

REQUEST_SECONDS = 10


class Client(requests.Session):
    """A reader's browser: keeps its session cookie; every request has a deadline."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url
        # Talk to the server directly: a proxy in the reader's environment
        # (HTTP_PROXY) would otherwise carry requests for 127.0.0.1 too.
        self.trust_env = False

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", REQUEST_SECONDS)
        return super().request(method, self.base_url + url, **kwargs)


def connected(client):
    """`client`, its keep-alive connection already open. CherryPy listens with
    a backlog of 5: twenty clients connecting at once would wait for TCP to retry."""
    # CherryPy's own icon; under chapter 7's MethodDispatcher at /, a 405; 404
    # with Debian's CherryPy package, which leaves the icon out.
    assert client.get("/favicon.ico").status_code in (200, 404, 405)
    return client
