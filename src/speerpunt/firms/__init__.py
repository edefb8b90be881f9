"""Firm-level data: firm records → panels, SME structure and dynamics, instrument reach.

Expressions are written once in Ibis and run on DuckDB (default) or Apache Spark (see
:mod:`speerpunt.firms.engine`).
"""
