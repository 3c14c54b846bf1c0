"""Demonstration data: `consult demo` fills a fresh database with labelled responses, codes and samples."""
