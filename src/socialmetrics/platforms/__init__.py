"""Platforms: one folder each (specs, declaration, demo writer, README), found by `registry`.

See `registry.py` for discovery and `base.py` for what a platform declares; `_template/` is
what `socialmetrics dev new-platform NAME` copies to start a new one.
"""
