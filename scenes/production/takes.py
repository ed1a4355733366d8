"""Recorded takes: where they live, which text each was recorded against, which are missing.

Layout (``recordings/`` at the repository root, or ``$LECTURE_RECORDINGS``)::

    recordings/<lang>/<segment>/<beat_id>.wav      one take per beat (.flac .ogg .mp3 .m4a ... too)
    recordings/<lang>/manifest.json                the text each take was recorded against

The manifest is the only file the tooling ever writes there: only the recording-script command
writes it (never a render), and it is only ever added to (the script itself goes to
``media/recording/<lang>/script.md``). ``beats`` holds, per beat, the text last handed to the narrator in the
script; ``takes`` holds, per take (beat and a hash of its audio), the hash of the text it was
recorded against. A take the manifest does not know yet was recorded from the script last
issued, so it is checked against that. A take is

- ``ok``: recorded against the text the scene now speaks;
- ``stale``: the beat's text has changed since it was recorded (re-record it; it is never
  used, never deleted);
- ``missing``: there is no take for the beat;
- ``unregistered``: there is a take but no record of its text (recorded before any script
  was issued; ``lecture-script --accept SEGMENT/BEAT`` vouches for it);
- ``ambiguous``: two files for one beat (``intro.wav`` and ``intro.flac``);
- ``unusable``: the take cannot be played as it is (it does not decode, it is silent, or it
  lasts far longer than its text takes to say): found by decoding it, see
  :func:`scenes.production.recorded_voice.audited`.

Nothing here writes or removes a take. Pure Python; never imports manim.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .registry import ROOT

RECORDINGS_ENV = "LECTURE_RECORDINGS"
AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".aif",
                    ".aiff", ".webm")
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1

OK, STALE, MISSING, UNREGISTERED, AMBIGUOUS, UNUSABLE = (
    "ok", "stale", "missing", "unregistered", "ambiguous", "unusable")
PROBLEMS = (STALE, MISSING, UNREGISTERED, AMBIGUOUS, UNUSABLE)

_BOOKMARK = re.compile(r"<bookmark\s+mark\s*=\s*['\"][^'\"]*['\"]\s*/>")


def recordings_root(path: str | os.PathLike[str] | None = None) -> Path:
    """``path``, else ``$LECTURE_RECORDINGS``, else ``recordings/`` at the repository root."""
    if path is not None:
        return Path(path)
    env = os.environ.get(RECORDINGS_ENV, "").strip()
    return Path(env) if env else ROOT / "recordings"


def spoken(text: str) -> str:
    """What the narrator says: bookmarks removed, whitespace collapsed."""
    return " ".join(_BOOKMARK.sub(" ", text).split())


def text_sha(text: str) -> str:
    return hashlib.sha256(spoken(text).encode("utf-8")).hexdigest()[:16]


def file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def beat_key(segment_id: str, beat_id: str) -> str:
    return f"{segment_id}/{beat_id}"


def take_files(root: Path, lang: str, segment_id: str, beat_id: str) -> list[Path]:
    """The audio files recorded for one beat (normally zero or one)."""
    folder = root / lang / segment_id
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.stem == beat_id and p.suffix.lower() in AUDIO_EXTENSIONS)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _is_manifest(data) -> bool:
    """``data`` has the shape :meth:`Manifest.save` writes (what the other methods rely on)."""
    if not isinstance(data, dict):
        return False
    for part in ("beats", "takes"):
        entries = data.get(part, {})
        if not isinstance(entries, dict) or not all(
                isinstance(e, dict) and isinstance(e.get("text_sha"), str) for e in entries.values()):
            return False
    return True


@dataclass
class Manifest:
    """``recordings/<lang>/manifest.json``: issued texts and the text each take was recorded against."""

    lang: str
    beats: dict[str, dict]
    takes: dict[str, dict]
    path: Path | None = None

    @classmethod
    def load(cls, root: Path, lang: str) -> "Manifest":
        path = root / lang / MANIFEST
        if not path.exists():
            return cls(lang, {}, {}, path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc}); fix or restore it by hand") from None
        except (OSError, UnicodeDecodeError, RecursionError) as exc:
            why = getattr(exc, "strerror", None) or type(exc).__name__
            raise ValueError(f"{path}: cannot be read ({why}); fix or restore it by hand") from None
        if not _is_manifest(data):
            raise ValueError(f"{path}: not a manifest written by lecture-script (expected "
                             f"'beats' and 'takes', each entry with its 'text_sha'); fix or "
                             f"restore it by hand")
        return cls(lang, dict(data.get("beats", {})), dict(data.get("takes", {})), path)

    @staticmethod
    def take_id(key: str, audio_sha: str) -> str:
        return f"{key}@{audio_sha}"

    def recorded_against(self, key: str, audio_sha: str) -> str | None:
        """The text hash a take was recorded against, when known."""
        rec = self.takes.get(self.take_id(key, audio_sha))
        if rec is not None:
            return rec["text_sha"]
        issued = self.beats.get(key)
        return issued["text_sha"] if issued else None

    def register(self, key: str, audio_sha: str, file: str, sha: str) -> None:
        self.takes.setdefault(self.take_id(key, audio_sha),
                              {"beat": key, "file": file, "text_sha": sha, "registered": _now()})

    def issue(self, key: str, text: str) -> None:
        sha = text_sha(text)
        old = self.beats.get(key)
        if old is None or old["text_sha"] != sha:
            self.beats[key] = {"text": spoken(text), "text_sha": sha, "issued": _now()}

    def save(self) -> Path:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": MANIFEST_VERSION,
            "lang": self.lang,
            "about": "Written by lecture-script, never by a render. 'beats': the text last "
                     "issued in the script; 'takes': the text each take was recorded against.",
            "beats": dict(sorted(self.beats.items())),
            "takes": dict(sorted(self.takes.items())),
        }
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return self.path


@dataclass(frozen=True)
class TakeStatus:
    segment: str
    beat: str
    state: str
    path: Path | None = None
    audio_sha: str | None = None
    detail: str | None = None     # what is wrong with an unusable take

    @property
    def key(self) -> str:
        return beat_key(self.segment, self.beat)

    @property
    def ok(self) -> bool:
        return self.state == OK

    def message(self, root: Path | None = None, lang: str | None = None) -> str:
        where = ""
        if self.path is not None:
            where = f" ({self.path.name})"
        elif root is not None and lang is not None:
            where = f" (expected {lang}/{self.segment}/{self.beat}.wav or .flac, .mp3, ...)"
        return {
            OK: f"{self.key}: recorded{where}",
            MISSING: f"{self.key}: no take{where}",
            STALE: f"{self.key}: stale take{where}: the text changed since it was recorded; re-record it",
            UNREGISTERED: f"{self.key}: take{where} with no record of the text it was recorded against "
                          f"(run lecture-script, or lecture-script --accept {self.key})",
            AMBIGUOUS: f"{self.key}: more than one take for one beat{where}; keep one",
            UNUSABLE: f"{self.key}: unusable take{where}: {self.detail}; record it again",
        }[self.state]


def take_status(root: Path, lang: str, segment_id: str, beat_id: str, text: str,
                manifest: Manifest | None = None) -> TakeStatus:
    """Whether the beat has a usable take for ``text`` (the text the scene speaks now)."""
    files = take_files(root, lang, segment_id, beat_id)
    if not files:
        return TakeStatus(segment_id, beat_id, MISSING)
    if len(files) > 1:
        return TakeStatus(segment_id, beat_id, AMBIGUOUS, files[0])
    manifest = manifest if manifest is not None else Manifest.load(root, lang)
    sha = file_sha(files[0])
    against = manifest.recorded_against(beat_key(segment_id, beat_id), sha)
    if against is None:
        return TakeStatus(segment_id, beat_id, UNREGISTERED, files[0], sha)
    state = OK if against == text_sha(text) else STALE
    return TakeStatus(segment_id, beat_id, state, files[0], sha)


def check_takes(root: Path, lang: str, beats: Mapping[str, Sequence[tuple[str, str]]]) -> list[TakeStatus]:
    """Status of every beat: ``beats`` maps a segment id to its (beat id, spoken text) pairs."""
    manifest = Manifest.load(root, lang)
    return [take_status(root, lang, seg, beat, text, manifest)
            for seg, pairs in beats.items() for beat, text in pairs]


def segment_takes_digest(root: Path, lang: str, segment_id: str) -> str:
    """A hash of a segment's takes and their manifest records (part of the render fingerprint)."""
    h = hashlib.sha256()
    folder = root / lang / segment_id
    if folder.is_dir():
        for p in sorted(folder.iterdir()):
            if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS:
                h.update(f"{p.name}:{file_sha(p)}\n".encode())
    manifest = Manifest.load(root, lang)
    prefix = f"{segment_id}/"
    for key in sorted(manifest.beats):
        if key.startswith(prefix):
            h.update(f"beat {key} {manifest.beats[key]['text_sha']}\n".encode())
    for tid in sorted(manifest.takes):
        if tid.startswith(prefix):
            h.update(f"take {tid} {manifest.takes[tid]['text_sha']}\n".encode())
    return h.hexdigest()[:16]


def register_new_takes(manifest: Manifest, root: Path, lang: str,
                       keys: Iterable[tuple[str, str]]) -> list[str]:
    """Record, for every take the manifest does not know yet, the text last issued for its beat
    (the script the narrator read from). Returns the keys registered."""
    done = []
    for seg, beat in keys:
        key = beat_key(seg, beat)
        files = take_files(root, lang, seg, beat)
        if len(files) != 1 or key not in manifest.beats:
            continue
        sha = file_sha(files[0])
        if Manifest.take_id(key, sha) not in manifest.takes:
            manifest.register(key, sha, files[0].relative_to(root / lang).as_posix(),
                              manifest.beats[key]["text_sha"])
            done.append(key)
    return done


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
