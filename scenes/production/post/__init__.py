"""The blog post of the lecture, written out: ``lecture post --lang es|en``.

The post's prose lives in ``text/<lang>.md`` (Markdown with LaTeX, editable without reading
code). Every number in it is a field, ``{{name}}``, filled at build time from convmath
(:mod:`scenes.production.post.facts`); its animations are clips rendered by the clip command
(:mod:`scenes.production.post.figures`), reused while their parameters and code are unchanged. The
build (:mod:`scenes.production.post.build`) writes ``<media>/post/<lang>/index.md`` (a Jekyll post),
``index.html`` (the same post as one standalone page, formulas typeset by KaTeX) and the
media beside them. This package never imports manim unless a clip has to be rendered.
"""
