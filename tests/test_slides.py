"""``lecture slides``: decks made from the small lecture's renders, read back.

The small lecture (``test_production``: the narration demo, segment 4, a copy of the demo; low
quality, espeak) is rendered once per test session; the decks are built from a copy of its
renders. PowerPoint is read back with python-pptx, the PDF with pypdf, the HTML is opened in
Debian's chromium (headless, driven through the DevTools protocol over a pipe) from a folder
it was moved to.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from test_production import REPO, SMALL, copy_repo, shared_build, small_lecture  # noqa: F401 (a fixture)

CHROMIUM = "/usr/bin/chromium"
BOOKMARK = re.compile(r"<bookmark\s*mark\s*=['\"]\w*[\"']\s*/>")


def run_slides(repo: Path, media: Path, *args: str, voice: str = "espeak",
               timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scenes.production.lecture", "slides", "--registry", str(repo / "registry.json"),
           "--lang", "es", "--voice", voice, "--quality", "low", "--media", str(media), *args]
    env = dict(os.environ, LECTURE_VOICE_CACHE=str(media.parent / "voice"))
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout)


def slides_repo(dest: Path, segments: list[dict] = SMALL) -> Path:
    """A copy of the code (as the small lecture's, so its renders are current) with the
    set-up's reveal.js."""
    repo = copy_repo(dest, segments)
    (repo / "node_modules").symlink_to(REPO / "node_modules")
    return repo


def beats_of(media: Path, segment: str) -> list[dict]:
    return json.loads((media / "lecture/es" / f"{segment}.beats.json").read_text())["beats"]


def sections_of(media: Path, segment: str) -> list[Path]:
    folder = media / "lecture/es/sections" / segment
    return [folder / s["video"] for s in json.loads((folder / f"{segment}.json").read_text())]


def slide_pieces(media: Path, segment: str) -> list[list[Path]]:
    """Per beat, the section videos its slide should play: the sections since the previous
    beat's (what played in between), then its own; what follows the last beat is left out."""
    folder = media / "lecture/es/sections" / segment
    ids = {b["id"] for b in beats_of(media, segment)}
    slides, pending = [], []
    for section in json.loads((folder / f"{segment}.json").read_text()):
        pending.append(folder / section["video"])
        if section["name"] in ids:
            slides.append(pending)
            pending = []
    return slides


def frames_of(video) -> tuple[int, np.ndarray]:
    """How many frames a video (a path or bytes) has, and its last one."""
    source = io.BytesIO(video) if isinstance(video, bytes) else str(video)
    with av.open(source) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    return len(frames), frames[-1]


def said(text: str) -> str:
    """What a beat says: its text without bookmarks, spaces collapsed."""
    return " ".join(BOOKMARK.sub(" ", text).split())


def last_frame_rgb(video: Path) -> np.ndarray:
    """Every frame decoded, the last one kept (independent of the command's own shortcut)."""
    with av.open(str(video)) as c:
        (frame,) = deque(c.decode(video=0), 1)
        return frame.to_ndarray(format="rgb24")


def difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pixel, the largest difference of its channels (0..255)."""
    return np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2)


def largest_difference(a: np.ndarray, b: np.ndarray) -> int:
    return int(difference(a, b).max())


def changed_share(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels that differ clearly (by more than 40 levels)."""
    return float((difference(a, b) > 40).mean())


@pytest.fixture(scope="session")
def small_slides(small_lecture, tmp_path_factory, worker_id):  # noqa: F811
    """The small lecture's decks: the whole lecture (html, pptx, pdf, silent) and the demo
    segment alone, narrated (html, pptx). The renders are a copy of the small lecture's."""
    def build(base: Path) -> None:
        shutil.copytree(small_lecture / "media/lecture", base / "media/lecture", symlinks=True)
        repo = slides_repo(base / "repo")
        whole = run_slides(repo, base / "media")
        (base / "whole.txt").write_text(whole.stdout + whole.stderr)
        assert whole.returncode == 0, whole.stdout + whole.stderr
        demo = run_slides(repo, base / "media", "demo", "--to", "html,pptx", "--narrated")
        (base / "demo.txt").write_text(demo.stdout + demo.stderr)
        assert demo.returncode == 0, demo.stdout + demo.stderr

    return shared_build(tmp_path_factory, worker_id, "small_slides", build)


# --------------------------------------------------------------------------- reuse, refusals


@pytest.mark.render
def test_slides_reuse_the_lectures_renders(small_slides):
    out = (small_slides / "whole.txt").read_text()
    assert "3 segment(s), 0 to render, 3 unchanged" in out
    decks = small_slides / "media/slides/es"
    assert {p.name for p in decks.iterdir()} == {
        "lecture.html", "lecture_assets", "lecture.pptx", "lecture.pdf",
        "demo.html", "demo_assets", "demo.pptx"}


@pytest.mark.render
def test_a_render_without_beat_videos_is_rendered_again(small_lecture, tmp_path):
    shutil.copytree(small_lecture / "media/lecture", tmp_path / "media/lecture", symlinks=True)
    shutil.rmtree(tmp_path / "media/lecture/es/sections/demo")   # as rendered before they were kept
    proc = run_slides(slides_repo(tmp_path / "repo"), tmp_path / "media", "demo", "--to", "pdf")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 segment(s), 1 to render, 0 unchanged" in proc.stdout
    assert len(sections_of(tmp_path / "media", "demo")) == len(beats_of(tmp_path / "media", "demo"))


@pytest.mark.parametrize("args, message", [
    (["nope"], "unknown segment 'nope'"),
    (["--to", "html,odp"], "unknown format 'odp'"),
    (["--media", "{file}/media"], "cannot write to"),
    (["--voice", "robot"], "unknown voice 'robot'"),
])
def test_bad_input_is_one_line_status_2_and_writes_nothing(tmp_path, args, message):
    repo = slides_repo(tmp_path / "repo", SMALL[:1])
    (tmp_path / "file").write_text("a file, not a folder")
    before = sorted(tmp_path.rglob("*"))
    args = [a.replace("{file}", str(tmp_path / "file")) for a in args]
    proc = run_slides(repo, tmp_path / "media", *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr
    assert sorted(tmp_path.rglob("*")) == before


def test_notes_are_the_words_said_and_videos_the_beats(tmp_path):
    """Pairing a render's beat videos with its beats: bookmarks out, filled text kept; a render
    whose beat videos are not its beats is refused."""
    from scenes.production.slides import SlidesError, read_part
    from scenes.segments import Segment

    folder = tmp_path / "lecture/es/sections/demo"
    folder.mkdir(parents=True)
    names = ["intro", "after_intro", "size", "after_size"]
    index = [{"name": n, "video": f"demo_{i:04d}_{n}.mp4"} for i, n in enumerate(names)]
    (folder / "demo.json").write_text(json.dumps(index))
    beats = [{"id": "intro", "text": "Una <bookmark mark='a'/>convolución  desliza."},
             {"id": "size", "text": "La salida mide 3."}]
    (tmp_path / "lecture/es/demo.beats.json").write_text(json.dumps({"beats": beats}))
    part = read_part(tmp_path, "es", Segment("demo", "narration.demo", "NarrationDemo"), 1)
    assert [s.notes for s in part.slides] == ["Una convolución desliza.", "La salida mide 3."]
    # What plays between two beats opens the next slide; what plays after the last is left out.
    assert [[p.name for p in s.pieces] for s in part.slides] == [
        ["demo_0000_intro.mp4"], ["demo_0001_after_intro.mp4", "demo_0002_size.mp4"]]
    (folder / "demo.json").write_text(json.dumps([index[2], index[0]]))
    with pytest.raises(SlidesError, match="are not its beats"):
        read_part(tmp_path, "es", Segment("demo", "narration.demo", "NarrationDemo"), 1)


# --------------------------------------------------------------------------- PowerPoint, PDF


@pytest.mark.render
def test_powerpoint_has_a_slide_per_beat_with_its_video_and_words(small_slides):
    import pptx

    media = small_slides / "media"
    beats = [b for seg in SMALL for b in beats_of(media, seg["id"])]
    pieces = [p for seg in SMALL for p in slide_pieces(media, seg["id"])]
    deck = pptx.Presentation(str(media / "slides/es/lecture.pptx"))
    assert len(deck.slides) == len(beats) == len(pieces)
    for slide, beat, videos in zip(deck.slides, beats, pieces):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes == said(beat["text"]) and "{" not in notes and "<" not in notes
        movies = [s for s in slide.shapes if s.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.MEDIA]
        assert len(movies) == 1
        rel = [r for r in slide.part.rels.values() if r.reltype.endswith("/media")]
        assert len(rel) == 1
        embedded = rel[0].target_part.blob
        if len(videos) == 1:
            assert embedded == videos[0].read_bytes()
        else:   # what played since the previous beat, then the beat: frame for frame
            count, last = frames_of(embedded)
            assert count == sum(frames_of(v)[0] for v in videos)
            assert largest_difference(last, frames_of(videos[-1])[1]) == 0
    # The title card of each segment opens its part.
    titles = [i for i, b in enumerate(beats) if b["id"] == "title"]
    assert titles == [len(beats_of(media, "demo"))]          # s04 has one; the demos do not


@pytest.mark.render
def test_pdf_is_the_last_frame_of_each_beat(small_slides):
    from pypdf import PdfReader

    media = small_slides / "media"
    videos = [p[-1] for seg in SMALL for p in slide_pieces(media, seg["id"])]
    pdf = PdfReader(str(media / "slides/es/lecture.pdf"))
    assert len(pdf.pages) == len(videos)
    lasts = [last_frame_rgb(v) for v in videos]
    for n, page in enumerate(pdf.pages):
        (image,) = page.images
        shown = np.asarray(image.image.convert("RGB"))
        assert shown.shape == lasts[n].shape
        # The same picture (stored as JPEG: a little ringing around text), and nearer to its
        # own beat's last frame than to any other beat's that differs from it.
        own = changed_share(shown, lasts[n])
        assert own < 0.01
        others = [changed_share(shown, f) for f in lasts if changed_share(f, lasts[n]) > 0.01]
        assert all(own < other for other in others)


@pytest.mark.render
def test_narrated_slides_carry_each_beats_stretch_of_the_voice(small_slides):
    from scenes.media.streams import decode_audio

    media = small_slides / "media"
    assets = media / "slides/es/demo_assets"
    videos = sorted(assets.glob("*.mp4"))
    assert [v.name for v in videos] == [v.name for v in sections_of(media, "demo")]
    assert all(len(p) == 1 for p in slide_pieces(media, "demo"))
    voice = decode_audio(media / "lecture/es/demo.mp4").mean(axis=0)
    start = 0
    for video in videos:
        with av.open(str(video)) as c:
            v, a = c.streams.video[0], c.streams.audio[0]
            length = float(v.frames / v.average_rate)
            assert float(a.duration * a.time_base) == pytest.approx(length, abs=0.05)
        heard = decode_audio(video).mean(axis=0)
        expected = voice[start:start + heard.size]
        # Loudness envelopes in 50 ms windows follow each other (AAC is not sample-exact).
        env = [np.sqrt(np.convolve(x ** 2, np.ones(2400) / 2400, "valid")[::2400]) for x in (heard, expected)]
        n = min(e.size for e in env)
        assert np.corrcoef(env[0][:n], env[1][:n])[0, 1] > 0.95
        start += heard.size
    # The silent deck's videos have no sound at all.
    for video in (media / "slides/es/lecture_assets").glob("*.mp4"):
        with av.open(str(video)) as c:
            assert not c.streams.audio


# --------------------------------------------------------------------------- HTML in chromium


class Chromium:
    """Headless chromium driven with the DevTools protocol over a pipe (fds 3 and 4,
    NUL-separated JSON): one page, its requests recorded."""

    def __init__(self, width: int, height: int, profile: Path):
        to_browser, self._to_browser = os.pipe()
        self._from_browser, from_browser = os.pipe()
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={profile}", "--remote-debugging-pipe", "--mute-audio",
               "--autoplay-policy=no-user-gesture-required", f"--window-size={width},{height}"]

        def pipes() -> None:
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.proc = subprocess.Popen(cmd, pass_fds=(3, 4), preexec_fn=pipes,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._n, self.events = b"", 0, []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.page("Network.enable")
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def send(self, method: str, session: str | None = None, **params):
        self._n += 1
        message = {"id": self._n, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._n:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def page(self, method: str, **params):
        return self.send(method, session=self.session, **params)

    def js(self, expression: str, session: str | None = None):
        result = self.send("Runtime.evaluate", session=session or self.session, expression=expression,
                           returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0, session: str | None = None):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = self.js(expression, session)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(f"{expression} stayed false for {timeout} s")

    def windows(self) -> set[str]:
        return {i["targetId"] for i in self.send("Target.getTargets")["targetInfos"] if i["type"] == "page"}

    def wait_for_new_window(self, known: set[str], timeout: float = 30.0) -> str:
        """A session on a page opened since ``known`` was taken (a popup)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            new = self.windows() - known
            if new:
                return self.send("Target.attachToTarget", targetId=new.pop(), flatten=True)["sessionId"]
            time.sleep(0.1)
        raise TimeoutError("no window opened")

    def screenshot(self) -> np.ndarray:
        png = base64.b64decode(self.page("Page.captureScreenshot", format="png")["data"])
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))

    def requested(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._to_browser)
        os.close(self._from_browser)


VIDEO = "Reveal.getCurrentSlide().slideBackgroundContentElement.querySelector('video')"


@pytest.mark.render
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is installed by make setup")
def test_html_deck_plays_each_beat_and_advances_offline(small_slides, tmp_path):
    media = small_slides / "media"
    # Moved to another machine: the page and its folder, nothing else.
    laptop = tmp_path / "projector"
    laptop.mkdir()
    shutil.copy(media / "slides/es/lecture.html", laptop)
    shutil.copytree(media / "slides/es/lecture_assets", laptop / "lecture_assets")
    beats = beats_of(media, "demo")
    last = [last_frame_rgb(v) for v in sections_of(media, "demo")]
    height, width = last[0].shape[:2]
    browser = Chromium(width, height, Path(tempfile.mkdtemp(dir=tmp_path)))
    try:
        browser.page("Page.navigate", url=(laptop / "lecture.html").as_uri())
        browser.wait_for("typeof Reveal !== 'undefined' && Reveal.isReady()")
        shots = []
        for n, beat in enumerate(beats):
            if n:   # advance as the teacher does, with the right arrow key
                for kind in ("keyDown", "keyUp"):
                    browser.page("Input.dispatchKeyEvent", type=kind, key="ArrowRight", code="ArrowRight",
                                 windowsVirtualKeyCode=39)
            browser.wait_for(f"Reveal.getIndices().h === {n} && {VIDEO} !== null")
            # It plays: time goes on while it is not paused ...
            t0 = browser.wait_for(f"{VIDEO}.currentTime > 0 && {VIDEO}.currentTime")
            browser.wait_for(f"!{VIDEO}.paused && {VIDEO}.currentTime > {t0}")
            assert browser.js(f"{VIDEO}.currentSrc").endswith(sections_of(media, "demo")[n].name)
            # ... to its end (faster here), where it holds on the last frame.
            browser.js(f"{VIDEO}.playbackRate = 4")
            browser.wait_for(f"{VIDEO}.ended", timeout=30)
            time.sleep(0.3)
            shots.append(browser.screenshot())
            Image.fromarray(shots[-1]).save(tmp_path / f"slide{n + 1}.png")
            notes = browser.js("Reveal.getCurrentSlide().querySelector('aside.notes').textContent")
            assert " ".join(notes.split()) == said(beat["text"])
        # The speaker view (key S) opens in its own window with the notes of this slide.
        windows = browser.windows()
        for kind in ("keyDown", "keyUp"):
            browser.page("Input.dispatchKeyEvent", type=kind, key="s", code="KeyS", windowsVirtualKeyCode=83,
                         **({"text": "s"} if kind == "keyDown" else {}))
        speaker = browser.wait_for_new_window(windows)
        text = browser.wait_for("document.body && document.body.innerText.includes('NOTES') && "
                                "document.body.innerText", session=speaker)
        assert said(beats[-1]["text"]) in " ".join(text.split())
        requested = browser.requested()
    finally:
        browser.close()
    assert shots[0].shape == last[0].shape
    # Each screen is its beat's last frame (up to colour conversion: a few levels), and not
    # the other beat's (a square and a label more or less).
    assert largest_difference(shots[0], last[0]) <= 8 and largest_difference(shots[1], last[1]) <= 8
    assert changed_share(shots[0], last[1]) > 0.001 and changed_share(shots[1], last[0]) > 0.001
    assert requested and all(u.startswith(("file:", "data:")) for u in requested), requested
    assert any(u.endswith("lecture_assets/reveal.js/dist/reveal.js") for u in requested)
