"""HTML timelines and linked views (the only package that imports plotly)."""
