"""A fake OpenAI-compatible server on 127.0.0.1 with scripted replies and faults.

It speaks real HTTP, so the whole client stack (openai + instructor + tenacity) runs unmodified
against it. Replies are scripted per response schema (``SummaryDraft``, ``EventList``) because the
two calls of one summary may arrive in either order::

    with FakeOpenAIServer() as server:
        server.script("SummaryDraft", Status(429, headers={"Retry-After": "1"}), Reply(draft))
        server.script("EventList", Reply({"events": []}))
        summarize(text, provider="openai", base_url=server.base_url, api_key="sk-test")
        server.requests  # every request body received, in order

A reply payload (a dict) is sent the way the request asked for it: as a tool call when the request
has ``tools``, else as JSON message content. An empty script answers HTTP 500 "script exhausted"
so a test that under-scripts fails loudly, unless :meth:`FakeOpenAIServer.always` set a standing
answer (for batches and benchmarks).

Probe requests (``summarizer probe``, ``--mode auto``) are answered apart and not recorded in
``requests``: by default like a server that supports every mechanism (the schema's minimal valid
instance), or as :attr:`FakeOpenAIServer.probe_policy` decides (to play a server that rejects
``json_schema``, ignores a schema or dies).
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """A 200 chat completion carrying ``payload`` (dict -> JSON; str -> sent as is)."""

    payload: dict[str, Any] | str
    finish_reason: str = "stop"
    tool_name: str | None = None  # send this tool name instead of the requested one
    usage: tuple[int, int] = (100, 50)
    delay_s: float = 0.0


@dataclass
class Respond:
    """A 200 chat completion whose payload ``compute(request_body)`` builds from the request
    (for replies that must quote whatever article or part the request carries)."""

    compute: Callable[[dict[str, Any]], dict[str, Any] | str]
    usage: tuple[int, int] = (100, 50)


@dataclass
class Decide:
    """Any action, chosen from the request body (to play a server family)."""

    choose: Callable[[dict[str, Any]], Action]


@dataclass
class Status:
    """An HTTP error status with an OpenAI-style error body."""

    code: int
    message: str = "scripted error"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Raw:
    """Any body with any content type (a proxy's HTML page, truncated JSON)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    code: int = 200


@dataclass
class Hang:
    """Accept the request and never answer (until the server stops)."""


@dataclass
class Drop:
    """Close the connection without any reply."""


Action = Reply | Respond | Status | Raw | Hang | Drop | Decide


class _QuietHTTPServer(ThreadingHTTPServer):
    """Records handler errors instead of printing them to ``sys.stderr``.

    A client that gives up on a request (one call of a pair failed, a timeout) closes its
    connection while the handler still reads or writes; that is expected, not an error. The
    default ``handle_error`` prints a traceback to ``sys.stderr``, which lands in the captured
    stderr of the CLI under test.
    """

    errors: list[BaseException]
    #: socketserver listens with a backlog of 5: a batch opening 64 connections at once
    #: overflowed it, and each dropped connection attempt cost the client a 1 s SYN retry.
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, ConnectionError):
            self.errors.append(error)


_TITLE = re.compile(r'"title":\s*"(\w+)"')


def schema_name(body: dict[str, Any], known: Iterable[str | None] = ()) -> str | None:
    """Which response schema a request asks for (tools, json_schema, or schema in the prompt).

    In the plain JSON modes the schema is only in the prompt: the first of ``known`` whose
    title appears there wins, else the last title found.
    """
    tools = body.get("tools") or []
    if tools:
        return str(tools[0]["function"]["name"])
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return str(response_format["json_schema"].get("name"))
    prompt = "\n".join(
        m["content"] for m in body.get("messages", []) if isinstance(m.get("content"), str)
    )
    for name in known:
        if name and f'"title": "{name}"' in prompt:
            return name
    titles = _TITLE.findall(prompt)
    return titles[-1] if titles else None


class FakeOpenAIServer:
    """Serves ``POST /v1/chat/completions`` from per-schema scripts; records every request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.errors: list[BaseException] = []  # exceptions raised in handlers (not disconnects)
        self.headers: list[dict[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0  # most requests being answered at the same moment
        self.arrivals: list[float] = []  # time.monotonic() of each request, in order
        self.probes: list[dict[str, Any]] = []  # probe requests, apart from ``requests``
        #: How probe requests are answered (default: :func:`compliant`).
        self.probe_policy: Callable[[dict[str, Any]], Action] = compliant
        self._scripts: dict[str | None, deque[Action]] = {}
        self._defaults: dict[str | None, Action] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _QuietHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.errors = self.errors
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, name: str | None, *actions: Action) -> None:
        """Queue ``actions`` for requests asking for schema ``name`` (None: any schema)."""
        with self._lock:
            self._scripts.setdefault(name, deque()).extend(actions)

    def always(self, name: str | None, action: Action) -> None:
        """Answer ``action`` to every request for schema ``name`` once its script is used up."""
        with self._lock:
            self._defaults[name] = action

    def requests_for(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if schema_name(r, [name]) == name]

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_action(self, body: dict[str, Any]) -> Action:
        if is_probe(body):
            with self._lock:
                self.probes.append(body)
            return self.probe_policy(body)
        with self._lock:
            name = schema_name(body, list(self._scripts))
            self.requests.append(body)
            self.arrivals.append(time.monotonic())
            for key in (name, None):
                queue = self._scripts.get(key)
                if queue:
                    return queue.popleft()
            for key in (name, None):
                if key in self._defaults:
                    return self._defaults[key]
        return Status(500, f"script exhausted for schema {name!r}")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as separate writes: without this, Nagle's algorithm and
            # the client's delayed ACK add ~40 ms to every reply.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.headers.append(dict(self.headers))
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._perform(server._next_action(body), body)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _perform(self, action: Action, body: dict[str, Any]) -> None:
                if isinstance(action, Hang):
                    server._stopping.wait()
                    return
                if isinstance(action, Drop):
                    self.close_connection = True
                    self.connection.close()
                    return
                if isinstance(action, Status):
                    error = {"message": action.message, "type": "scripted", "code": action.code}
                    self._send(action.code, {"error": error}, action.headers)
                    return
                if isinstance(action, Raw):
                    self.send_response(action.code)
                    self.send_header("content-type", action.content_type)
                    self.send_header("content-length", str(len(action.body)))
                    self.end_headers()
                    self.wfile.write(action.body)
                    return
                if isinstance(action, Decide):
                    self._perform(action.choose(body), body)
                    return
                if isinstance(action, Respond):
                    action = Reply(action.compute(body), usage=action.usage)
                if action.delay_s:
                    time.sleep(action.delay_s)
                self._send(200, completion(body, action))

            def _send(
                self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """An OpenAI chat.completion object answering ``request`` with ``reply``."""
    text = reply.payload if isinstance(reply.payload, str) else json.dumps(reply.payload)
    message: dict[str, Any] = {"role": "assistant", "content": text}
    finish_reason = reply.finish_reason
    tools = request.get("tools") or []
    if tools:
        name = reply.tool_name or tools[0]["function"]["name"]
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": name, "arguments": text},
                }
            ],
        }
        if finish_reason == "stop":
            finish_reason = "tool_calls"
    prompt, completion_tokens = reply.usage
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
        },
    }


def article_in(request: dict[str, Any]) -> str:
    """The text between the article markers of a request (re-asks included)."""
    for message in request["messages"]:
        content = message.get("content")
        if message.get("role") == "user" and isinstance(content, str):
            pattern = r"=== BEGIN ARTICLE (\w+) ===\n(.*)\n=== END ARTICLE \1 ==="
            match = re.search(pattern, content, re.S)
            if match is not None:
                return match.group(2)
    raise ValueError("no delimited article in the request")


def is_probe(body: dict[str, Any]) -> bool:
    """A request of :mod:`summarizer.providers.probe` (its prompts name the probe's word)."""
    from summarizer.providers.probe import SENTINEL

    text = json.dumps(body.get("messages", []))
    return SENTINEL in text or "Reply with one word: hello." in text


def probe_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    """The schema a probe request constrains to, if any."""
    tools = body.get("tools") or []
    if tools:
        return dict(tools[0]["function"].get("parameters", {}))
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return dict(response_format["json_schema"]["schema"])
    schema = response_format.get("schema")
    return dict(schema) if isinstance(schema, dict) else None


def example_of(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """The smallest instance of ``schema`` (objects with their required properties, arrays of
    ``minItems`` items, the first enum value or ``anyOf`` branch, a patterned string's
    example, a short string)."""
    root = root or schema
    if "$ref" in schema:
        return example_of(root["$defs"][schema["$ref"].split("/")[-1]], root)
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return example_of(schema["anyOf"][0], root)
    if "pattern" in schema and schema.get("examples"):
        return schema["examples"][0]  # a full-featured server (vLLM, SGLang) honours patterns
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {k: example_of(properties[k], root) for k in schema.get("required", properties)}
    if kind == "array":
        return [example_of(schema.get("items", {}), root)] * schema.get("minItems", 1)
    if kind in ("integer", "number"):
        return 1
    return "ok"


def compliant(body: dict[str, Any]) -> Action:
    """A probe answered as a server that supports every mechanism would answer it."""
    from summarizer.providers.probe import SENTINEL

    schema = probe_schema(body)
    if schema is None:
        return Reply(f'```json\n{{"word": "{SENTINEL}"}}\n```')
    return Reply(example_of(schema))
