"""Organised campaigns: near-identical responses, found from a signature kept for each response."""
