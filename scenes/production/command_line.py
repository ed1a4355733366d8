"""What ``lecture`` and ``lecture-script`` share on the command line: the options and their
environment fallbacks, each checked before any work starts.

A value comes from its option, else from its environment variable, else from the default; a bad
one is refused whichever way it came, in one line naming where it came from (``--jobs``,
``LECTURE_LANG``) and what it must be, with exit status 2 and nothing written. Folders named
for output are checked before anything is written: a folder that exists as a file, or under a
file, or cannot be created, is refused. Never imports manim.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from scenes.narration.segment_text import LANG_ENV, LANGUAGES

from .registry import ROOT

MEDIA_ENV = "LECTURE_MEDIA"
MAX_JOBS = 32


class InputError(Exception):
    """An input that cannot be used; the message is the one line that says why."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line (no usage block) raised as :class:`InputError`."""

    def error(self, message):
        raise InputError(f"{one_line(message)} (see '{self.prog} --help')")


def one_line(text: str) -> str:
    """``text`` with line breaks shown as ``\\n``, so a refusal stays one line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def fail(prog: str, message: str, status: int = 2) -> int:
    print(f"{prog}: error: {one_line(message)}", file=sys.stderr)
    return status


@dataclass(frozen=True)
class Setting:
    """A value and where it came from (an option, an environment variable, the default)."""

    value: str
    source: str

    def refuse(self, what: str) -> InputError:
        return InputError(f"{self.source} {self.value!r}: {what}")


def setting(given: str | None, option: str, env: str | None, default: str) -> Setting:
    """The option's value if given, else the environment variable's (when set), else ``default``."""
    if given is not None:
        return Setting(given, option)
    raw = os.environ.get(env, "").strip() if env else ""
    if raw:
        return Setting(raw, env)
    return Setting(default, "default")


def choice(value: Setting, choices: Sequence[str]) -> str:
    if value.value not in choices:
        raise value.refuse(f"choose one of {', '.join(choices)}")
    return value.value


def add_common_options(parser: argparse.ArgumentParser, media_help: str) -> None:
    """``--lang``, ``--media``, ``--jobs``, ``--registry`` and ``--recordings``."""
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help=f"language (default: ${LANG_ENV}, else es)")
    parser.add_argument("--media", default=None, help=media_help)
    parser.add_argument("--jobs", default=None,
                        help=f"segments worked on at once, 1 to {MAX_JOBS} (default: 2)")
    parser.add_argument("--registry", default=None,
                        help="a JSON list of segments to use instead of scenes/segments.py "
                             "(default: $LECTURE_REGISTRY)")
    parser.add_argument("--recordings", default=None,
                        help="the narrator's takes (default: $LECTURE_RECORDINGS, else "
                             "recordings/); the folder must exist")


@dataclass(frozen=True)
class Common:
    lang: str
    media: Path
    jobs: int


def resolve_common(args: argparse.Namespace) -> Common:
    """The shared options, checked: language, media folder, jobs."""
    lang = choice(setting(args.lang, "--lang", LANG_ENV, "es"), LANGUAGES)
    media = output_folder(setting(args.media, "--media", MEDIA_ENV, str(ROOT / "media")))
    return Common(lang, media, jobs(args.jobs))


def jobs(text: str | None) -> int:
    if text is None:
        return min(2, os.cpu_count() or 1)
    token = text.strip()
    if not (token.isascii() and token.isdigit() and len(token) <= 3
            and 1 <= int(token) <= MAX_JOBS):
        raise InputError(f"--jobs {text!r}: give a whole number from 1 to {MAX_JOBS}")
    return int(token)


def _path(value: Setting) -> Path:
    if "\0" in value.value:
        raise value.refuse("a path cannot hold a NUL character")
    return Path(value.value).expanduser().absolute()


def _kind(path: Path, value: Setting) -> str | None:
    """``"folder"``, ``"file"`` or None (nothing there)."""
    try:
        if path.is_dir():
            return "folder"
        return "file" if path.exists() else None
    except OSError as exc:     # a name too long, a loop of links, ...
        raise value.refuse(f"cannot be used ({exc.strerror})") from None


def _nearest_existing(path: Path) -> Path:
    while path != path.parent and not os.path.lexists(path):
        path = path.parent
    return path


def output_folder(value: Setting) -> Path:
    """A folder to write into: it exists as a folder, or can be created (its nearest existing
    ancestor is a folder we may write in). Nothing is created here."""
    path = _path(value)
    kind = _kind(path, value)
    if kind == "file":
        raise value.refuse("is a file, not a folder")
    if kind == "folder":
        if not os.access(path, os.W_OK | os.X_OK):
            raise value.refuse("is a folder this user cannot write in")
        return path
    base = _nearest_existing(path.parent)
    if _kind(base, value) != "folder":
        raise value.refuse(f"cannot be created: {base} is not a folder")
    if not os.access(base, os.W_OK | os.X_OK):
        raise value.refuse(f"cannot be created: {base} is a folder this user cannot write in")
    return path


def output_file(value: Setting) -> Path:
    """A file to write: not a folder, and its folder exists or can be created."""
    path = _path(value)
    if _kind(path, value) == "folder":
        raise value.refuse(f"is a folder; name a file, e.g. {path / 'script.md'}")
    output_folder(Setting(str(path.parent), f"{value.source} (its folder)"))
    if path.exists() and not os.access(path, os.W_OK):
        raise value.refuse("is a file this user cannot write")
    return path


def recordings_folder(given: str | None, *, create: bool = False) -> Path:
    """The recordings folder (``--recordings``, ``$LECTURE_RECORDINGS`` or ``recordings/``).

    It must exist as a folder: a typo must not silently start an empty one. With ``create``
    (``lecture-script --init``) a missing one may be created by the caller.
    """
    from .takes import RECORDINGS_ENV

    value = setting(given, "--recordings", RECORDINGS_ENV, str(ROOT / "recordings"))
    path = _path(value)
    if value.source == "default":
        value = Setting(str(path), "recordings folder")
    kind = _kind(path, value)
    if kind == "folder":
        return path
    if kind == "file":
        raise value.refuse("is a file, not a folder")
    if not create:
        raise value.refuse("does not exist; check the path, or create it with "
                           "lecture-script --init")
    return output_folder(value)


def segments_of(given: str | None):
    """The segments (``--registry``, ``$LECTURE_REGISTRY`` or the lecture's own)."""
    from .registry import RegistryError, load_registry

    try:
        return load_registry(given)
    except RegistryError as exc:
        raise InputError(str(exc)) from None
