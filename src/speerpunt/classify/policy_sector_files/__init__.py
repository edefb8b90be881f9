"""Shipped policy-sector definitions (YAML); a package so that the files install with it."""
