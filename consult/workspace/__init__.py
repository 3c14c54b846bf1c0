"""What researchers touch to read the evidence: the survey overview, the response list and its filters,
a response's page, question pages with their figures, and erasure."""
