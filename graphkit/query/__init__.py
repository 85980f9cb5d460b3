"""Analyst queries over a knowledge base: paths, escalations, neighbours, differences."""
