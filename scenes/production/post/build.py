"""``lecture post``: the blog post of one language, written into ``<media>/post/<lang>/``::

    index.md       the Jekyll post (front matter, the outline's sections, kramdown formulas)
    index.html     the same post as one page, formulas typeset, to preview without Jekyll
    figures/       the animations: <id>.mp4 (looping, muted) and <id>.gif (the fallback)
    katex/         KaTeX's stylesheet and fonts, for index.html

    lecture post [--lang es|en] [--media DIR] [--video-url URL] [--quality blog|quick]
                 [--text FILE] [--jobs N] [--force] [--check]

Everything is checked before anything is written: the template's fields, headings, formulas
(typeset by KaTeX) and typed numbers. A problem prints one line and exits with status 2.
Clips whose parameters and code did not change are reused (:mod:`scenes.production.post.figures`);
``index.md`` and ``index.html`` are replaced only once complete. ``--check`` then opens the
page in headless chromium and writes a screenshot of each section.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from scenes.production.registry import ROOT

from . import chapters as ch, document as doc, facts, figures, page

LANGS = facts.LANGS
PROG = "lecture post"
FIGURE_FOLDER = "figures"
WORDS = {
    "es": {"quote": "«{}»"},
    "en": {"quote": "“{}”"},
}


@dataclass
class Built:
    folder: Path
    markdown: Path
    html: Path
    marked: str                          # the filled template, fields still marked
    post: doc.Post
    figures: dict = field(default_factory=dict)
    chapters: ch.Chapters | None = None
    notes: list[str] = field(default_factory=list)


def post_dir(media: Path, lang: str) -> Path:
    return media / "post" / lang


def _link(text: str, url: str | None) -> str:
    return f"[{text}]({url})" if url else text


def field_values(lang: str, chapters: ch.Chapters, video_url: str | None):
    """The lookup for ``{{name}}``: convmath's facts, the lecture and its chapters."""
    values = facts.fields(lang)
    quote = WORDS[lang]["quote"]

    def value(name: str) -> str | None:
        if name in values:
            return values[name]
        if name == "lecture":
            from scenes.narration.lecture_text import lecture_text
            return _link(quote.format(lecture_text(lang)["title"]), video_url)
        if name.startswith("chapter:"):
            seg = name.split(":", 1)[1]
            if seg not in chapters.titles:
                return None
            text = quote.format(chapters.titles[seg])
            start = chapters.starts.get(seg)
            if start is None:
                return _link(text, video_url)
            url = ch.at_time(video_url, start) if video_url else None
            return _link(f"{text} ({ch.stamp(start)})", url)
        return None
    return value


def prepare(lang: str, media: Path, video_url: str | None = None,
            template: Path | None = None) -> tuple[doc.Post, str, ch.Chapters]:
    """Read, fill and check the template; nothing is written. Raises PostError."""
    path = template or doc.template_path(lang)
    try:
        name = str(path.relative_to(ROOT))
    except ValueError:
        name = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise doc.PostError(f"{name}: no such file (the post's text in {lang})") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise doc.PostError(f"{name}: not a UTF-8 text file") from None
    chapters = ch.lecture_chapters(media, lang)
    marked = doc.fill(raw, field_values(lang, chapters, video_url), name)
    post = doc.parse(marked, lang, name)
    doc.check_outline(post, name)
    doc.check_math(post, name)
    typed = doc.typed_numbers(post)
    if typed:
        line, number, context = typed[0]
        more = f" ({len(typed) - 1} more)" if len(typed) > 1 else ""
        raise doc.PostError(f"{name} line {line}: the number {number} is typed ('{context}'); "
                            f"write a field {{{{name}}}} computed in scenes/production/post/facts.py{more}")
    seen = set()
    for fig in post.figures():
        if fig.id not in figures.FIGURES:
            raise doc.PostError(f"{name}: unknown figure {fig.id!r} (known: "
                                f"{', '.join(figures.FIGURES)})")
        if fig.id in seen:
            raise doc.PostError(f"{name}: figure {fig.id!r} is shown twice")
        seen.add(fig.id)
    return post, marked, chapters


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def build(lang: str, media: Path, *, video_url: str | None = None, quality: str = "blog",
          jobs: int = 2, force: bool = False, template: Path | None = None,
          log=print) -> Built:
    """Write the post of ``lang``; see the module doc. Raises PostError on bad input."""
    video_url = ch.check_video_url(video_url)
    post, marked, chapters = prepare(lang, media, video_url, template)
    # typeset before writing anything: a LaTeX error is bad input too
    clean = doc.parse(doc.strip_markers(marked), lang)
    typeset = page.typeset(page.formulas_of(clean))
    q = figures.QUALITIES[quality]
    sizes = {"mp4": q.video[:2], "gif": q.gif[:2]}

    def figure_block(fig: doc.Figure) -> str:
        return doc.figure_html(fig, figures.FIGURES[fig.id].files(), FIGURE_FOLDER, sizes)

    markdown = doc.jekyll_markdown(clean, figure_block)
    html_text = page.page(clean, page.render_blocks(clean, typeset, figure_block))

    folder = post_dir(media, lang)
    folder.mkdir(parents=True, exist_ok=True)
    shown = [figures.FIGURES[f.id] for f in clean.figures()]
    done = figures.render_figures(shown, folder / FIGURE_FOLDER, media, lang, q, jobs=jobs,
                                  force=force, log=log)
    page.copy_katex(folder)
    _write_atomic(folder / "index.md", markdown)
    _write_atomic(folder / "index.html", html_text)
    built = Built(folder, folder / "index.md", folder / "index.html", marked, clean, done, chapters)
    if not video_url:
        built.notes.append("no video address (--video-url or LECTURE_VIDEO_URL): chapters are "
                           "named, not linked")
    if not chapters.starts:
        built.notes.append("the lecture is not rendered yet: chapters have no start times "
                           "(make lecture, then make post again)")
    return built


class _Parser(argparse.ArgumentParser):
    def error(self, message):      # one line and status 2, no usage dump
        raise doc.PostError(f"{message} (see '{self.prog} --help')")


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    p = _Parser(prog=prog, description="Write the blog post (Jekyll Markdown, a "
                                "standalone HTML page and its animations) in one language.")
    p.add_argument("--lang", default=None, help="es or en (default $LECTURE_LANG, else es)")
    p.add_argument("--media", type=Path, default=None,
                   help="media folder (default media/, or $LECTURE_MEDIA); the post goes to "
                        "<media>/post/<lang>/")
    p.add_argument("--video-url", default=None, help="the lecture video's address, for chapter "
                   "links (default $LECTURE_VIDEO_URL; none: chapters are not linked)")
    p.add_argument("--quality", choices=list(figures.QUALITIES), default="blog",
                   help="blog: MP4 1280x720 30 fps and GIF 640x360 10 fps (default); quick: "
                        "small clips for a draft or a test")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="clips rendered at once (default 2)")
    p.add_argument("--text", type=Path, default=None, help="the post's text to use (default "
                   "scenes/production/post/text/<lang>.md), e.g. a draft to try")
    p.add_argument("--force", action="store_true", help="render every clip again")
    p.add_argument("--check", action="store_true", help="then open index.html in headless "
                   "chromium: formulas typeset, media loaded, a screenshot of each section")
    return p


def main(argv=None, prog: str = PROG) -> int:
    def fail(msg: str, status: int = 2) -> int:
        print(f"{prog}: error: {msg}", file=sys.stderr)
        return status

    try:
        args = build_parser(prog).parse_args(argv)
    except doc.PostError as exc:
        return fail(str(exc))
    lang = (args.lang or os.environ.get("LECTURE_LANG") or "es").strip().lower()
    if lang not in LANGS:
        return fail(f"language must be es or en, got {lang!r}")
    if args.jobs < 1:
        return fail(f"--jobs must be at least 1, got {args.jobs}")
    media = (args.media or Path(os.environ.get("LECTURE_MEDIA") or ROOT / "media")).resolve()
    if media.exists() and not media.is_dir():
        return fail(f"--media {str(media)!r} is not a folder")
    url = args.video_url if args.video_url is not None else os.environ.get("LECTURE_VIDEO_URL")
    start = time.monotonic()
    try:
        built = build(lang, media, video_url=url, quality=args.quality, jobs=args.jobs,
                      force=args.force, template=args.text)
    except (doc.PostError, ch.ChapterError, facts.FieldError) as exc:
        return fail(str(exc))
    except (RuntimeError, ValueError) as exc:     # a clip that failed (the figures are code)
        return fail(str(exc), 1)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; files already in place are complete", file=sys.stderr)
        return 130
    for note in built.notes:
        print(f"{prog}: note: {note}")
    f = built.figures
    print(f"{prog}: {built.folder}/ — index.md, index.html, {len(f['rendered']) + len(f['reused'])}"
          f" clip files ({len(f['rendered'])} rendered, {len(f['reused'])} unchanged); chapters: "
          f"{built.chapters.source or 'no start times'}; {time.monotonic() - start:.1f} s")
    if args.check:
        from .browser import BrowserError, check_page
        shots = media / "post" / "screenshots" / lang
        try:
            report = check_page(built.html, shots)
        except BrowserError as exc:
            return fail(f"check: {exc}", 1)
        for line in report.lines():
            print(f"{prog}: check: {line}")
        if report.problems:
            return 1
    return 0
