"""Reading and strictly validating JSONL answers; writing output atomically."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from analysis.records import Answer

MAX_TEXT_CHARS = 100_000


class InputError(ValueError):
    """Bad input, with the place it was found (`path:line: message`)."""


def _open_text(path: str | Path) -> IO[str]:
    if str(path) == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc


def iter_objects(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each line; every line must be one JSON object."""
    stream = _open_text(path)
    try:
        lineno = 0
        try:
            for lineno, line in enumerate(stream, 1):
                if not line.strip():
                    raise InputError(f"{path}:{lineno}: blank line (one JSON object a line)")
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{lineno}: not JSON: {exc.msg}") from None
                if not isinstance(obj, dict):
                    raise InputError(f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}")
                yield lineno, obj
        except UnicodeDecodeError:
            raise InputError(f"{path}:{lineno + 1}: not valid UTF-8") from None
    finally:
        if stream is not sys.stdin:
            stream.close()


def _text_of(obj: dict[str, Any], fields: Sequence[str], where: str) -> str:
    parts = []
    for field in fields:
        if field not in obj:
            raise InputError(f"{where}: missing field {field!r}")
        value = obj[field]
        if value is None and len(fields) > 1:
            continue
        if not isinstance(value, str):
            raise InputError(f"{where}: field {field!r} must be a string")
        if value.strip():
            parts.append(value.strip())
    text = "\n".join(parts)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"{where}: text longer than {MAX_TEXT_CHARS} characters")
    return text


def _codes_of(obj: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    if field not in obj:
        raise InputError(f"{where}: missing field {field!r}")
    value = obj[field]
    if not isinstance(value, list) or not all(isinstance(c, str) and c.strip() for c in value):
        raise InputError(f"{where}: field {field!r} must be a list of non-empty strings")
    return tuple(dict.fromkeys(c.strip() for c in value))


def _context_of(obj: dict[str, Any], field: str, where: str) -> str:
    value = obj.get(field)
    if value is None:
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InputError(f"{where}: field {field!r} must be a string")
    return str(value).strip()


def read_answers(
    path: str | Path,
    *,
    id_field: str = "id",
    text_fields: Sequence[str] = ("text",),
    codes_field: str | None = None,
    context_field: str | None = None,
) -> list[Answer]:
    """Read answers from JSONL, rejecting the whole file at the first bad line.

    Ids may be strings or integers and must be unique. Several `text_fields` are joined
    with a newline (e.g. title and body). With `codes_field`, every line must carry a
    list of codes (an empty list is allowed: coded as "no code"). With `context_field`, the
    answer's context (e.g. the question it answers) comes from that field (missing or null: none).
    """
    answers: list[Answer] = []
    seen: set[str] = set()
    for lineno, obj in iter_objects(path):
        where = f"{path}:{lineno}"
        raw_id = obj.get(id_field)
        if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or str(raw_id).strip() == "":
            raise InputError(f"{where}: field {id_field!r} must be a non-empty string or integer")
        answer_id = str(raw_id)
        if answer_id in seen:
            raise InputError(f"{where}: duplicate id {answer_id!r}")
        seen.add(answer_id)
        text = _text_of(obj, text_fields, where)
        codes = _codes_of(obj, codes_field, where) if codes_field else ()
        answers.append(Answer(answer_id, text, codes, _context_of(obj, context_field, where) if context_field else ""))
    if not answers:
        raise InputError(f"{path}: no answers")
    return answers


def _write_atomic(path: str | Path, write: Any, binary: bool = False) -> None:
    if str(path) == "-":
        write(sys.stdout.buffer if binary else sys.stdout)
        sys.stdout.flush()
        return
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl_atomic(path: str | Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write rows as JSONL to a temporary file beside `path`, then rename it into place,
    so a reader never sees a half-written file and a failure leaves the old one intact."""

    def write(out: IO[str]) -> None:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")

    _write_atomic(path, write)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    _write_atomic(path, lambda out: out.write(data), binary=True)


def write_json_atomic(path: str | Path, document: Any) -> None:
    def write(out: IO[str]) -> None:
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")

    _write_atomic(path, write)
