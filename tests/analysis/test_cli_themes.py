import json

import numpy as np

from analysis.__main__ import main

ROWS = [{"id": i, "text": t} for i, t in enumerate(
    ["bins missed", "bins collected late", "bin collection missed", "park trees", "more park trees", "trees in the park"])]


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_themes_with_vectors_and_only_what_is_new(tmp_path):
    src = write(tmp_path / "in.jsonl", ROWS)
    vectors = tmp_path / "vectors.npy"
    np.save(vectors, np.array([[1, 0]] * 3 + [[0, 1]] * 3, dtype=np.float32))
    codebook = tmp_path / "codebook.json"
    codebook.write_text(json.dumps([{"name": "Bins", "description": "bin collection missed", "members": [0, 1]}]))
    out = tmp_path / "themes.json"
    assert main(["themes", "--in", str(src), "--out", str(out), "--max-themes", "2", "--vectors", str(vectors),
                 "--codebook", str(codebook)]) == 0
    result = json.loads(out.read_text())
    assert {frozenset(t["members"]) for t in result} == {frozenset("012"), frozenset("345")}
    bins = next(t for t in result if "0" in t["members"])
    assert bins["overlaps"][0]["theme"] == "Bins" and bins["overlaps"][0]["share"] == 1.0
    assert bins["size"] == 3 and len(bins["weights"]) == 3
    assert main(["themes", "--in", str(src), "--out", str(out), "--max-themes", "2", "--codebook", str(codebook),
                 "--new-only"]) == 0
    assert [set(t["members"]) for t in json.loads(out.read_text())] == [{"3", "4", "5"}]


def test_themes_rejects_vectors_of_the_wrong_shape(tmp_path, capsys):
    src = write(tmp_path / "in.jsonl", ROWS)
    vectors = tmp_path / "vectors.npy"
    np.save(vectors, np.zeros((2, 4), dtype=np.float32))
    assert main(["themes", "--in", str(src), "--out", str(tmp_path / "o.json"), "--vectors", str(vectors)]) == 2
    assert "one vector a row for 6 answers" in capsys.readouterr().err


def test_few_shot_suggests_from_the_codebook_alone(tmp_path):
    src = write(tmp_path / "in.jsonl", ROWS)
    codebook = tmp_path / "codebook.json"
    codebook.write_text(json.dumps([{"name": "Bins", "description": "bins collected or missed"},
                                    {"name": "Parks", "description": "trees in the park"}]))
    out = tmp_path / "pred.jsonl"
    assert main(["few-shot", "--codebook", str(codebook), "--in", str(src), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["codes"] for r in rows] == [["Bins"]] * 3 + [["Parks"]] * 3
    assert not any(r["auto"] for r in rows)


def test_embed_writes_one_vector_a_line_or_says_what_is_missing(tmp_path, capsys):
    from analysis.embeddings import DIMENSIONS, PART_DIMENSIONS, available, read_vectors

    src = write(tmp_path / "in.jsonl", ROWS[:2])
    out = tmp_path / "vectors.npy"
    if not available():
        assert main(["embed", "--in", str(src), "--out", str(out)]) == 2
        assert "optional extra" in capsys.readouterr().err and not out.exists()
        return
    assert main(["embed", "--in", str(src), "--out", str(out)]) == 0
    vectors = read_vectors(str(out), 2)
    assert vectors.shape == (2, DIMENSIONS)
    for part in np.split(vectors, np.cumsum(PART_DIMENSIONS)[:-1], axis=1):
        assert np.allclose(np.linalg.norm(part, axis=1), 1.0, atol=1e-4)
    assert main(["embed", "--in", str(src), "--out", str(out), "--language", "de"]) == 0
    german = read_vectors(str(out), 2)  # multilingual-e5-small alone: the same as the English vectors' last part
    assert german.shape == (2, PART_DIMENSIONS[-1]) and np.allclose(german, vectors[:, -PART_DIMENSIONS[-1]:], atol=1e-5)
