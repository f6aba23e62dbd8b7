"""Closed forms and deterministic numerics (plain numpy/scipy) for each result."""
