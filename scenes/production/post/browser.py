"""Open the post's page in a real headless chromium and look at it.

Chromium (Debian's ``/usr/bin/chromium``, installed by ``make setup``) is driven over the
DevTools protocol through a pipe (``--remote-debugging-pipe``: JSON messages ending in a NUL
byte on file descriptors 3 and 4), so nothing beyond the standard library is needed. The check
loads ``index.html``, waits for its videos, then reports whether every formula was typeset
(KaTeX's HTML, no ``$`` left in the visible text), whether every video, GIF fallback and font
loaded, and saves a PNG screenshot of each section.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--hide-scrollbars", "--mute-audio", "--autoplay-policy=no-user-gesture-required"]


class BrowserError(RuntimeError):
    """Chromium is missing, exited, or did not answer in time."""


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise BrowserError("chromium is not installed (make setup installs Debian's chromium)")


class Browser:
    """One headless chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self, width: int = 1000, height: int = 800, timeout: float = 60.0):
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="post-chromium-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def child_fds():          # chromium reads commands on fd 3 and answers on fd 4
            a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)     # above 4, so neither
            b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)   # dup2 clobbers the other
            os.dup2(a, 3)
            os.dup2(b, 4)

        # close_fds=False: the two dup2 copies must survive; Python's own fds are
        # close-on-exec anyway
        self.proc = subprocess.Popen(
            [chromium_path(), *CHROMIUM_FLAGS, "--remote-debugging-pipe",
             f"--user-data-dir={self._profile}", f"--window-size={width},{height}", "about:blank"],
            close_fds=False, preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.page("Page.enable")
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    # --- the protocol -----------------------------------------------------------------------
    def _read_message(self, deadline: float) -> dict:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise BrowserError("chromium closed the DevTools pipe (it exited)")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, **params) -> dict:
        return self.call(method, session=self.session, **params)

    def evaluate(self, expression: str, await_promise: bool = False):
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=await_promise)
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails'].get('text')} "
                               f"{result['exceptionDetails'].get('exception', {}).get('description', '')}")
        return result["result"].get("value")

    # --- what a test needs --------------------------------------------------------------------
    def open(self, path: Path, wait: float = 20.0) -> None:
        self.events.clear()
        self.page("Page.navigate", url=Path(path).resolve().as_uri())
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.evaluate("document.readyState") == "complete":
                return
            time.sleep(0.1)
        raise BrowserError(f"{path} did not finish loading in {wait:.0f} s")

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except BrowserError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# What the page shows, measured in the page itself.
INSPECT = r"""
(async () => {
  const waitFor = (cond, ms) => new Promise((resolve) => {
    const t0 = performance.now();
    const tick = () => (cond() || performance.now() - t0 > ms) ? resolve() : setTimeout(tick, 100);
    tick();
  });
  const videos = [...document.querySelectorAll('video')];
  await waitFor(() => videos.every(v => v.readyState >= 2 || v.error), 20000);
  await document.fonts.ready;
  const gifs = await Promise.all([...document.querySelectorAll('video img, img')].map(img =>
    new Promise((resolve) => {
      const probe = new Image();
      probe.onload = () => resolve({src: img.getAttribute('src'), ok: probe.naturalWidth > 0,
                                    width: probe.naturalWidth});
      probe.onerror = () => resolve({src: img.getAttribute('src'), ok: false, width: 0});
      probe.src = img.src;
    })));
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('.katex, pre, code')) continue;
    if (n.textContent.includes('$')) raw.push(n.textContent.trim().slice(0, 80));
  }
  const sections = [...document.querySelectorAll('section[data-section]')].map(s => {
    const r = s.getBoundingClientRect();
    return {id: s.dataset.section, x: r.left + scrollX, y: r.top + scrollY,
            width: r.width, height: r.height};
  });
  return {
    title: document.title,
    formulas: document.querySelectorAll('.katex').length,
    katexErrors: document.querySelectorAll('.katex-error').length,
    katexFont: document.fonts.check('16px KaTeX_Main'),
    rawDollars: raw,
    videos: videos.map(v => ({src: v.currentSrc, ready: v.readyState, error: v.error && v.error.code,
                              width: v.videoWidth, height: v.videoHeight, paused: v.paused,
                              loop: v.loop, muted: v.muted, label: v.getAttribute('aria-label')})),
    gifs: gifs,
    sections: sections,
    headings: [...document.querySelectorAll('article h2, article h3')].map(h => [h.tagName, h.id, h.textContent]),
    captions: [...document.querySelectorAll('figure figcaption')].map(c => c.textContent),
  };
})()
"""


@dataclass
class PageReport:
    info: dict
    screenshots: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        i = self.info
        out = [f"{i['formulas']} formulas typeset, {len(i['videos'])} videos and "
               f"{len(i['gifs'])} GIFs loaded" if not self.problems else "problems found",
               f"{len(self.screenshots)} section screenshots in "
               f"{self.screenshots[0].parent if self.screenshots else '-'}"]
        return out + self.problems


def inspect_page(browser: Browser, html_path: Path) -> dict:
    browser.open(html_path)
    return browser.evaluate(INSPECT, await_promise=True)


def page_problems(info: dict) -> list[str]:
    problems = []
    if info["formulas"] == 0:
        problems.append("no formula was typeset")
    if info["katexErrors"]:
        problems.append(f"{info['katexErrors']} formulas failed to typeset")
    if not info["katexFont"]:
        problems.append("KaTeX's fonts did not load")
    for text in info["rawDollars"]:
        problems.append(f"raw LaTeX left in the text: {text!r}")
    for v in info["videos"]:
        if v["error"] or v["ready"] < 2 or not v["width"]:
            problems.append(f"video did not load: {v['src'] or v}")
        if not (v["loop"] and v["muted"] and v["label"]):
            problems.append(f"video is not looping, muted and labelled: {v['src']}")
    for g in info["gifs"]:
        if not g["ok"]:
            problems.append(f"image did not load: {g['src']}")
    return problems


# Every video paused near its end (the finished picture), for still screenshots.
FREEZE_VIDEOS = r"""
Promise.all([...document.querySelectorAll('video')].map(v => new Promise((resolve) => {
  v.pause();
  if (!v.duration) return resolve();
  v.addEventListener('seeked', () => resolve(), {once: true});
  v.currentTime = v.duration * 0.8;
  setTimeout(resolve, 5000);
})))
"""


def screenshot_sections(browser: Browser, sections: list[dict], folder: Path,
                        width: int) -> list[Path]:
    """One PNG per section, ``NN_<id>.png``: the videos paused, the viewport as tall as the
    page (capturing beyond the viewport is several times slower)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    browser.evaluate(FREEZE_VIDEOS, await_promise=True)
    height = browser.evaluate("document.documentElement.scrollHeight")
    browser.page("Emulation.setDeviceMetricsOverride", width=width, height=height,
                 deviceScaleFactor=1, mobile=False)
    shots = []
    for n, s in enumerate(sections, 1):
        clip = {"x": 0, "y": s["y"], "width": width, "height": max(1, s["height"])}
        data = browser.page("Page.captureScreenshot", format="png", clip={**clip, "scale": 1})
        path = folder / f"{n:02d}_{s['id']}.png"
        path.write_bytes(base64.b64decode(data["data"]))
        shots.append(path)
    return shots


def check_page(html_path: Path, screenshots: Path | None = None, width: int = 1000) -> PageReport:
    """Load the page, measure it, and screenshot each section into ``screenshots``."""
    with Browser(width=width) as browser:
        info = inspect_page(browser, html_path)
        report = PageReport(info, problems=page_problems(info))
        if screenshots is not None:
            report.screenshots = screenshot_sections(browser, info["sections"], screenshots, width)
    return report
