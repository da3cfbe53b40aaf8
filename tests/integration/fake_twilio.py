"""A controllable stand-in for Twilio's Messages API, for faults Prism cannot produce.

Each create request takes the next scripted answer: ``"ok"``, ``(status, code)`` for a
Twilio error, or ``("hang", seconds)`` to accept the request and answer late.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeTwilio:
    def __init__(self) -> None:
        self.script: list = []
        self.requests: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeTwilio:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def creates(self) -> list[dict[str, str]]:
        with self._lock:
            return list(self.requests)

    def _next(self, form: dict[str, str]):
        with self._lock:
            self.requests.append(form)
            return self.script.pop(0) if self.script else "ok", len(self.requests)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {key: values[0] for key, values in parse_qs(raw).items()}
                answer, number = fake._next(form)
                if isinstance(answer, tuple) and answer[0] == "hang":
                    time.sleep(answer[1])
                    answer = "ok"
                if answer == "ok":
                    self._reply(201, {"sid": f"SMfake{number:026d}", "status": "queued"})
                else:
                    status, code = answer
                    self._reply(status, {"code": code, "message": f"fake error {code}"})

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps({"status": status, **body} if status >= 400 else body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        return Handler
