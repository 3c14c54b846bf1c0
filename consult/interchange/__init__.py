"""Evidence in and out: imports of responses (CSV, XLSX, JSONL), workshop notes, exports (CSV, XLSX, JSONL,
REFI-QDA) and codebook files."""
