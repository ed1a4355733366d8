"""Where each segment starts in the lecture video, and links to it.

The start times come from the YouTube bundle's ``description.txt`` (its chapter lines) when
the bundle was built; else from the rendered segments in ``media/lecture/<lang>/`` (their
durations, added up) when every segment is rendered; else there are none, and a chapter is
named without a time. The video's address is given by ``--video-url`` (or
``LECTURE_VIDEO_URL``); without it chapters are named but not linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scenes.narration.segment_text import NarrationTextError, load_segment_text
from scenes.production.registry import load_registry

CHAPTER_LINE = re.compile(r"^((?:\d+:)?\d{1,2}:\d{2})\s+(.+?)\s*$")


class ChapterError(ValueError):
    """A video address that cannot be linked."""


@dataclass(frozen=True)
class Chapters:
    titles: dict[str, str]            # segment id → chapter title, in the lecture's language
    starts: dict[str, int]            # segment id → start in whole seconds (may be empty)
    source: str                       # where the starts came from ("" when there are none)


def _seconds(stamp: str) -> int:
    total = 0
    for part in stamp.split(":"):
        total = total * 60 + int(part)
    return total


def stamp(seconds: int) -> str:
    """``m:ss`` or ``h:mm:ss``, as YouTube writes chapter times."""
    h, rem = divmod(int(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _from_description(path: Path, titles: dict[str, str]) -> dict[str, int]:
    by_title = {title: seg for seg, title in titles.items()}
    starts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = CHAPTER_LINE.match(line.strip())
        if m and m.group(2) in by_title:
            starts[by_title[m.group(2)]] = _seconds(m.group(1))
    return starts


def _from_segments(folder: Path, ids: list[str]) -> dict[str, int]:
    from scenes.media.streams import probe

    videos = [folder / f"{seg}.mp4" for seg in ids]
    if not all(v.exists() for v in videos):
        return {}
    starts, t = {}, 0.0
    for seg, video in zip(ids, videos):
        starts[seg] = int(t)
        t += float(probe(video).duration)
    return starts


def lecture_chapters(media: Path, lang: str) -> Chapters:
    ids = [seg.id for seg in load_registry()]
    titles = {}
    for seg in ids:
        try:
            titles[seg] = load_segment_text(seg, lang).title
        except NarrationTextError:
            continue
    description = media / "youtube" / lang / "description.txt"
    if description.exists():
        starts = _from_description(description, titles)
        if starts:
            return Chapters(titles, starts, str(description))
    starts = _from_segments(media / "lecture" / lang, ids)
    if starts:
        return Chapters(titles, starts, str(media / "lecture" / lang))
    return Chapters(titles, {}, "")


def check_video_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ChapterError(f"--video-url must be an http(s) address, got {url!r}")
    return url


def at_time(url: str, seconds: int) -> str:
    """The video's address starting at ``seconds`` (YouTube's ``t=`` parameter)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
    query.append(("t", f"{int(seconds)}s"))
    return urlunsplit(parts._replace(query=urlencode(query)))
