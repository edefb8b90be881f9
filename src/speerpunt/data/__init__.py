"""Embedded datasets (see datasets.yaml); loaded by :mod:`speerpunt.io.datasets`."""
