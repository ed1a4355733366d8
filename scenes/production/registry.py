"""Which segments make the lecture, where their code is, and what each render depends on.

The lecture is ``scenes.segments.SEGMENTS`` unless a registry file is given (``--registry`` or
``$LECTURE_REGISTRY``): a JSON list of ``{"id": ..., "module": ..., "scene": ...}`` objects, in
order, with modules named relative to ``scenes/`` (``s04_conectividad``, ``narration.demo``).
Tests use one to build a small lecture.

A segment's fingerprint covers everything its render depends on: the language, voice, voice
options and quality; its position in the lecture (shown on its title card); its scene module
and every module of this repository it imports (followed through imports); the whole kit,
narration layer and convmath; its narration text in that language; ``manim.cfg``; the Manim
version; and for the ``recorded`` voice, its takes and their manifest entries.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Iterable, Sequence

from scenes.segments import SEGMENTS, Segment

ROOT = Path(__file__).resolve().parent.parent.parent
SCENES = ROOT / "scenes"
REGISTRY_ENV = "LECTURE_REGISTRY"
# Packages of this repository; an import of anything else is not followed.
LOCAL_PACKAGES = ("scenes", "convmath")
# Environment variables that parameterise configurable scenes; never passed to lecture renders.
SCENE_PARAMETER_PREFIX = "CONV_"
# Environment variables whose values change what a render produces.
RENDER_ENV = ("LECTURE_VOICE_OPTIONS",)

QUALITIES = {
    # name: (manim flag, width, height, fps)
    "low": ("l", 854, 480, 15),
    "medium": ("m", 1280, 720, 30),
    "high": ("h", 1920, 1080, 60),
    "production": ("p", 2560, 1440, 60),
    "4k": ("k", 3840, 2160, 60),
}


class RegistryError(ValueError):
    """The registry file is missing or malformed."""


def load_registry(path: str | os.PathLike[str] | None = None) -> list[Segment]:
    """The lecture's segments: from ``path`` (or ``$LECTURE_REGISTRY``), else ``SEGMENTS``."""
    if path is None:
        env = os.environ.get(REGISTRY_ENV, "").strip()
        path = env or None
    if path is None:
        return list(SEGMENTS)
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"registry file {p} not found") from None
    except json.JSONDecodeError as exc:
        raise RegistryError(f"registry file {p}: not valid JSON: {exc}") from None
    except (OSError, UnicodeDecodeError, RecursionError) as exc:   # a folder, not text, too deep
        why = getattr(exc, "strerror", None) or type(exc).__name__
        raise RegistryError(f"registry file {p} cannot be read ({why})") from None
    if not isinstance(data, list) or not data:
        raise RegistryError(f"registry file {p}: expected a non-empty JSON list of segments")
    out: list[Segment] = []
    for n, item in enumerate(data):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "module", "scene")):
            raise RegistryError(f"registry file {p}: entry #{n} needs string 'id', 'module' and 'scene'")
        out.append(Segment(item["id"], item["module"], item["scene"]))
    ids = [s.id for s in out]
    if len(set(ids)) != len(ids):
        raise RegistryError(f"registry file {p}: a segment id is used twice")
    return out


def module_path(segment: Segment) -> Path:
    """The scene module's file: ``scenes/<module with dots as folders>.py``."""
    return SCENES / (segment.module.replace(".", "/") + ".py")


# --------------------------------------------------------------------------- dependencies


def _module_file(dotted: str) -> Path | None:
    parts = dotted.split(".")
    if parts[0] not in LOCAL_PACKAGES:
        return None
    base = ROOT.joinpath(*parts)
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _dotted_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


_IMPORTS: dict[Path, tuple[tuple[int, int], set[str]]] = {}
_DIGESTS: dict[Path, tuple[tuple[int, int], bytes]] = {}


def _version(path: Path) -> tuple[int, int]:
    """What tells one version of a file from the next without reading it."""
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def _imports_of(path: Path) -> set[str]:
    """Dotted names a module imports (absolute, relative imports resolved), local ones only.
    Parsed once per version of the file: a run fingerprints every segment twice, and the
    segments share most of their modules."""
    version = _version(path)
    known = _IMPORTS.get(path)
    if known is None or known[0] != version:
        known = _IMPORTS[path] = (version, _parsed_imports(path))
    return known[1]


def _parsed_imports(path: Path) -> set[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError):
        return set()
    package = _dotted_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    out = set()
    for name in names:
        parts = name.split(".")
        # every package on the way is imported too (its __init__ runs)
        for i in range(1, len(parts) + 1):
            if parts[0] in LOCAL_PACKAGES:
                out.add(".".join(parts[:i]))
    return out


def import_closure(start: Iterable[Path]) -> list[Path]:
    """``start`` and every file of this repository they import, directly or not."""
    seen: dict[Path, None] = {}
    todo = [Path(p) for p in start]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen[path] = None
        for name in _imports_of(path):
            f = _module_file(name)
            if f is not None and f not in seen:
                todo.append(f)
    return sorted(seen)


def text_file(segment_id: str, lang: str) -> Path:
    return SCENES / "narration" / "text" / lang / f"{segment_id}.json"


def dependencies(segment: Segment, lang: str) -> list[Path]:
    """Every file a segment's render reads."""
    files = set(import_closure([module_path(segment)]))
    for folder in (SCENES / "kit", SCENES / "narration", ROOT / "convmath"):
        files.update(folder.rglob("*.py"))
    files.add(text_file(segment.id, lang))
    files.add(ROOT / "manim.cfg")
    return sorted(f for f in files if f.is_file())


def manim_version() -> str:
    try:
        return metadata.version("manim")
    except metadata.PackageNotFoundError:  # pragma: no cover - manim is a dependency
        return "?"


def _digest(path: Path) -> bytes:
    """The file's SHA-256, read once per version of the file."""
    version = _version(path)
    known = _DIGESTS.get(path)
    if known is None or known[0] != version:
        known = _DIGESTS[path] = (version, hashlib.sha256(path.read_bytes()).digest())
    return known[1]


def hash_files(h: "hashlib._Hash", files: Iterable[Path]) -> None:
    for f in files:
        try:
            name = f.relative_to(ROOT).as_posix()
        except ValueError:
            name = f.as_posix()
        h.update(name.encode() + b"\0")
        h.update(_digest(f))


def fingerprint(segment: Segment, lang: str, voice: str, quality: str, *, number: int,
                extra: Sequence[str] = (), env: dict[str, str] | None = None) -> str:
    """A short hash of everything the segment's render depends on (see the module doc)."""
    env = os.environ if env is None else env
    h = hashlib.sha256()
    h.update(json.dumps({
        "segment": [segment.id, segment.module, segment.scene, number],
        "lang": lang, "voice": voice, "quality": quality,
        "env": {k: env.get(k, "") for k in RENDER_ENV},
        "manim": manim_version(),
        "extra": list(extra),
    }, sort_keys=True).encode())
    hash_files(h, dependencies(segment, lang))
    return h.hexdigest()[:16]


def render_env(base: dict[str, str] | None = None, **overrides: str) -> dict[str, str]:
    """The environment of a lecture render: ``base`` without scene parameters (CONV_*), so the
    lecture always shows its own examples, plus ``overrides``."""
    base = dict(os.environ if base is None else base)
    env = {k: v for k, v in base.items() if not k.startswith(SCENE_PARAMETER_PREFIX)}
    env.update(overrides)
    return env
