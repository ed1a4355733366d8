"""The post as one standalone HTML page, to preview it without Jekyll.

Markdown goes through markdown-it (CommonMark with tables); formulas are typeset here by
KaTeX under node (``katex_render.js``), so the page needs no script and a LaTeX error stops
the build with the formula's place; the page loads KaTeX's stylesheet and fonts from
``katex/`` beside it, copied from the project's ``node_modules`` (``make setup``).
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path

from markdown_it import MarkdownIt

from scenes.production.registry import ROOT

from .document import OWN_SECTIONS, Math, Post, PostError, split_math

KATEX = ROOT / "node_modules" / "katex"
RENDER_JS = Path(__file__).resolve().parent / "katex_render.js"
MATH_MARK = "\ue010{}\ue011"

STYLE = """
body { margin: 0; background: #fdfdfd; color: #1f2328; font: 17px/1.65 system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
article { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
header h1 { font-size: 2rem; line-height: 1.25; margin: 0 0 .5rem; }
.meta { color: #59636e; font-size: .9rem; margin: 0 0 2rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .75rem; border-bottom: 1px solid #d1d9e0; }
h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
a { color: #0969da; }
code { font: .88em ui-monospace, "DejaVu Sans Mono", monospace; background: #f0f2f4;
  padding: .1em .3em; border-radius: 4px; }
pre { background: #f6f8fa; padding: .8rem 1rem; overflow-x: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
.katex-display { overflow-x: auto; overflow-y: hidden; padding: .25rem 0; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .85rem; display: block;
  overflow-x: auto; }
th, td { border: 1px solid #d1d9e0; padding: .3rem .45rem; text-align: left; }
th { background: #f6f8fa; }
td .katex { white-space: nowrap; }
figure.clip { margin: 1.5rem 0; }
figure.clip video, figure.clip img { display: block; width: 100%; height: auto;
  background: #111; border-radius: 6px; }
figcaption { color: #59636e; font-size: .9rem; margin-top: .5rem; }
"""


def typeset(formulas: list[Math]) -> list[str]:
    """KaTeX's HTML for each formula; a formula KaTeX refuses raises PostError with its text."""
    if not formulas:
        return []
    if not (KATEX / "package.json").exists():
        raise RuntimeError(f"KaTeX is not installed in {KATEX.relative_to(ROOT)} (run make setup)")
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise RuntimeError("node is not installed (run make setup)")
    proc = subprocess.run([node, str(RENDER_JS), str(KATEX)], capture_output=True, text=True,
                          input=json.dumps([[f.tex, f.display] for f in formulas]))
    if proc.returncode != 0:
        raise RuntimeError(f"KaTeX failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
    out = []
    for formula, result in zip(formulas, json.loads(proc.stdout)):
        if "error" in result:
            raise PostError(f"formula ${formula.tex[:60]}$: {result['error']}")
        out.append(result["html"])
    return out


def formulas_of(post: Post) -> list[Math]:
    return [part for s in post.sections for b in s.blocks if b.kind == "text"
            for part in split_math(b.text) if isinstance(part, Math)]


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def render_blocks(post: Post, typeset_html: list[str], figure_block) -> list[tuple[str, str]]:
    """(section id, HTML) of every section: headings, Markdown, typeset formulas, figures."""
    md = _markdown()
    formulas = iter(typeset_html)
    sections = []
    for section in post.sections:
        parts = []
        if section.id != "intro":
            tag = f"h{section.level}"
            parts.append(f'<{tag} id="{section.id}">{md.renderInline(section.title)}</{tag}>')
        for block in section.blocks:
            if block.kind == "figure":
                parts.append(figure_block(block.figure))
                continue
            marked, rendered = [], []
            for part in split_math(block.text):
                if isinstance(part, Math):
                    rendered.append(next(formulas))
                    marked.append(MATH_MARK.format(len(rendered) - 1))
                else:
                    marked.append(part)
            body = md.render("".join(marked))
            for n, math_html in enumerate(rendered):
                mark = MATH_MARK.format(n)
                body = body.replace(f"<p>{mark}</p>", math_html).replace(mark, math_html)
            parts.append(body)
        sections.append((section.id, section.level, "\n".join(parts)))
    grouped: list[tuple[str, str]] = []           # a level-3 section goes inside its level-2 one
    for sid, level, body in sections:
        if level == 3 and grouped and sid not in OWN_SECTIONS:
            grouped[-1] = (grouped[-1][0], grouped[-1][1] + "\n" + body)
        else:
            grouped.append((sid, body))
    return grouped


def page(post: Post, sections: list[tuple[str, str]]) -> str:
    f = post.front
    title = html.escape(f["title"])
    meta = html.escape(f"{f['date']} · " + " · ".join(f["tags"]))
    header = f'<header><h1>{title}</h1><p class="meta">{meta}</p></header>'
    body = "\n".join(f'<section id="section-{sid}" data-section="{sid}">\n'
                     f'{header if sid == "intro" else ""}\n{content}\n</section>'
                     for sid, content in sections)
    return f"""<!doctype html>
<html lang="{post.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{html.escape(f['description'])}">
<link rel="stylesheet" href="katex/katex.min.css">
<style>{STYLE}</style>
</head>
<body>
<article>
{body}
</article>
</body>
</html>
"""


def copy_katex(folder: Path) -> list[Path]:
    """KaTeX's stylesheet and the fonts it names (woff2, which every current browser reads)."""
    dest = folder / "katex"
    (dest / "fonts").mkdir(parents=True, exist_ok=True)
    dist = KATEX / "dist"
    files = [dist / "katex.min.css", *sorted((dist / "fonts").glob("*.woff2"))]
    written = []
    for src in files:
        target = dest / src.relative_to(dist)
        if not target.exists() or target.read_bytes() != src.read_bytes():
            tmp = target.with_name(f".{target.name}.part")
            shutil.copyfile(src, tmp)
            tmp.replace(target)
        written.append(target)
    return written
