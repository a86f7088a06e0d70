"""Specs: platform export layouts as data (TOML in each platform folder) and project aliases."""
