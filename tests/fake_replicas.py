"""Several fake OpenAI-compatible servers behind one address, like vLLM
replicas behind a load balancer: a round-robin proxy on 127.0.0.1 that counts
the requests in flight across all replicas.

    with Replicas(3, gate=4) as rep:       # hold requests until 4 are in flight at once (or 5 s)
        ... base_url=rep.base_url ...
        rep.max_in_flight, [len(s.chat_requests()) for s in rep.servers]

The gate makes the count independent of timing: requests wait until the
client has `gate` of them in flight, so a client that reaches its --jobs
is seen to, and one that cannot times the gate out instead.
"""

from __future__ import annotations

import http.client
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

from fake_openai import FakeOpenAI


class Replicas:
    def __init__(self, n: int = 3, *, gate: int | None = None, gate_seconds: float = 5.0) -> None:
        self.servers = [FakeOpenAI(seed=i) for i in range(n)]
        self.gate, self.gate_seconds = gate, gate_seconds
        self.opened = gate is None
        self.in_flight = 0
        self.max_in_flight = 0
        self._cond = threading.Condition()
        self._next = itertools.cycle(range(n))
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def set_responder(self, responder: Any) -> None:
        for s in self.servers:
            s.responder = responder

    def __enter__(self) -> Replicas:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> Replicas:
        for s in self.servers:
            s.start()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                proxy._enter()
                try:
                    with proxy._cond:
                        target = proxy.servers[next(proxy._next)]
                    url = urlparse(target.base_url)
                    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                    conn.request("POST", self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    status, rheaders = resp.status, resp.getheaders()
                    conn.close()
                finally:
                    proxy._leave()
                try:
                    self.send_response(status)
                    for k, v in rheaders:
                        if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                            self.send_header(k, v)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def _enter(self) -> None:
        with self._cond:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if self.gate is not None and self.in_flight >= self.gate:
                self.opened = True
                self._cond.notify_all()
            if not self.opened:
                self._cond.wait_for(lambda: self.opened, timeout=self.gate_seconds)

    def _leave(self) -> None:
        with self._cond:
            self.in_flight -= 1

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for s in self.servers:
            s.stop()
