"""Benchmark helpers for graphkit (synthetic knowledge-base generator)."""
