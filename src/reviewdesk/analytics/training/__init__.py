"""Training scripts of the review text engine (run from the repository root)."""
