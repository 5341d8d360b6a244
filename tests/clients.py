"""HTTP clients of the chapter servers."""
import requests

REQUEST_SECONDS = 10


class Client(requests.Session):
    """A reader's browser: keeps its session cookie; every request has a deadline."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url
        self.trust_env = False  # a proxy in the environment (HTTP_PROXY) is not asked

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", REQUEST_SECONDS)
        return super().request(method, self.base_url + url, **kwargs)


def connected(client):
    """`client`, its keep-alive connection open: CherryPy listens with a backlog of 5."""
    # CherryPy's icon; a 405 under chapter 7's MethodDispatcher; 404 in Debian's package
    assert client.get("/favicon.ico").status_code in (200, 404, 405)
    return client
