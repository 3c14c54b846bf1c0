"""A working cache for the character-class patterns of tinyhtml5, the HTML parser WeasyPrint uses.

tinyhtml5 2.1.0 reads runs of text with `chars_until(characters)`, which looks up a compiled pattern
for `(characters, opposite)` in a module-level dict, but stores it under `(pattern, opposite)` (a
chained assignment rebinds `characters` first), so every call misses and builds the pattern again
from its characters: 11,000 times for a 40-page report, a quarter of the time spent parsing it.
`install()` puts a dict there that builds the missing pattern itself and keeps it under the key it
is asked for, so the lookup succeeds; the patterns, and so the parse, are the same.
"""
from __future__ import annotations

import re


class CharacterPatterns(dict):
    """Compiled `[...]+` (or, not `opposite`, `[^...]+`) patterns by (characters, opposite)."""

    def __missing__(self, key: tuple) -> re.Pattern:
        characters, opposite = key
        escaped = "".join(f"\\x{ord(character):02x}" for character in characters)  # as tinyhtml5 writes them
        pattern = self[key] = re.compile(f"[{escaped}]+" if opposite else f"[^{escaped}]+")
        return pattern


def install() -> bool:
    """Give tinyhtml5 the working cache (idempotent); False where it has no such cache."""
    try:
        from tinyhtml5 import inputstream
    except ImportError:
        return False
    if not isinstance(getattr(inputstream, "characters_until_regex", None), dict):
        return False
    if not isinstance(inputstream.characters_until_regex, CharacterPatterns):
        inputstream.characters_until_regex = CharacterPatterns()
    return True
