"""socialmetrics: platform exports in, a clean cross-platform warehouse out."""
