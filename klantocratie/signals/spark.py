"""Signal rules on Apache Spark, for when a region or the nation outgrows one machine.

The engine compiles every rule to one Ibis expression; here those same expressions run
on a Spark session instead of DuckDB, over the same Parquet snapshot. Nothing about a
rule changes: `evaluate(spark_facts(path), rules, reference_date)` returns the same
firings as `evaluate(duckdb_facts(path), ...)` (tests/signals/test_spark_parity.py).

`local_session` starts Spark in local mode in this process: no cluster, no network
(the driver binds to the loopback address), no web UI, and only errors in the log. On
a cluster the operator builds the session with its own master and passes it in.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import ibis
import ibis.expr.types as ir
from pyspark.sql import SparkSession

# Spark logs every stage at INFO; the signal run reports its own progress. The root
# starts at WARN because PySpark announces "Setting default log level" whenever the
# root differs from WARN; `local_session` lowers it to ERROR once the session runs.
# Without native Hadoop libraries (never needed for local Parquet) Hadoop warns.
_LOG4J2 = """\
rootLogger.level = warn
logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoop.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
"""


def _log_configuration() -> Path:
    path = Path(tempfile.gettempdir()) / "klantocratie-spark-log4j2.properties"
    if not path.exists() or path.read_text() != _LOG4J2:
        path.write_text(_LOG4J2)
    return path


def local_session(cores: int = 2, memory: str = "2g") -> SparkSession:
    """This process's local Spark session, started on first use.

    `memory` is the driver's heap, which in local mode also runs the executors. Shuffle
    partitions follow the cores: the default of 200 makes hundreds of tiny tasks for a
    few million facts on a laptop. The driver's options only take effect on the first
    call; later calls return the running session.
    """
    # The JVM reads this when it starts; without it Spark warns that the host name
    # resolves to a loopback address and goes looking for a network interface.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("klantocratie-signalen")
        .config("spark.driver.memory", memory)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config(
            "spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_log_configuration()}"
        )
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # The engine caches the facts the rules read; on one machine compressing that
        # cache costs more time (about twice the load) than the memory it saves.
        .config("spark.sql.inMemoryColumnarStorage.compressed", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def stop_session() -> None:
    """Stop this process's Spark session, if one runs, and free its JVM's memory."""
    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


def spark_facts(path: str, session: SparkSession | None = None) -> ir.Table:
    """A snapshot's facts in Spark, from its Parquet file, for `engine.evaluate`."""
    con = ibis.pyspark.connect(session or local_session())
    # A generated view name: a fixed one would be replaced by the next snapshot read
    # in the same session, under the expressions still built on the first.
    return con.read_parquet(path)
