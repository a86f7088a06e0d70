"""Marts as the report reads them: thin readers over the mart views (`warehouse/marts.py`)."""
