"""Slow paths in the libraries under WeasyPrint, made fast.

- tinyhtml5 2.1.0 reads runs of text with `chars_until(characters)`, which looks up a compiled pattern
  for `(characters, opposite)` in a module-level dict but stores it under `(pattern, opposite)` (a
  chained assignment rebinds `characters` first), so every call misses and builds the pattern again:
  11,000 times for a 40-page report, 0.28 s of parsing instead of 0.16 s. `CharacterPatterns` is a dict
  that builds a missing pattern itself, the same pattern, and keeps it under the key it is asked for.
- pydyf 0.13.0's `PDF.page_references` builds the tuple of every page's reference each time it is read,
  and WeasyPrint's PDF/UA tagging reads it once for every tagged element: 5,400 tuples of 40 references
  for a 40-page report, 3% of its render. `page_references` keeps the tuple until a page is added
  (pages are only ever added, by `add_page`, which grows `Kids` by three).
- pydyf 0.13.0 deflates every content stream at zlib's level 9: 0.12 s for a 40-page report's 1.7 MB
  of drawing operators, against 0.04 s at zlib's default level 6, for a file 3.6% larger (334 KB ->
  344 KB). `Deflate` hands pydyf zlib with levels above 6 brought down to 6; the PDF reads the same.

`install()` applies each where the library is the version checked here (tests/analysis/test_report_speedups.py
compares the results with the library's own); elsewhere the library's code runs, only slower.
"""
from __future__ import annotations

import re
import zlib

PYDYF_CHECKED = ("0.13.0",)


class CharacterPatterns(dict):
    """Compiled `[...]+` (or, not `opposite`, `[^...]+`) patterns by (characters, opposite)."""

    def __missing__(self, key: tuple) -> re.Pattern:
        characters, opposite = key
        escaped = "".join(f"\\x{ord(character):02x}" for character in characters)  # as tinyhtml5 writes them
        pattern = self[key] = re.compile(f"[{escaped}]+" if opposite else f"[^{escaped}]+")
        return pattern


class Deflate:
    """zlib as pydyf sees it: the same functions, with compression levels above 6 lowered to 6."""

    compress = staticmethod(zlib.compress)
    decompress = staticmethod(zlib.decompress)

    @staticmethod
    def compressobj(level: int = zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(min(level, 6), *args, **kwargs)


def page_references(pdf) -> tuple[bytes, ...]:
    """`b"N 0 R"` for each page of a pydyf PDF, in order, built again only when pages were added."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references")
    if cached is None or cached[0] != len(kids):
        cached = pdf._page_references = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
    return cached[1]


def install_parser_cache() -> bool:
    """Give tinyhtml5 the working pattern cache (idempotent); False where it has no such cache."""
    try:
        from tinyhtml5 import inputstream
    except ImportError:
        return False
    if not isinstance(getattr(inputstream, "characters_until_regex", None), dict):
        return False
    if not isinstance(inputstream.characters_until_regex, CharacterPatterns):
        inputstream.characters_until_regex = CharacterPatterns()
    return True


def install_pydyf() -> bool:
    """Make pydyf's PDF.page_references the kept tuple and its zlib `Deflate` (idempotent); False on a
    version not checked."""
    import pydyf

    if getattr(pydyf, "__version__", None) not in PYDYF_CHECKED:
        return False
    pydyf.PDF.page_references = property(page_references)
    pydyf.zlib = Deflate
    return True


def install() -> bool:
    """All of the above; True when all apply."""
    return install_parser_cache() & install_pydyf()
