#!/usr/bin/env python3
"""Time language-server edit round trips: didChange → publishDiagnostics.

    python3 Benchmarks/lsp_roundtrip.py --evident PATH --repo DIR --file cycles/.../review.md [--edits 30]

Starts `evident lsp` in DIR as an editor would (initialize with the folder as workspace,
initialized, didOpen of FILE), waits for the first diagnostics, then sends EDITS
didChange notifications one at a time, each a small typing edit (a word appended to a
paragraph, then removed), and measures the wall time from writing the notification to
reading the publishDiagnostics for that version. The server is full-sync (`change: 1`),
so every change carries the whole text, as editors send it.

Prints one JSON object: {"open_ms", "edits_ms": [...], "median_ms", "p90_ms", "max_ms",
"cpu_ms_per_edit"}; the last is the server's own CPU time (user + system, from /proc) per
edit, which a busy machine inflates much less than wall time.

With --requests, each edit's diagnostics are followed at once by a completion request (the
value of the front matter's `level:`) and a hover request (the value of `person:`), as an
editor sends them while typing, and the object also has "completion_ms", "hover_ms"
(lists), their "completion_median_ms", "hover_median_ms", "completion_p90_ms",
"hover_p90_ms", and "cpu_ms_per_request" (the server's CPU time per completion or hover).
Exits 2 when the server does not answer (not built with `evident lsp`, or it crashed).
Standard library only.
"""

import argparse
import json
import os
import pathlib
import select
import statistics
import subprocess
import sys
import time


class Client:
    def __init__(self, command, cwd):
        self.process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buffer = b""
        self.next_id = 1

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method, params):
        identifier = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": identifier, "method": method, "params": params})
        return identifier

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def read(self, timeout):
        """The next message, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        descriptor = self.process.stdout.fileno()
        while True:
            header_end = self.buffer.find(b"\r\n\r\n")
            if header_end >= 0:
                length = None
                for line in self.buffer[:header_end].split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                start = header_end + 4
                if length is not None and len(self.buffer) >= start + length:
                    body = self.buffer[start:start + length]
                    self.buffer = self.buffer[start + length:]
                    return json.loads(body)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([descriptor], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(descriptor, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk

    def wait_for(self, predicate, timeout):
        while True:
            message = self.read(timeout)
            if message is None or predicate(message):
                return message

    def close(self):
        try:
            identifier = self.request("shutdown", None)
            self.wait_for(lambda m: m.get("id") == identifier, 5)
            self.notify("exit", None)
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()


def server_cpu_seconds(pid):
    """User + system CPU seconds of process `pid` so far, or None without /proc."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evident", required=True, help="path to the evident binary")
    parser.add_argument("--repo", required=True, help="the review repository (workspace folder)")
    parser.add_argument("--file", required=True, help="repository-relative path of the file to edit")
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for any answer")
    parser.add_argument("--requests", action="store_true",
                        help="after each edit, time a completion and a hover request too")
    args = parser.parse_args()

    root = pathlib.Path(args.repo).resolve()
    path = root / args.file
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    client = Client([args.evident, "lsp"], cwd=str(root))
    started = time.perf_counter()
    identifier = client.request("initialize", {
        "processId": os.getpid(), "rootUri": root.as_uri(),
        "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
        "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}})
    if client.wait_for(lambda m: m.get("id") == identifier, args.timeout) is None:
        print("evident lsp did not answer initialize", file=sys.stderr)
        client.process.kill()
        return 2
    client.notify("initialized", {})

    def is_diagnostics(version):
        return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"].get("uri") == uri and m["params"].get("version") == version)

    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    if client.wait_for(is_diagnostics(1), args.timeout) is None:
        print("no diagnostics after didOpen", file=sys.stderr)
        client.process.kill()
        return 2
    open_ms = (time.perf_counter() - started) * 1000

    # Typing at the end of the first paragraph of the body: append a word, then take it
    # away again, so the text stays valid and every other edit restores the original.
    anchor = text.find("\n\n", text.find("\n---", 4) + 4)
    if anchor < 0:
        anchor = len(text)
    timings = []
    request_timings = {"completion": [], "hover": []}
    request_cpu = 0.0

    def position_of(key):
        """Line and character just after `key: ` in the front matter, or None."""
        for number, line in enumerate(text.split("\n")):
            if line.startswith(key + ": "):
                return {"line": number, "character": len(key) + 2}
            if number > 0 and line == "---":
                return None
        return None

    positions = {"completion": position_of("level"), "hover": position_of("person")}
    if args.requests and None in positions.values():
        print("the file has no front matter `level:` and `person:` to complete and hover", file=sys.stderr)
        client.process.kill()
        return 2
    cpu_before = server_cpu_seconds(client.process.pid)
    for edit in range(args.edits):
        version = edit + 2
        changed = text[:anchor] + " More" + text[anchor:] if edit % 2 == 0 else text
        begin = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]})
        if client.wait_for(is_diagnostics(version), args.timeout) is None:
            print(f"no diagnostics for edit {edit + 1}", file=sys.stderr)
            client.process.kill()
            return 2
        timings.append((time.perf_counter() - begin) * 1000)
        if args.requests:
            for method in ("completion", "hover"):
                cpu_start = server_cpu_seconds(client.process.pid)
                begin = time.perf_counter()
                identifier = client.request("textDocument/" + method, {
                    "textDocument": {"uri": uri}, "position": positions[method]})
                answer = client.wait_for(lambda m: m.get("id") == identifier, args.timeout)
                if answer is None or "error" in answer or answer.get("result") is None:
                    print(f"no {method} answer after edit {edit + 1}: {answer}", file=sys.stderr)
                    client.process.kill()
                    return 2
                request_timings[method].append((time.perf_counter() - begin) * 1000)
                cpu_end = server_cpu_seconds(client.process.pid)
                if cpu_start is not None and cpu_end is not None:
                    request_cpu += cpu_end - cpu_start
    cpu_after = server_cpu_seconds(client.process.pid)
    client.close()
    ordered = sorted(timings)
    extra = {}
    if args.requests:
        for method, values in request_timings.items():
            extra[method + "_ms"] = [round(t, 2) for t in values]
            extra[method + "_median_ms"] = round(statistics.median(values), 2)
            extra[method + "_p90_ms"] = round(sorted(values)[int(0.9 * (len(values) - 1))], 2)
        extra["cpu_ms_per_request"] = round(request_cpu * 1000 / (2 * len(timings)), 2)
        # The edits' own CPU time, without the requests'.
        if cpu_before is not None and cpu_after is not None:
            cpu_after -= request_cpu
    print(json.dumps({
        "open_ms": round(open_ms, 2),
        "edits_ms": [round(t, 2) for t in timings],
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
        "max_ms": round(ordered[-1], 2),
        "cpu_ms_per_edit": (round((cpu_after - cpu_before) * 1000 / len(timings), 2)
                            if cpu_before is not None and cpu_after is not None else None),
        **extra,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
