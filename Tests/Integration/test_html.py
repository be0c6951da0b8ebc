"""The HTML packet and decision record, rendered by a real browser.

Headless Chromium (Debian's `chromium`, installed by scripts/setup.sh) loads the
files the real `evident` binary writes and takes a screenshot; the PNG is then
checked without third-party imaging libraries: signature, chunk CRCs, the size asked
for, and enough distinct colours to prove something was drawn. `--dump-dom` shows
what the browser built from the page, which is where an injection would show up.

The binary is `$EVIDENT_BIN`, or `.build/debug/evident` under the repository root.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "acme"
WIDTH, HEIGHT = 1280, 2000

# Payloads that would change the DOM if they ever ran.
SCRIPT = "<script>document.body.setAttribute('data-pwned','script')</script>"
IMAGE = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"


@pytest.fixture(scope="session")
def evident() -> Path:
    configured = os.environ.get("EVIDENT_BIN")
    binary = Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug" / "evident"
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"evident binary not found at {binary}: build it with `swift build` or set EVIDENT_BIN", pytrace=False)
    return binary


@pytest.fixture(scope="session")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("chromium not found: run scripts/setup.sh (Debian package `chromium`)", pytrace=False)


def run(evident: Path, *arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    process = subprocess.run(
        [str(evident), *arguments], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert process.returncode == 0, f"evident {' '.join(arguments)} exited {process.returncode}:\n{process.stderr}"
    return process


def browser(chromium: str, *arguments: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={profile}", *arguments],
        capture_output=True, text=True, timeout=180,
    )


def screenshot(chromium: str, page: Path, png: Path, tmp_path: Path) -> None:
    process = browser(chromium, f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri(),
                      profile=tmp_path / f"profile-{png.stem}")
    assert png.is_file(), f"chromium wrote no screenshot (exit {process.returncode}):\n{process.stderr[-2000:]}"


def dump_dom(chromium: str, page: Path, tmp_path: Path) -> str:
    process = browser(chromium, "--dump-dom", "--virtual-time-budget=2000", page.as_uri(),
                      profile=tmp_path / f"profile-dom-{page.stem}")
    assert process.returncode == 0 and "<body" in process.stdout, process.stderr[-2000:]
    return process.stdout


def read_png(path: Path, max_rows: int = 600) -> tuple[int, int, set[bytes]]:
    """Width, height and the distinct pixel values of the first `max_rows` rows.

    Validates the signature and every chunk's CRC, and undoes the scanline filters
    (PNG spec section 9) for 8-bit RGB or RGBA images, which is what Chromium writes.
    """
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    offset, chunks = 8, []
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r} chunk"
        chunks.append((kind, body))
        offset += 12 + length
        if kind == b"IEND":
            break
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND", "missing IHDR or IEND"
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and color in (2, 6) and interlace == 0, f"unexpected PNG format {depth=} {color=} {interlace=}"
    channels = 4 if color == 6 else 3
    raw = zlib.decompressobj().decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for row in range(min(height, max_rows)):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        colours.update(bytes(line[i:i + channels]) for i in range(0, stride, channels))
        previous = line
    return width, height, colours


@pytest.fixture(scope="session")
def rendered(evident: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html")
    run(evident, "calibrate", "packet", "--cycle", "2026-h2", "--group", "eng", "--html", str(out / "packet.html"),
        cwd=EXAMPLE)
    run(evident, "record", "alice", "--cycle", "2026-h2", "--html", str(out / "record.html"), cwd=EXAMPLE)
    return {"packet": out / "packet.html", "record": out / "record.html"}


@pytest.mark.parametrize("page", ["packet", "record"])
def test_browser_renders_a_non_blank_page(page: str, rendered: dict[str, Path], chromium: str, tmp_path: Path) -> None:
    png = tmp_path / f"{page}.png"
    screenshot(chromium, rendered[page], png, tmp_path)
    width, height, colours = read_png(png)
    assert (width, height) == (WIDTH, HEIGHT)
    # A blank page has one colour; text, tables and charts give anti-aliased hundreds.
    assert len(colours) > 50, f"only {len(colours)} colours: the page looks blank"


def test_pages_need_no_network_and_no_script(rendered: dict[str, Path]) -> None:
    for page in rendered.values():
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html
        assert "http-equiv=\"Content-Security-Policy\"" in html
        assert "<link" not in html and " src=" not in html


@pytest.fixture(scope="session")
def hostile_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example organisation with injections in a name, an evidence summary, a
    calibration rationale, a growth plan, a response and an appeal's answer."""
    root = tmp_path_factory.mktemp("hostile") / "acme"
    shutil.copytree(EXAMPLE, root)
    people = root / "people.yaml"
    # json.dumps gives a valid YAML double-quoted scalar for any payload.
    people.write_text(people.read_text().replace("name: Alice Chen", f"name: {json.dumps('Alice ' + IMAGE)}"))
    evidence = root / "cycles" / "2026-h2" / "alice" / "evidence.md"
    evidence.write_text(evidence.read_text().replace(
        "summary: Cut checkout p99 from 900 ms to 250 ms by batching fraud-score lookups",
        f"summary: {json.dumps('Cut p99 ' + SCRIPT)}"))
    review = root / "cycles" / "2026-h2" / "alice" / "review.md"
    text = review.read_text()
    text = text.replace("  rationale: Calibrators checked", f"  rationale: {json.dumps(IMAGE)} # was: Calibrators checked", 1)
    text = text.replace("## Growth plan\n", f"## Growth plan\n\n{SCRIPT} and {IMAGE}\n", 1)
    review.write_text(text)
    # The person's own words and an appeal's answer reach the record and the packet too.
    response = root / "cycles" / "2026-h2" / "alice" / "response.md"
    response.write_text(response.read_text() + f"\n{SCRIPT} and {IMAGE}\n")
    appeal = root / "cycles" / "2026-h2" / "ivan" / "appeal.md"
    appeal.write_text(appeal.read_text().replace("    The load test", f"    {IMAGE} {SCRIPT} The load test", 1))
    return root


def test_injected_markup_renders_as_text(evident: Path, chromium: str, hostile_repository: Path, tmp_path: Path) -> None:
    packet = tmp_path / "packet.html"
    record = tmp_path / "record.html"
    run(evident, "calibrate", "packet", "--cycle", "2026-h2", "--group", "eng", "--html", str(packet),
        cwd=hostile_repository)
    run(evident, "record", "alice", "--cycle", "2026-h2", "--html", str(record), cwd=hostile_repository)
    for page in (packet, record):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "<img" not in html
        dom = dump_dom(chromium, page, tmp_path)
        # The payloads are text the browser shows, escaped again when serialised…
        assert "&lt;script&gt;document.body.setAttribute" in dom, f"{page.name}: script text missing"
        assert "&lt;img src=x onerror=" in dom, f"{page.name}: img text missing"
        # …and never elements that ran.
        assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0], f"{page.name}: an injection ran"
        assert "<script>" not in dom and "<img " not in dom


def test_record_shows_the_persons_voice_and_never_their_private_note(
    evident: Path, chromium: str, tmp_path: Path
) -> None:
    """Ivan disagrees and appealed: the browser shows both, and the answer, before the
    review's prose; the `## Private` note of his response is nowhere in the page."""
    record = tmp_path / "ivan.html"
    run(evident, "record", "ivan", "--cycle", "2026-h2", "--html", str(record), cwd=EXAMPLE)
    dom = dump_dom(chromium, record, tmp_path)
    assert "You disagree with this record." in dom
    assert "You appealed to your skip-level manager on 2026-12-07." in dom
    assert "Answered by Vera Lindqvist on 2026-12-11: the outcome stands (upheld)." in dom
    assert dom.index("Your response") < dom.index("What the review says")
    private = (EXAMPLE / "cycles" / "2026-h2" / "ivan" / "response.md").read_text().split("## Private", 1)[1].strip()
    assert private.split()[0:4] and " ".join(private.split()[0:6]) not in dom
    assert "outside my team" not in dom
    packet = tmp_path / "packet.html"
    run(evident, "calibrate", "packet", "--cycle", "2026-h2", "--group", "eng", "--html", str(packet), cwd=EXAMPLE)
    page = dump_dom(chromium, packet, tmp_path)
    assert "disagrees · appeal upheld" in page
    assert "Not under review in this cycle" in page and "excluded in cycle.yaml" in page
    assert "outside my team" not in page
