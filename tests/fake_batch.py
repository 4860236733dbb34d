"""A fake OpenAI Batch API for tests: real HTTP on 127.0.0.1, in a thread.

    def test_x(fake_batch):
        fake_batch.chat.responder = prefix("ES: ")   # each line answered like fake_openai's chat server
        fake_batch.fail_lines = {"s3"}                # lines whose request names s3 fail (500, error file)
        fake_batch.fail_rate = 0.1                    # or 10% of lines (seeded)
        fake_batch.expire = {2}                       # the 2nd batch expires with only half its lines done
        fake_batch.hold = {3}                         # the 3rd batch stays in_progress until released
        ...
        fake_batch.uploads                            # every JSONL file uploaded, parsed

Endpoints: POST /v1/files (multipart, purpose "batch"), GET /v1/files/ID/content,
POST /v1/batches, GET /v1/batches/ID, GET /v1/batches, and
POST /v1/chat/completions (the online path: the same `chat` fake answers it).
A batch is processed when it is retrieved for the `polls`-th time; its lines
go through `chat._handle` (responder, faults, caps) exactly as online calls.
"""

from __future__ import annotations

import json
import random
import threading
import time
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

import pytest
from fake_openai import FakeOpenAI


class FakeBatchAPI:
    def __init__(self, *, seed: int = 0) -> None:
        self.chat = FakeOpenAI(seed=seed)  # not started: used to answer lines and online calls
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.order: list[str] = []  # batch ids in creation order
        self.uploads: list[list[dict]] = []  # the lines of each input file uploaded
        self.fail_lines: set[str] = set()  # a line fails when one of its segment ids is in here …
        self.fail_once = True  # … the first time only (False: every time)
        self.failed_once: set[str] = set()
        self.fail_rate = 0.0
        self.rng = random.Random(seed)
        self.expire: set[int] = set()  # 1-based batch numbers that expire half done
        self.hold: set[int] = set()  # 1-based batch numbers held in_progress
        self.hold_task: str | None = None  # or every batch of this step ("revise"), until released
        self.released = threading.Event()
        self.polls = 2  # retrieves until a batch completes
        self.requests: list[tuple[str, str]] = []  # (method, path)
        self.failed: list[str] = []  # custom_ids of the lines answered in an error file
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def release(self) -> None:
        self.hold, self.hold_task = set(), None
        self.released.set()

    def batch_lines(self) -> list[dict]:
        return [line for up in self.uploads for line in up]

    # -- lifecycle --------------------------------------------------------------

    def start(self) -> FakeBatchAPI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.requests.append(("GET", self.path))
                status, payload, raw = fake._get(urlparse(self.path).path)
                self._send(status, payload, raw)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                data = self.rfile.read(length)
                path = urlparse(self.path).path
                fake.requests.append(("POST", path))
                if path.endswith("/files"):
                    status, payload = fake._upload(self.headers.get("content-type", ""), data)
                    self._send(status, payload)
                    return
                try:
                    body = json.loads(data or b"{}")
                except json.JSONDecodeError:
                    self._send(400, {"error": {"message": "bad JSON body"}})
                    return
                if path.endswith("/batches"):
                    status, payload = fake._create(body)
                    self._send(status, payload)
                elif path.endswith("/chat/completions"):
                    status, payload, headers = fake.chat._handle(path, body, {})
                    self._send(status, payload, headers=headers)
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def _send(self, status: int, payload: Any, raw: bytes | None = None, headers: dict | None = None) -> None:
                data = raw if raw is not None else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/octet-stream" if raw is not None
                                     else "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
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

    def stop(self) -> None:
        self.released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- files ------------------------------------------------------------------

    def _new_file(self, data: bytes, purpose: str, filename: str) -> dict:
        with self._lock:
            fid = f"file-{len(self.files) + 1:04d}"
            self.files[fid] = data
        return {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                "filename": filename, "purpose": purpose, "status": "processed"}

    def _upload(self, content_type: str, data: bytes) -> tuple[int, dict]:
        msg = BytesParser(policy=email_policy).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + data)
        fields, file_data, filename = {}, None, "upload.jsonl"
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                file_data, filename = part.get_payload(decode=True), part.get_filename()
            else:
                fields[name] = part.get_content().strip()
        if file_data is None or fields.get("purpose") != "batch":
            return 400, {"error": {"message": "expected a file with purpose 'batch'"}}
        lines = [json.loads(line) for line in file_data.decode().splitlines() if line.strip()]
        self.uploads.append(lines)
        return 200, self._new_file(file_data, "batch", filename)

    def _get(self, path: str) -> tuple[int, Any, bytes | None]:
        parts = path.rstrip("/").split("/")
        if parts[-1] == "content" and parts[-3] == "files":
            data = self.files.get(parts[-2])
            return (200, None, data) if data is not None else (404, {"error": {"message": "no such file"}}, None)
        if parts[-1] == "batches":
            data = [self.batches[b] for b in reversed(self.order)]
            return 200, {"object": "list", "data": data, "has_more": False,
                         "first_id": data[0]["id"] if data else None, "last_id": data[-1]["id"] if data else None}, None
        if parts[-2] == "batches":
            return self._retrieve(parts[-1])
        return 404, {"error": {"message": "not found"}}, None

    # -- batches ----------------------------------------------------------------

    def _create(self, body: dict) -> tuple[int, dict]:
        fid = body.get("input_file_id")
        if fid not in self.files or body.get("endpoint") != "/v1/chat/completions" \
                or body.get("completion_window") != "24h":
            return 400, {"error": {"message": "bad batch request"}}
        with self._lock:
            bid = f"batch_{len(self.batches) + 1:04d}"
            self.order.append(bid)
            number = len(self.order)
        lines = [json.loads(line) for line in self.files[fid].decode().splitlines() if line.strip()]
        batch = {
            "id": bid, "object": "batch", "endpoint": body["endpoint"], "input_file_id": fid,
            "completion_window": "24h", "status": "validating", "created_at": int(time.time()),
            "output_file_id": None, "error_file_id": None, "errors": None,
            "metadata": body.get("metadata"), "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            "_number": number, "_polls": 0, "_task": _task_of(lines),
        }
        ids = [line.get("custom_id") for line in lines]
        if len(set(ids)) != len(ids):
            batch.update(status="failed", errors={"object": "list", "data": [
                {"code": "duplicate_custom_id", "message": "The custom_id values must be unique.", "line": None}]})
        self.batches[bid] = batch
        return 200, self._public(batch)

    @staticmethod
    def _public(batch: dict) -> dict:
        return {k: v for k, v in batch.items() if not k.startswith("_")}

    def _retrieve(self, bid: str) -> tuple[int, Any, None]:
        batch = self.batches.get(bid)
        if batch is None:
            return 404, {"error": {"message": "no such batch"}}, None
        with self._lock:
            if batch["status"] in ("validating", "in_progress"):
                batch["_polls"] += 1
                batch["status"] = "in_progress"
                held = batch["_number"] in self.hold or (self.hold_task and batch["_task"] == self.hold_task)
                if batch["_polls"] >= self.polls and not held:
                    self._process(batch)
        return 200, self._public(batch), None

    def _line_fails(self, line: dict) -> bool:
        try:
            segs = json.loads(line["body"]["messages"][-1]["content"]).get("segments", [])
        except (KeyError, IndexError, TypeError, json.JSONDecodeError):
            segs = []
        for s in segs:
            if s.get("id") in self.fail_lines and (not self.fail_once or s["id"] not in self.failed_once):
                self.failed_once.add(s["id"])
                return True
        return bool(self.fail_rate) and self.rng.random() < self.fail_rate

    def _process(self, batch: dict) -> None:
        lines = [json.loads(x) for x in self.files[batch["input_file_id"]].decode().splitlines() if x.strip()]
        expire = batch["_number"] in self.expire
        keep = len(lines) // 2 if expire else len(lines)
        out, err = [], []
        for n, line in enumerate(lines):
            rid = f"batch_req_{batch['id']}_{n}"
            if n >= keep:
                err.append({"id": rid, "custom_id": line["custom_id"], "response": None, "error": {
                    "code": "batch_expired",
                    "message": "This request could not be executed before the completion window expired."}})
                continue
            if self._line_fails(line):
                err.append({"id": rid, "custom_id": line["custom_id"], "response": {
                    "status_code": 500, "request_id": rid,
                    "body": {"error": {"message": "The server had an error processing your request.",
                                       "type": "server_error"}}}, "error": None})
                continue
            status, payload, _ = self.chat._handle(line["url"], line["body"], {})
            entry = {"id": rid, "custom_id": line["custom_id"],
                     "response": {"status_code": status, "request_id": rid, "body": payload}, "error": None}
            (out if status == 200 else err).append(entry)
        if out:
            batch["output_file_id"] = self._new_file(
                "".join(json.dumps(e) + "\n" for e in out).encode(), "batch_output", "output.jsonl")["id"]
        if err:
            batch["error_file_id"] = self._new_file(
                "".join(json.dumps(e) + "\n" for e in err).encode(), "batch_output", "errors.jsonl")["id"]
        self.failed.extend(e["custom_id"] for e in err)
        batch["status"] = "expired" if expire else "completed"
        batch["request_counts"] = {"total": len(lines), "completed": len(out), "failed": len(err)}
        batch["completed_at" if not expire else "expired_at"] = int(time.time())


def _task_of(lines: list[dict]) -> str:
    try:
        return json.loads(lines[0]["body"]["messages"][-1]["content"]).get("task", "")
    except (IndexError, KeyError, TypeError, json.JSONDecodeError):
        return ""


@pytest.fixture
def fake_batch():
    from translator.engines.llm.transport import forget_endpoints

    forget_endpoints()
    server = FakeBatchAPI().start()
    try:
        yield server
    finally:
        server.stop()
        forget_endpoints()
