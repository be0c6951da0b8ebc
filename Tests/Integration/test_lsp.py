"""`evident lsp` driven end to end by a real LSP client (PyPI `pytest-lsp`, on pygls).

Each test starts the real binary on a temporary copy of examples/acme, opens files
through the protocol and edits them without saving, the way an editor does, then
checks what comes back: diagnostics that appear and disappear as the buffer changes,
completion of evidence ids, hover on a dimension heading, a broken buffer that gets a
diagnostic while the server keeps answering, and a clean shutdown and exit.

The binary is `$EVIDENT_BIN`, or `.build/debug/evident` under the repository root.
The client announces Visual Studio Code's capabilities, so pytest-lsp also checks that
the answers respect what that client declared (e.g. Markdown documentation).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "acme"
REVIEW = "cycles/2026-h2/alice/review.md"
EVIDENCE = "cycles/2026-h2/alice/evidence.md"
TIMEOUT = 30


def evident_binary() -> str:
    configured = os.environ.get("EVIDENT_BIN")
    binary = Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug" / "evident"
    return str(binary)


SERVER = ClientServerConfig(server_command=[evident_binary(), "lsp"])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    binary = Path(evident_binary())
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"evident binary not found at {binary}: run `swift build` or set EVIDENT_BIN", pytrace=False)
    copy = tmp_path / "acme"
    shutil.copytree(EXAMPLE, copy)
    return copy


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, repo: Path):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=repo.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=repo.as_uri(), name="acme")],
        )
    )
    yield
    await lsp_client.shutdown_session()


# MARK: helpers


def uri_of(repo: Path, path: str) -> str:
    return (repo / path).as_uri()


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    """The LSP position (UTF-16 character) of `needle` in `text`, plus `offset`."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    character = len(text[line_start:index].encode("utf-16-le")) // 2
    return types.Position(line=line, character=character)


async def published(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """Waits for the publishDiagnostics for `uri` that answers the last message sent.

    Callers drop `uri` from `client.diagnostics` (where pytest-lsp stores every
    publication) before sending, and the server publishes once per change, so the key
    reappearing is that answer. (Awaiting "the next notification" instead would race: two
    publications arriving in one read can both pass before the test awaits the second.)"""
    deadline = time.monotonic() + TIMEOUT
    while uri not in client.diagnostics:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no diagnostics published for {uri}")
        await asyncio.sleep(0.001)
    return list(client.diagnostics[uri])


async def open_document(client: LanguageClient, repo: Path, path: str, text: str | None = None):
    uri = uri_of(repo, path)
    text = (repo / path).read_text(encoding="utf-8") if text is None else text
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    return uri, text, await published(client, uri)


async def change_document(client: LanguageClient, uri: str, text: str, version: int) -> list[types.Diagnostic]:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await published(client, uri)


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


# MARK: tests


@pytest.mark.asyncio
async def test_initialize_announces_capabilities(repo: Path):
    client = await SERVER.start()
    try:
        result = await client.initialize_session(
            types.InitializeParams(capabilities=client_capabilities("neovim"), root_uri=repo.as_uri())
        )
        capabilities = result.capabilities
        sync = capabilities.text_document_sync
        assert sync.change == types.TextDocumentSyncKind.Full
        assert sync.open_close is True
        assert sync.save
        assert capabilities.hover_provider
        assert set(capabilities.completion_provider.trigger_characters) == {"@", "#", " ", ":"}
        await client.shutdown_session()
    finally:
        await client.stop()


@pytest.mark.asyncio
async def test_unknown_reference_appears_and_disappears(client: LanguageClient, repo: Path):
    uri, text, diagnostics = await open_document(client, repo, REVIEW)
    assert diagnostics == []

    broken = text.replace("reviewer: dana\n", "reviewer: dania\n")
    diagnostics = await change_document(client, uri, broken, 2)
    unknown = [d for d in diagnostics if d.code == "unknown-reference"]
    assert len(unknown) == 1, diagnostics
    start = position_of(broken, "dania")
    assert unknown[0].range.start == start
    assert unknown[0].range.end == types.Position(line=start.line, character=start.character + len("dania"))
    assert unknown[0].severity == types.DiagnosticSeverity.Error
    assert unknown[0].source == "evident"
    # The buffer was never saved.
    assert "reviewer: dana\n" in (repo / REVIEW).read_text(encoding="utf-8")

    # The very next publication, in answer to the fixing edit, is clean.
    assert await change_document(client, uri, text, 3) == []


@pytest.mark.asyncio
async def test_broken_citation_appears_and_disappears(client: LanguageClient, repo: Path):
    uri, text, diagnostics = await open_document(client, repo, REVIEW)
    assert diagnostics == []

    broken = text.replace("[@refunds-contract].\n", "[@no-such-item].\n", 1)
    assert broken != text
    diagnostics = await change_document(client, uri, broken, 2)
    citations = [d for d in diagnostics if d.code == "citation-unknown"]
    assert len(citations) == 1, diagnostics
    start = position_of(broken, "@no-such-item")
    assert citations[0].range.start == start
    assert citations[0].range.end == types.Position(
        line=start.line, character=start.character + len("@no-such-item")
    )
    assert citations[0].severity == types.DiagnosticSeverity.Error

    fixed = await change_document(client, uri, text, 3)
    assert "citation-unknown" not in codes(fixed)
    assert fixed == []


@pytest.mark.asyncio
async def test_an_unsaved_evidence_log_is_seen_by_the_open_review(client: LanguageClient, repo: Path):
    review_uri, _, diagnostics = await open_document(client, repo, REVIEW)
    assert diagnostics == []
    evidence_text = (repo / EVIDENCE).read_text(encoding="utf-8")
    evidence_uri = uri_of(repo, EVIDENCE)
    renamed = evidence_text.replace("- id: refunds-contract\n", "- id: refunds-contract-v2\n")
    client.diagnostics.pop(review_uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=evidence_uri, language_id="markdown", version=1, text=renamed)
        )
    )
    review_diagnostics = await published(client, review_uri)
    assert "citation-unknown" in codes(review_diagnostics)


@pytest.mark.asyncio
async def test_completion_after_bracket_at_offers_evidence_ids(client: LanguageClient, repo: Path):
    text = (repo / REVIEW).read_text(encoding="utf-8")
    edited = text.replace("[@refunds-contract].\n", "[@refunds-contract]. See also [@\n", 1)
    uri, _, _ = await open_document(client, repo, REVIEW, edited)
    position = position_of(edited, "See also [@", len("See also [@"))
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position,
            context=types.CompletionContext(
                trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character="@"
            ),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    labels = {item.label for item in items}
    assert {"checkout-latency", "latency-design", "ledger-double-write"} <= labels
    checkout = next(item for item in items if item.label == "checkout-latency")
    assert "900 ms to 250 ms" in checkout.detail
    assert checkout.text_edit.new_text == "checkout-latency"
    assert checkout.text_edit.range.start == position


@pytest.mark.asyncio
async def test_completion_of_front_matter_and_headings(client: LanguageClient, repo: Path):
    text = (repo / REVIEW).read_text(encoding="utf-8")
    edited = text.replace("reviewer: dana\n", "reviewer: \n").replace("## Mentoring\n", "## \n")
    uri, _, _ = await open_document(client, repo, REVIEW, edited)

    people = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(edited, "reviewer: ", 10)
        )
    )
    assert {"dana", "vera", "alice"} <= {item.label for item in people.items}

    headings = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(edited, "## \n", 3)
        )
    )
    assert headings.items[0].label == "Mentoring"
    assert headings.items[0].text_edit.new_text == "## Mentoring"


@pytest.mark.asyncio
async def test_hover_on_a_dimension_heading_shows_its_expectations(client: LanguageClient, repo: Path):
    uri, text, _ = await open_document(client, repo, REVIEW)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, "## Technical judgment", 4)
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "Identifies architectural risk early and proposes mitigations in writing" in hover.contents.value
    assert "Technical judgment" in hover.contents.value

    citation = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, "@checkout-latency", 3)
        )
    )
    assert citation is not None
    assert "2026-08-14" in citation.contents.value
    assert "https://github.com/acme/api/pull/1423" in citation.contents.value
    # The item measures a metric: its indicator and gaming risks are shown where it is cited.
    assert "lagging" in citation.contents.value or "leading" in citation.contents.value
    assert "Gaming risks" in citation.contents.value


@pytest.mark.asyncio
async def test_a_broken_buffer_gets_a_diagnostic_and_the_server_keeps_answering(
    client: LanguageClient, repo: Path
):
    uri, text, _ = await open_document(client, repo, REVIEW)
    no_front_matter = text.split("---\n", 2)[2]
    diagnostics = await change_document(client, uri, no_front_matter, 2)
    assert "front-matter-syntax" in codes(diagnostics)

    junk = "\x00\x01binary\x00junk" + "x" * 200_000
    diagnostics = await change_document(client, uri, junk, 3)
    assert "front-matter-syntax" in codes(diagnostics)

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=5))
    )
    assert hover is None
    completion = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=40, character=40)
        )
    )
    assert completion is not None

    assert await change_document(client, uri, text, 4) == []


@pytest.mark.asyncio
async def test_twenty_edits_each_publish_the_same_findings(client: LanguageClient, repo: Path):
    """Twenty keystroke-sized edits over the pipe: each is answered with diagnostics, and
    since each adds the same kind of sentence, with the same findings. (How long an edit
    takes is measured in Benchmarks/run.sh, not here.)"""
    uri, text, opened = await open_document(client, repo, REVIEW)
    rounds = []
    for version in range(2, 22):
        edited = text.replace("## Growth plan\n", f"## Growth plan\n\nEdit {version}.\n")
        assert edited != text
        rounds.append(codes(await change_document(client, uri, edited, version)))
    assert all(found == rounds[0] for found in rounds), rounds
    assert sorted(rounds[0]) == sorted(codes(opened))


@pytest.mark.asyncio
async def test_shutdown_then_exit_ends_with_status_zero(repo: Path):
    client = await SERVER.start()
    try:
        await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
        assert await client.shutdown_async(None) is None
        client.exit(None)
        await asyncio.wait_for(client._server.wait(), TIMEOUT)
        assert client._server.returncode == 0
    finally:
        await client.stop()


@pytest.mark.asyncio
async def test_exit_without_shutdown_ends_with_status_one(repo: Path):
    client = await SERVER.start()
    try:
        await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
        client.exit(None)
        await asyncio.wait_for(client._server.wait(), TIMEOUT)
        assert client._server.returncode == 1
    finally:
        await client.stop()


# MARK: hostile input (issue 14)


def raw_exchange(chunks: list[bytes], expect_ids: set, timeout: float = TIMEOUT) -> tuple[list[dict], bytes, int]:
    """Writes `chunks` to a fresh `evident lsp` over a raw pipe (a framing a real client
    would never produce), reads messages until every id in `expect_ids` is answered,
    then shuts down; returns the messages, stderr and the exit status."""
    import json
    import select
    import subprocess

    process = subprocess.Popen(
        [evident_binary(), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )

    def frame(message: dict) -> bytes:
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    messages: list[dict] = []
    buffer = b""
    try:
        for chunk in chunks:
            process.stdin.write(chunk)
            process.stdin.flush()
        deadline = time.monotonic() + timeout
        answered: set = set()
        while not expect_ids <= answered:
            assert time.monotonic() < deadline, f"no answer to {expect_ids - answered}: {messages}"
            header_end = buffer.find(b"\r\n\r\n")
            if header_end >= 0:
                length = int(buffer[:header_end].split(b":")[1])
                start = header_end + 4
                if len(buffer) >= start + length:
                    message = json.loads(buffer[start:start + length])
                    buffer = buffer[start + length:]
                    messages.append(message)
                    if "id" in message:
                        answered.add(message["id"])
                    continue
            ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"no answer to {expect_ids - answered} within {timeout} s: {messages}"
            data = process.stdout.read1(1 << 16)
            assert data, f"server closed its output: {messages}"
            buffer += data
        process.stdin.write(frame({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}))
        process.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        process.stdin.close()
        status = process.wait(timeout)
        return messages, process.stderr.read(), status
    finally:
        if process.poll() is None:
            process.kill()


def test_oversized_content_length_without_a_body_is_reported_and_the_next_message_answered(repo: Path):
    """A Content-Length over 64 MiB and no body: the server used to wait for 64 MiB and
    ignore every later message. It must answer the next request at once."""
    import json

    initialize = json.dumps(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": repo.as_uri(), "capabilities": {}}}).encode()
    chunks = [b"Content-Length: 99999999999\r\n\r\n", b"Content-Length: %d\r\n\r\n" % len(initialize) + initialize]
    messages, stderr, status = raw_exchange(chunks, {1})
    errors = [m for m in messages if m.get("id") is None and "error" in m]
    assert [e["error"]["code"] for e in errors] == [-32700], messages
    assert "larger than" in errors[0]["error"]["message"]
    assert any(m.get("id") == 1 and "capabilities" in m.get("result", {}) for m in messages), messages
    logs = [m["params"] for m in messages if m.get("method") == "window/logMessage"]
    assert any(log["type"] == 2 and "larger than" in log["message"] for log in logs), logs
    # Reported through the protocol, not on stderr, which editors show as errors.
    assert stderr == b"", stderr
    assert status == 0


@pytest.mark.asyncio
async def test_diagnostics_of_a_hostile_buffer_are_capped_with_a_summary(client: LanguageClient, repo: Path):
    """3,000 unknown citations: at most 100 diagnostics of the rule, then one summary."""
    text = (repo / REVIEW).read_text(encoding="utf-8")
    hostile = text + "".join(f"\nClaim [@nope-{index}].\n" for index in range(3000))
    uri, _, _ = await open_document(client, repo, REVIEW, hostile)
    diagnostics = await change_document(client, uri, hostile + "\nOne more [@nope-x].\n", 2)
    citations = [d for d in diagnostics if d.code == "citation-unknown"]
    summaries = [d for d in citations if "more citation-unknown findings" in d.message]
    assert len(citations) == 101, len(citations)
    assert len(summaries) == 1, [d.message for d in citations[-3:]]
    assert summaries[0].message.startswith("2901 more")
    assert summaries[0].severity == types.DiagnosticSeverity.Error
    # The summary points at the first finding left out: after every one shown.
    shown_lines = [d.range.start.line for d in citations if d not in summaries]
    assert summaries[0].range.start.line > max(shown_lines)


PLAIN_TEXT_CLIENT = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.PlainText]),
        synchronization=types.TextDocumentSyncClientCapabilities(),
    )
)


@pytest_lsp.fixture(config=SERVER)
async def plain_client(lsp_client: LanguageClient, repo: Path):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=PLAIN_TEXT_CLIENT, root_uri=repo.as_uri())
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_plain_text_client_gets_hovers_without_markdown_marks(plain_client: LanguageClient, repo: Path):
    uri, text, _ = await open_document(plain_client, repo, REVIEW)
    hover = await plain_client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, "## Technical judgment", 4)
        )
    )
    assert hover is not None
    assert hover.contents.kind == types.MarkupKind.PlainText
    assert "Technical judgment" in hover.contents.value
    assert "**" not in hover.contents.value and "`" not in hover.contents.value, hover.contents.value
