"""Where firm-level expressions run: DuckDB (embedded, default) or Apache Spark, behind one Ibis connection.

Every measure in :mod:`speerpunt.firms` is written once as an Ibis expression and executed by the
backend returned here. DuckDB runs in the process and streams Parquet out of core; Spark runs in local
mode (``local[2]``) on one machine or on a cluster given by its master URL.

>>> con = connect("duckdb")
>>> int(con.execute(ibis.memtable({"x": [1, 2, 3]}).x.sum()))
6
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from speerpunt.errors import SpeerpuntError, Text

ENGINES = ("duckdb", "spark")
DEFAULT_MASTER = "local[2]"

# Ibis 12 still reads a pandas option that pandas 3 deprecated; the warning says nothing about our data.
warnings.filterwarnings("ignore", message="The 'future.infer_string' option is deprecated")

_lock = threading.Lock()
#: Spark's JVM logging at start-up: warnings, not the notes every start prints
_LOG4J = Path(__file__).with_name("data") / "log4j2.properties"
_sessions: dict[str, Any] = {}


class EngineError(SpeerpuntError):
    """An engine cannot be started, or cannot run a measure (a known gap, named in the message)."""


def check_engine(engine: str) -> str:
    """The engine name, or a one-line error naming the choices."""
    if engine not in ENGINES:
        raise EngineError(
            f"unknown engine '{engine}' (choose from {', '.join(ENGINES)})", column="--engine"
        )
    return engine


def connect(
    engine: str = "duckdb",
    master: str = DEFAULT_MASTER,
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
):
    """An Ibis backend for ``engine``; Spark sessions are started once per process and master.

    Parameters
    ----------
    engine : {"duckdb", "spark"}
    master : str
        Spark master URL (``local[2]`` on this machine, ``spark://host:7077`` on a cluster).
    threads : int, optional
        DuckDB worker threads (default: DuckDB's own choice, all cores).
    memory_limit : str, optional
        DuckDB's memory limit (e.g. ``"3GB"``); beyond it DuckDB spills to disk.
    temp_directory : str, optional
        Where DuckDB spills (default: the system temp folder, never the working directory).
    """
    check_engine(engine)
    if engine == "duckdb":
        config: dict[str, object] = {"threads": threads} if threads else {}
        if memory_limit:
            config["memory_limit"] = memory_limit
        config["temp_directory"] = temp_directory or str(
            Path(tempfile.gettempdir()) / "speerpunt-duckdb"
        )
        return ibis.duckdb.connect(**config)
    return ibis.pyspark.connect(spark_session(master))


def spark_session(master: str = DEFAULT_MASTER):
    """The process's SparkSession for ``master`` (started on first use; Java 17 must be installed)."""
    with _lock:
        if master not in _sessions:
            try:
                from pyspark.sql import SparkSession
            except ImportError as exc:  # pragma: no cover - pyspark is a declared dependency
                raise EngineError(f"PySpark is not installed: {exc}", column="--engine") from exc
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            # Log4j reads this before Spark starts logging; a configuration of the user's own stays
            os.environ.setdefault("LOG4J_CONFIGURATION_FILE", str(_LOG4J))
            if master.startswith("local"):
                # a local JVM binds to the loopback address without warning that the host name does
                os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            try:
                spark = (
                    SparkSession.builder.master(master)
                    .appName("speerpunt-firms")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                    .config("spark.driver.memory", os.environ.get("SPEERPUNT_SPARK_MEMORY", "2g"))
                    .getOrCreate()
                )
            except Exception as exc:  # Java missing or the master unreachable: say so in one line
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise EngineError(
                    f"Spark could not start on '{master}': {first}", column="--master"
                ) from exc
            spark.sparkContext.setLogLevel("ERROR")
            _sessions[master] = spark
        return _sessions[master]


def stop_spark() -> None:
    """Stop every Spark session this process started."""
    with _lock:
        for spark in _sessions.values():
            spark.stop()
        _sessions.clear()


def engine_name(con) -> str:
    """``'duckdb'`` or ``'spark'`` for a backend returned by :func:`connect`."""
    return "spark" if con.name == "pyspark" else con.name


def read_table(con, source: str | Path | pd.DataFrame, *, text: bool = True):
    """A file (Parquet or CSV) or a DataFrame as an Ibis table on ``con``.

    CSV columns are all read as text (codes keep their leading zeros); the caller casts them.
    """
    if isinstance(source, pd.DataFrame):
        return memtable(source) if engine_name(con) == "spark" else ibis.memtable(source)
    path = Path(source)
    if not path.exists():
        raise SpeerpuntError(Text("fr_file_not_found"), file=str(path))
    suffix = path.suffix.lower()
    spark = engine_name(con) == "spark"
    if suffix in (".parquet", ".pq") or path.is_dir():
        return con.read_parquet(str(path))
    if suffix in (".csv", ".txt"):
        if spark:
            return con.read_csv(str(path), header=True, inferSchema=False)
        return con.read_csv(str(path), all_varchar=text, header=True)
    raise SpeerpuntError(Text("fr_file_type", suffix=suffix), file=str(path))


def memtable(df: pd.DataFrame, **kwargs):
    """A pandas table as an Ibis expression that both engines take as it is.

    Text columns are handed over as Python strings: PySpark 4.0's Arrow path cannot take pandas 3's
    Arrow-backed text when it comes in several chunks ("Cannot convert pyarrow.lib.ChunkedArray"), and
    falls back to its row-by-row path with a warning on every command.

    >>> memtable(pd.DataFrame({"code": ["11002"], "n": [1]})).schema()
    ibis.Schema {
      code  string
      n     int64
    }
    """
    text = {c: object for c in df.columns if df[c].dtype == "str"}
    return ibis.memtable(df.astype(text) if text else df, **kwargs)


def to_pandas(con, expr) -> pd.DataFrame:
    """Execute ``expr`` on ``con`` and return a DataFrame with a fresh index."""
    return con.execute(expr).reset_index(drop=True)
