"""Renders in subprocesses: a segment's video, the thumbnail, a dry run that captures what
each beat says. Each result is moved into place only when complete.

A render works in a scratch folder ``media/lecture/<lang>/.scratch/<name>.<pid>.<n>/`` (same
file system, so the final moves are atomic renames), given every formula and text earlier
renders compiled (``media/cache/``, see :func:`seed_caches`); the stamp (the fingerprint of the inputs)
is removed before the outputs are replaced and written again after, so a render interrupted
anywhere leaves either the previous good files or a segment that will be rendered again.
Scratch folders of processes that no longer exist are cleared on the next run.

A render that fails keeps its full output in ``media/lecture/<lang>/logs/<name>.failed.log``
(the last failure only); the log goes as soon as that segment renders or is found unchanged,
and a render stopped on purpose (Ctrl-C, SIGTERM) leaves none.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from scenes.segments import Segment

from .registry import (QUALITIES, ROOT, fingerprint, hash_files, import_closure, manim_version,
                       module_path, render_env)
from .takes import recordings_root, segment_takes_digest
from scenes.narration.lecture_text import text_path
from scenes.narration.soundtrack import report_path

_running: set[subprocess.Popen] = set()
_lock = threading.Lock()
_counter = itertools.count()
_stopping = threading.Event()


class RenderError(RuntimeError):
    """A render failed; the message names the segment, the last error line and the log."""


def terminate_all() -> None:
    """Stop every render this process started, and start no more (on Ctrl-C or SIGTERM)."""
    _stopping.set()
    with _lock:
        procs = list(_running)
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def _run(cmd: list[str], env: dict[str, str]) -> tuple[int, str]:
    with _lock:
        if _stopping.is_set():
            raise RenderError("interrupted")
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        _running.add(proc)
    try:
        output, _ = proc.communicate()
    finally:
        with _lock:
            _running.discard(proc)
    return proc.returncode, output or ""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_scratch(dest: Path) -> None:
    """Remove scratch folders left by renders whose process is gone (killed, crashed)."""
    root = dest / ".scratch"
    if not root.is_dir():
        return
    for d in root.iterdir():
        try:
            pid = int(d.name.split(".")[-2])
        except (IndexError, ValueError):
            pid = -1
        if pid == os.getpid() or (pid > 0 and _pid_alive(pid)):
            continue
        shutil.rmtree(d, ignore_errors=True)


def _scratch(dest: Path, name: str) -> Path:
    d = dest / ".scratch" / f"{name}.{os.getpid()}.{next(_counter)}"
    d.mkdir(parents=True)
    return d


# --------------------------------------------------------------------------- shared caches


def shared_caches(media: Path, width: int, height: int) -> dict[str, Path]:
    """Where the compiled formulas (LaTeX) and set texts (Pango) of every render are kept, by
    the folder Manim looks for them in under its media folder. A text's picture depends on the
    frame's size, so texts are kept per size."""
    root = media / "cache"
    return {"Tex": root / "Tex", "texts": root / f"texts-{width}x{height}"}


def seed_caches(scratch: Path, caches: dict[str, Path]) -> None:
    """Give a render every formula and text already made (hard links: no copying), so Manim
    finds them and compiles only new ones."""
    for folder, shared in caches.items():
        if not shared.is_dir():
            continue
        own = scratch / folder
        own.mkdir(parents=True, exist_ok=True)
        for svg in shared.glob("*.svg"):
            try:
                os.link(svg, own / svg.name)
            except FileExistsError:
                pass
            except OSError:
                shutil.copy2(svg, own / svg.name)


def harvest_caches(scratch: Path, caches: dict[str, Path]) -> None:
    """Keep what a finished render compiled for the next ones. Each file is moved in with one
    rename, so a render running beside this one sees it whole or not at all."""
    for folder, shared in caches.items():
        own = scratch / folder
        if not own.is_dir():
            continue
        shared.mkdir(parents=True, exist_ok=True)
        for svg in own.glob("*.svg"):
            if not (shared / svg.name).exists():
                os.replace(svg, shared / svg.name)


def failure_log(dest: Path, name: str) -> Path:
    """Where the output of ``name``'s last failed render is kept: ``logs/<name>.failed.log``
    in the language's folder, away from the videos; removed once ``name`` renders (or is found
    unchanged), so a log there always means the last attempt failed."""
    return dest / "logs" / f"{name}.failed.log"


def clear_failure_log(dest: Path, name: str) -> None:
    failure_log(dest, name).unlink(missing_ok=True)
    (dest / f"{name}.log").unlink(missing_ok=True)   # where earlier versions left it


def _fail(name: str, dest: Path, output: str, log_name: str | None = None) -> RenderError:
    if _stopping.is_set():   # stopped on purpose (Ctrl-C, SIGTERM): not a failure to keep
        return RenderError(f"{name}: interrupted")
    log = failure_log(dest, log_name or name)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(output, encoding="utf-8")
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "error:" in line]
    tail = (errors or lines or ["(no output)"])[-1]
    return RenderError(f"{name} failed: {tail} (full log: {log})")


def lecture_dir(media: Path, lang: str) -> Path:
    return media / "lecture" / lang


def _manim(quality_flag: list[str], scratch: Path, output: str, file: Path, scene: str) -> list[str]:
    return [sys.executable, "-m", "manim", "render", *quality_flag, "--media_dir", str(scratch),
            "--disable_caching", "--progress_bar", "none", "-o", output, str(file), scene]


# --------------------------------------------------------------------------- segments


def _digest_of(files: list[Path]) -> str:
    h = hashlib.sha256()
    hash_files(h, files)
    return h.hexdigest()[:16]


def segment_fingerprint(segment: Segment, number: int, lang: str, voice: str, quality: str,
                        recordings: Path | None = None, fallback: str | None = None) -> str:
    extra: list[str] = []
    if voice == "recorded":
        here = Path(__file__).resolve().parent
        extra = [_digest_of([here / "recorded_voice.py", here / "takes.py"]),
                 segment_takes_digest(recordings_root(recordings), lang, segment.id),
                 f"fallback={fallback or ''}"]
    return fingerprint(segment, lang, voice, quality, number=number, extra=extra)


def sections_dir(dest: Path, segment_id: str) -> Path:
    """Where a segment's beat videos and their index (``<segment>.json``) are kept."""
    return dest / "sections" / segment_id


def _replace_folder(new: Path, target: Path, scratch: Path) -> None:
    """Put folder ``new`` at ``target``; a previous one is moved into ``scratch`` first."""
    if not new.is_dir():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.replace(target, scratch / f"previous-{target.name}")
    os.replace(new, target)


def is_current(segment: Segment, dest: Path, fp: str) -> bool:
    video, stamp = dest / f"{segment.id}.mp4", dest / f"{segment.id}.stamp"
    return video.exists() and stamp.exists() and stamp.read_text().strip() == fp


def render_segment(segment: Segment, number: int, lang: str, voice: str, quality: str, media: Path,
                   *, force: bool = False, recordings: Path | None = None,
                   fallback: str | None = None) -> tuple[str, float]:
    """Render one segment unless its last render is still current. Returns (status, seconds)."""
    dest = lecture_dir(media, lang)
    dest.mkdir(parents=True, exist_ok=True)
    fp = segment_fingerprint(segment, number, lang, voice, quality, recordings, fallback)
    if not force and is_current(segment, dest, fp):
        clear_failure_log(dest, segment.id)
        return "reused", 0.0
    start = time.monotonic()
    scratch = _scratch(dest, segment.id)
    caches = shared_caches(media, *QUALITIES[quality][1:3])
    seed_caches(scratch, caches)
    try:
        beats = scratch / f"{segment.id}.beats.json"
        overrides = {"LECTURE_LANG": lang, "LECTURE_VOICE": voice,
                     "LECTURE_SPOKEN_BEATS": str(beats)}
        if voice == "recorded":
            overrides["LECTURE_RECORDINGS"] = str(recordings_root(recordings).resolve())
            overrides["LECTURE_RECORDED_FALLBACK"] = fallback or ""
        env = render_env(**overrides)
        env.setdefault("LECTURE_VOICE_CACHE", str(media / "voiceovers"))
        # One video per beat besides the whole (a copy of its frames, no re-encoding): the
        # slides (``lecture slides``) are made from them.
        cmd = _manim([f"-q{QUALITIES[quality][0]}", "--save_sections"], scratch, segment.id,
                     module_path(segment), segment.scene)
        code, output = _run(cmd, env)
        if code != 0:
            raise _fail(segment.id, dest, output)
        harvest_caches(scratch, caches)
        produced = sorted(scratch.rglob(f"{segment.id}.mp4"))
        if not produced:
            raise _fail(segment.id, dest, output + "\nmanim finished but wrote no video\n")
        mp4 = produced[0]
        stamp = dest / f"{segment.id}.stamp"
        stamp.unlink(missing_ok=True)
        # Same file system: each move is an atomic rename; the video goes last among outputs
        # that a reader pairs with it, the stamp after everything.
        srt = mp4.with_suffix(".srt")
        if srt.exists():
            os.replace(srt, dest / f"{segment.id}.srt")
        if beats.exists():
            os.replace(beats, dest / f"{segment.id}.beats.json")
        sound_report, kept_report = report_path(mp4), report_path(dest / mp4.name)
        kept_report.unlink(missing_ok=True)
        if sound_report.exists():
            os.replace(sound_report, kept_report)
        _replace_folder(mp4.parent / "sections", sections_dir(dest, segment.id), scratch)
        os.replace(mp4, dest / f"{segment.id}.mp4")
        tmp = dest / f".{segment.id}.stamp.part"
        tmp.write_text(fp + "\n")
        os.replace(tmp, stamp)
        clear_failure_log(dest, segment.id)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return "rendered", time.monotonic() - start


# --------------------------------------------------------------------------- thumbnail

THUMBNAIL_MODULE = ROOT / "scenes" / "thumbnail.py"
THUMBNAIL_SCENE = "Miniatura"


def thumbnail_fingerprint(lang: str) -> str:
    files = set(import_closure([THUMBNAIL_MODULE]))
    for folder in (ROOT / "scenes" / "kit", ROOT / "convmath"):
        files.update(folder.rglob("*.py"))
    files.update([text_path(lang), ROOT / "manim.cfg"])
    h = hashlib.sha256(json.dumps(["thumbnail", lang, manim_version()]).encode())
    hash_files(h, sorted(f for f in files if f.is_file()))
    return h.hexdigest()[:16]


def render_thumbnail(lang: str, media: Path, *, force: bool = False) -> tuple[str, float, Path, str]:
    """Render the 1280×720 thumbnail of ``lang`` unless current: (status, seconds, png, fingerprint)."""
    dest = lecture_dir(media, lang)
    dest.mkdir(parents=True, exist_ok=True)
    png, stamp = dest / "thumbnail.png", dest / "thumbnail.stamp"
    fp = thumbnail_fingerprint(lang)
    if not force and png.exists() and stamp.exists() and stamp.read_text().strip() == fp:
        clear_failure_log(dest, "thumbnail")
        return "reused", 0.0, png, fp
    start = time.monotonic()
    scratch = _scratch(dest, "thumbnail")
    caches = shared_caches(media, 1280, 720)
    seed_caches(scratch, caches)
    try:
        env = render_env(LECTURE_LANG=lang)
        cmd = _manim(["-s", "-r", "1280,720"], scratch, "thumbnail", THUMBNAIL_MODULE, THUMBNAIL_SCENE)
        code, output = _run(cmd, env)
        if code != 0:
            raise _fail("thumbnail", dest, output)
        harvest_caches(scratch, caches)
        produced = sorted(scratch.rglob("*.png"))
        if not produced:
            raise _fail("thumbnail", dest, output + "\nmanim finished but wrote no image\n")
        stamp.unlink(missing_ok=True)
        os.replace(produced[0], png)
        stamp.write_text(fp + "\n")
        clear_failure_log(dest, "thumbnail")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return "rendered", time.monotonic() - start, png, fp


# --------------------------------------------------------------------------- spoken text


def capture_spoken(segment: Segment, number: int, lang: str, media: Path) -> list[dict]:
    """The beats a segment speaks, in order, with their ``{fields}`` filled as the scene fills
    them: ``[{"id", "text", "start", "duration"}]``. Found by a dry run of the scene (nothing is
    drawn or encoded; a few seconds) with the silent estimate voice; kept until the segment's
    inputs change."""
    dest = lecture_dir(media, lang) / ".spoken"
    dest.mkdir(parents=True, exist_ok=True)
    cache = dest / f"{segment.id}.json"
    fp = fingerprint(segment, lang, "estimate", "dry-run", number=number)
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("fingerprint") == fp:
            return data["beats"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        pass
    scratch = _scratch(lecture_dir(media, lang), f"spoken-{segment.id}")
    caches = shared_caches(media, 320, 180)
    seed_caches(scratch, caches)
    try:
        beats = scratch / "beats.json"
        env = render_env(LECTURE_LANG=lang, LECTURE_VOICE="estimate", LECTURE_SPOKEN_BEATS=str(beats))
        env.setdefault("LECTURE_VOICE_CACHE", str(media / "voiceovers"))
        cmd = _manim(["-ql", "--dry_run", "--fps", "5", "-r", "320,180"], scratch, segment.id,
                     module_path(segment), segment.scene)
        code, output = _run(cmd, env)
        if code != 0 or not beats.exists():
            raise _fail(f"{segment.id} (dry run)", lecture_dir(media, lang), output,
                        f"{segment.id}.dry-run")
        harvest_caches(scratch, caches)
        spoken = json.loads(beats.read_text(encoding="utf-8"))["beats"]
        tmp = cache.with_name(f".{cache.name}.part")
        tmp.write_text(json.dumps({"fingerprint": fp, "beats": spoken}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
        os.replace(tmp, cache)
        clear_failure_log(lecture_dir(media, lang), f"{segment.id}.dry-run")
        return spoken
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


__all__ = ["RenderError", "capture_spoken", "clean_scratch", "clear_failure_log", "failure_log",
           "is_current", "lecture_dir", "render_segment", "render_thumbnail", "sections_dir",
           "segment_fingerprint",
           "terminate_all", "thumbnail_fingerprint"]
