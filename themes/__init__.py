"""Chameleon themes: one folder each (``default`` ships with cong)."""
