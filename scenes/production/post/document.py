"""The post's text: read the template of a language, fill its fields, check it, and write it
as Jekyll Markdown.

A template (``text/<lang>.md``) is Markdown with:

- front matter (``title``, ``description``, ``date``, ``tags``) between ``---`` lines;
- fields ``{{name}}`` (:mod:`scenes.production.post.facts`), ``{{chapter:<segment>}}`` (a
  link to that chapter of the lecture video) and ``{{lecture}}`` (a link to the video);
- headings ``## Title {#id}`` whose ids follow the outline (:data:`OUTLINE`), in its order;
- figures, each an animation of :mod:`scenes.production.post.figures` with its alt text and
  caption::

      ::: figure a1
      alt: what the animation shows, for who cannot see it
      caption: the line under it
      :::

- formulas in LaTeX: ``$…$`` inline, ``$$…$$`` as a paragraph of its own.

Numbers are never typed: outside formulas the text has no digits but those of fields (names
such as VGG16 or Conv2d are not numbers); inside formulas only the constants 0, 1 and 2 may be
typed. The references section and link addresses are exempt. Filled values are wrapped in
markers while the checks run, so a check can tell a field's digits from typed ones.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

TEXT_DIR = Path(__file__).resolve().parent / "text"

# The outline's sections, in its order: (id, heading level).
OUTLINE = [
    ("convolucion", 2), ("menos-parametros", 3), ("convolucion-o-correlacion", 3),
    ("parametros", 2), ("ecuacion-general", 3),
    ("matriz", 2),
    ("conectividad", 2),
    ("formulas", 2),
    ("transpuesta", 2), ("no-es-deconvolucion", 3), ("para-que-sirve", 3),
    ("transpuesta-conectividad", 2),
    ("transpuesta-matriz", 2),
    ("superposicion", 2), ("convolucion-directa", 3),
    ("transpuesta-formulas", 2), ("de-conv-a-transpuesta", 3),
    ("extras", 2), ("padding-same", 3), ("dimensiones", 3), ("campo-receptivo", 3),
    ("referencias", 2),
]
EXEMPT_SECTIONS = {"referencias"}
# sub-sections that are items of the outline on their own (its extras): a page section each
OWN_SECTIONS = {"padding-same", "dimensiones", "campo-receptivo"}
FRONT_MATTER_KEYS = ("title", "description", "date", "tags")
MATH_CONSTANTS = {"0", "1", "2"}

OPEN, CLOSE = "\ue000", "\ue001"           # around every filled value while checking
FIELD = re.compile(r"\{\{\s*([A-Za-z0-9_.:-]+)\s*\}\}")
HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*\{#([a-z0-9-]+)\}\s*$")
ANY_HEADING = re.compile(r"^#{1,6}\s")
FIGURE_OPEN = re.compile(r"^:::\s*figure\s+(\S+)\s*$")
NUMBER = re.compile(r"(?<![A-Za-z0-9_\\.,])\d+(?:[.,]\d+)*")
LINK_TARGET = re.compile(r"\]\([^)\s]*\)|<https?://[^>\s]+>|https?://\S+")


class PostError(ValueError):
    """The template cannot become a post; the message is one line naming the place."""


@dataclass
class Figure:
    id: str
    alt: str
    caption: str


@dataclass
class Block:
    """A piece of a section's body: Markdown text, or a figure."""

    kind: str                    # "text" or "figure"
    text: str = ""
    figure: Figure | None = None
    line: int = 0


@dataclass
class Section:
    id: str                      # "intro" for the text before the first heading
    level: int
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Post:
    lang: str
    front: dict
    sections: list[Section]

    def figures(self) -> list[Figure]:
        return [b.figure for s in self.sections for b in s.blocks if b.kind == "figure"]


def template_path(lang: str) -> Path:
    return TEXT_DIR / f"{lang}.md"


# --- reading ------------------------------------------------------------------------------------

def _parse_front(lines: list[str], name: str) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        raise PostError(f"{name}: the first line must be '---' (front matter)")
    front = {}
    for n, line in enumerate(lines[1:], 2):
        if line.strip() == "---":
            missing = [k for k in FRONT_MATTER_KEYS if k not in front]
            if missing:
                raise PostError(f"{name}: front matter lacks {', '.join(missing)}")
            return front, n
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in FRONT_MATTER_KEYS:
            raise PostError(f"{name} line {n}: front matter takes {', '.join(FRONT_MATTER_KEYS)}"
                            f", one 'key: value' a line")
        if key == "tags":
            if not (value.startswith("[") and value.endswith("]")):
                raise PostError(f"{name} line {n}: tags are a list, [a, b, c]")
            front[key] = [t.strip().strip('"') for t in value[1:-1].split(",") if t.strip()]
        else:
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            if not value:
                raise PostError(f"{name} line {n}: {key} is empty")
            front[key] = value
    raise PostError(f"{name}: the front matter is not closed by a '---' line")


def parse(text: str, lang: str, name: str | None = None) -> Post:
    """Split a (filled) template into front matter, sections and figures."""
    name = name or f"{lang}.md"
    lines = text.split("\n")
    front, body_start = _parse_front(lines, name)
    sections = [Section("intro", 1, "")]
    buf: list[str] = []
    buf_line = body_start + 1
    in_code = False
    figure: dict | None = None

    def flush(upto: int) -> None:
        nonlocal buf, buf_line
        if "".join(buf).strip():
            sections[-1].blocks.append(Block("text", "\n".join(buf).strip("\n"), line=buf_line))
        buf, buf_line = [], upto + 1

    for n, line in enumerate(lines[body_start:], body_start + 1):
        if figure is not None:
            if line.strip() == ":::":
                for key in ("alt", "caption"):
                    if not figure.get(key):
                        raise PostError(f"{name} line {figure['line']}: figure {figure['id']} "
                                        f"needs a non-empty '{key}:' line")
                sections[-1].blocks.append(Block("figure", figure=Figure(
                    figure["id"], figure["alt"], figure["caption"]), line=figure["line"]))
                figure = None
                buf_line = n + 1
                continue
            key, sep, value = line.partition(":")
            if sep and key.strip() in ("alt", "caption"):
                figure[key.strip()] = value.strip()
            elif line.strip():
                raise PostError(f"{name} line {n}: inside a figure only 'alt:' and 'caption:' "
                                f"lines, then ':::'")
            continue
        if line.startswith("```"):
            in_code = not in_code
        if not in_code:
            m = FIGURE_OPEN.match(line)
            if m:
                flush(n)
                figure = {"id": m.group(1), "line": n}
                continue
            m = HEADING.match(line)
            if m:
                flush(n)
                sections.append(Section(m.group(3), len(m.group(1)), m.group(2)))
                continue
            if ANY_HEADING.match(line):
                raise PostError(f"{name} line {n}: a heading is '## Title {{#id}}' or "
                                f"'### Title {{#id}}' (the id names the outline's section)")
        buf.append(line)
    if figure is not None:
        raise PostError(f"{name} line {figure['line']}: figure {figure['id']} is not closed by ':::'")
    if in_code:
        raise PostError(f"{name}: a ``` code block is not closed")
    flush(len(lines))
    return Post(lang, front, sections)


# --- filling --------------------------------------------------------------------------------------

def fill(text: str, values: Callable[[str], str | None], name: str) -> str:
    """Replace every ``{{field}}`` by its value wrapped in the markers; an unknown field is
    an error naming its line."""
    def replace(m: re.Match) -> str:
        value = values(m.group(1))
        if value is None:
            line = text.count("\n", 0, m.start()) + 1
            raise PostError(f"{name} line {line}: unknown field {{{{{m.group(1)}}}}}")
        if "\n" in value:
            raise PostError(f"{name}: field {m.group(1)} spans lines")
        return OPEN + value + CLOSE
    filled = FIELD.sub(replace, text)
    stray = re.search(r"\{\{|\{%", strip_markers(filled))
    if stray:
        line = filled.count("\n", 0, stray.start()) + 1
        raise PostError(f"{name} line {line}: '{stray.group(0)}' is not a field "
                        f"({{{{name}}}}; Jekyll would read it as Liquid)")
    return filled


def strip_markers(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")


# --- math -----------------------------------------------------------------------------------------

MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\$)", re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")


@dataclass(frozen=True)
class Math:
    tex: str
    display: bool
    start: int = 0        # where the formula's LaTeX starts in the text it came from
    end: int = 0          # where the formula (its closing $) ends


def split_math(text: str) -> list[str | Math]:
    """Text and formulas, in order; code spans and fenced blocks are left as text."""
    parts: list[str | Math] = []
    pos = 0
    protected = [(m.start(), m.end()) for m in re.finditer(r"^```.*?^```", text, re.S | re.M)]
    protected += [(m.start(), m.end()) for m in CODE_SPAN.finditer(text)]
    for m in MATH.finditer(text):
        if any(a <= m.start() < b for a, b in protected):
            continue
        parts.append(text[pos:m.start()])
        group = 1 if m.group(1) is not None else 2
        tex = m.group(group)
        lead = len(tex) - len(tex.lstrip())
        parts.append(Math(tex.strip(), group == 1, m.start(group) + lead, m.end()))
        pos = m.end()
    parts.append(text[pos:])
    return parts


# --- checks ---------------------------------------------------------------------------------------

def check_outline(post: Post, name: str) -> None:
    got = [(s.id, s.level) for s in post.sections[1:]]
    if got != OUTLINE:
        for n, (want, have) in enumerate(zip(OUTLINE, got + [None] * len(OUTLINE))):
            if have != want:
                found = f"'{have[0]}' (level {have[1]})" if have else "nothing"
                raise PostError(f"{name}: heading {n + 1} should be {{#{want[0]}}} at level "
                                f"{want[1]} (the outline's order), found {found}")
        extra = got[len(OUTLINE)]
        raise PostError(f"{name}: heading {{#{extra[0]}}} is not in the outline")


def typed_numbers(post: Post) -> list[tuple[int, str, str]]:
    """(template line, number, context) of every number typed rather than filled: digits
    outside fields, except the constants 0, 1, 2 inside formulas, link addresses and the
    references section."""
    found = []

    def scan(chunk: str, chunk_start: int, text: str, line: int, is_math: bool) -> None:
        chunk = LINK_TARGET.sub(lambda m: " " * len(m.group(0)), chunk)
        chunk = re.sub(f"{OPEN}[^{CLOSE}]*{CLOSE}", lambda m: " " * len(m.group(0)), chunk)
        for m in NUMBER.finditer(chunk):
            if is_math and m.group(0) in MATH_CONSTANTS:
                continue
            where = line + text.count("\n", 0, chunk_start + m.start())
            context = strip_markers(text[max(0, chunk_start + m.start() - 40):
                                         chunk_start + m.end() + 10]).replace("\n", " ")
            found.append((where, m.group(0), context.strip()))

    for section in post.sections:
        if section.id in EXEMPT_SECTIONS:
            continue
        pieces = [(b.line, b.text) for b in section.blocks if b.kind == "text"]
        pieces += [(b.line, b.figure.alt + "\n" + b.figure.caption) for b in section.blocks
                   if b.kind == "figure"]
        for line, text in pieces:
            pos = 0
            for part in split_math(text):
                if isinstance(part, Math):
                    scan(part.tex, part.start, text, line, True)
                    pos = part.end
                else:
                    scan(part, pos, text, line, False)
                    pos += len(part)
        scan(section.title, 0, section.title, 0, False)
    return found


def check_math(post: Post, name: str) -> None:
    for section in post.sections:
        for block in section.blocks:
            if block.kind == "figure":
                for text in (block.figure.alt, block.figure.caption):
                    if "$" in text:
                        raise PostError(f"{name} line {block.line}: figure {block.figure.id}: "
                                        f"alt text and captions are plain text (no $…$)")
                continue
            for part in split_math(block.text):
                if isinstance(part, Math):
                    if "|" in part.tex:
                        raise PostError(f"{name} near line {block.line}: '|' in a formula breaks "
                                        f"Markdown tables; write \\vert or \\mid")
                    continue
                if "$" in part.replace(r"\$", ""):
                    raise PostError(f"{name} near line {block.line}: a '$' without its pair")
            for paragraph in block.text.split("\n\n"):
                parts = split_math(paragraph)
                displays = [p for p in parts if isinstance(p, Math) and p.display]
                rest = "".join(p for p in parts if isinstance(p, str)).strip()
                if displays and (len(displays) > 1 or rest):
                    raise PostError(f"{name} near line {block.line}: $$…$$ is a paragraph of its "
                                    f"own (blank lines around it); inline formulas use $…$")


# --- Jekyll Markdown ------------------------------------------------------------------------------

def yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(post: Post) -> str:
    f = post.front
    tags = ", ".join(yaml_string(t) for t in f["tags"])
    return "\n".join(["---", "layout: post", f"title: {yaml_string(f['title'])}",
                      f"date: {f['date']}", f"lang: {post.lang}",
                      f"description: {yaml_string(f['description'])}", f"tags: [{tags}]",
                      "published: true", "math: true", "---", ""])


def kramdown_math(text: str) -> str:
    """Formulas as kramdown reads them: ``$$…$$`` both inline and as a block (kramdown leaves
    a single ``$`` alone and would read ``_`` and ``*`` inside it as emphasis)."""
    out = []
    for part in split_math(text):
        if isinstance(part, Math):
            out.append(f"$$\n{part.tex}\n$$" if part.display else f"$${part.tex}$$")
        else:
            out.append(part)
    return "".join(out)


def figure_html(fig: Figure, files: dict[str, str], folder: str, sizes: dict[str, tuple[int, int]]) -> str:
    """A looping, muted video with a GIF fallback, its alt text and caption."""
    alt, caption = html.escape(fig.alt), html.escape(fig.caption)
    vw, vh = sizes["mp4"]
    gw, gh = sizes["gif"]
    return (f'<figure class="clip" id="fig-{fig.id}">\n'
            f'<video autoplay loop muted playsinline preload="auto" width="{vw}" height="{vh}" '
            f'aria-label="{alt}" style="width:100%;height:auto">\n'
            f'<source src="{folder}/{files["mp4"]}" type="video/mp4">\n'
            f'<img src="{folder}/{files["gif"]}" alt="{alt}" width="{gw}" height="{gh}" '
            f'style="width:100%;height:auto">\n'
            f'</video>\n'
            f'<figcaption>{caption}</figcaption>\n'
            f'</figure>')


def jekyll_markdown(post: Post, figure_block: Callable[[Figure], str]) -> str:
    """The post as a Jekyll page: front matter, headings with their ids, kramdown formulas,
    figures as HTML blocks. Markers must already be stripped."""
    chunks = [front_matter(post)]
    for section in post.sections:
        if section.id != "intro":
            chunks.append(f"{'#' * section.level} {section.title} {{#{section.id}}}\n")
        for block in section.blocks:
            if block.kind == "figure":
                chunks.append(figure_block(block.figure) + "\n")
            else:
                chunks.append(kramdown_math(block.text) + "\n")
    return "\n".join(chunks)
