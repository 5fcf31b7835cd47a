"""A throwaway PostgreSQL cluster for the tests: started once per run, a fresh database per test.

`pg_cluster()` runs `initdb` in a temporary directory (in /dev/shm when there is one) and
`pg_ctl start` on a free loopback port (as the `postgres` system user when the tests run as root:
initdb refuses root). The cluster is stopped and removed when the test process exits. Under
pytest-xdist (./test) each worker process starts a cluster of its own, so roles (cluster-wide) and
databases are never shared between workers. When no server can be started (no binaries, no
`postgres` user while root, initdb failing) `pg_cluster()` calls `pytest.skip` with the reason, so
the PostgreSQL half of a parametrized test shows as skipped with that reason, never as passed.

Fixtures (import them into a conftest: `from pg_fixture import db_url, pg_url  # noqa: F401`):

- `pg_url`: a fresh, empty database on the cluster (dropped after the test), as a
  `postgresql+psycopg://` URL connecting as the cluster's superuser.
- `db_url`: parametrized over "sqlite" and "postgresql": the test's SQLite file (`db_path`) or a
  fresh PostgreSQL database; exported as TRACKER_DB either way.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def _bin_dirs() -> list[str]:
    """Where initdb/pg_ctl may be: Debian's versioned directories (newest first), then the PATH's usual ones."""
    import glob

    versioned = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[4])
                       if d.split("/")[4].isdigit() else 0, reverse=True)
    return [*versioned, "/usr/local/bin", "/usr/bin"]


@dataclass
class Cluster:
    """A running throwaway server: connect as `superuser` on 127.0.0.1:`port` (trust auth)."""

    port: int
    superuser: str
    directory: Path
    pg_ctl: str
    run_as: list[str]

    def url(self, database: str, user: str | None = None) -> str:
        """A SQLAlchemy URL for one of the cluster's databases, as `user` (default: the superuser)."""
        return f"postgresql+psycopg://{user or self.superuser}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres", user: str | None = None) -> str:
        """A libpq connection string (for psycopg.connect)."""
        return f"host=127.0.0.1 port={self.port} dbname={database} user={user or self.superuser}"

    def stop(self) -> None:
        """Stop the server (fast mode) and remove its directory."""
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.directory / "data"), "-m", "fast",
                        "-w", "stop"], capture_output=True, check=False, timeout=60)
        shutil.rmtree(self.directory, ignore_errors=True)


_state: dict[str, Cluster | str] = {}
_names = itertools.count(1)


def _find(binary: str) -> str | None:
    for d in _bin_dirs():
        if os.access(Path(d) / binary, os.X_OK):
            return str(Path(d) / binary)
    return shutil.which(binary)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _scratch() -> str | None:
    """Where the cluster's files go: /dev/shm when it is there with room (a gigabyte), else the usual
    temporary directory. In memory a test's CREATE DATABASE, schema and DROP DATABASE take ~0.1 s
    instead of 0.3-0.5 s on this machine's disk (creating and unlinking files, even with fsync off)."""
    shm = "/dev/shm"
    try:
        room = os.statvfs(shm)
    except OSError:
        return None
    if not os.access(shm, os.W_OK | os.X_OK) or room.f_bavail * room.f_frsize < 2**30:
        return None
    return shm


def _start() -> Cluster | str:
    """Start a cluster, or return the sentence saying why none could be started."""
    if os.environ.get("TRACKER_PG_SKIP"):
        return "TRACKER_PG_SKIP is set"
    initdb, pg_ctl = _find("initdb"), _find("pg_ctl")
    if initdb is None or pg_ctl is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed; apt-get install postgresql"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    run_as: list[str] = []
    directory = Path(tempfile.mkdtemp(prefix="tracker-pg-", dir=_scratch()))
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            return "the tests run as root and there is no `postgres` system user to run initdb as"
        os.chown(directory, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
        superuser = "postgres"
    else:
        superuser = pwd.getpwuid(os.geteuid()).pw_name
    data = directory / "data"
    init = subprocess.run([*run_as, initdb, "-D", str(data), "-A", "trust", "-U", superuser, "-E", "UTF8",
                           "--locale=C", "--no-sync"], capture_output=True, text=True, check=False, timeout=120)
    if init.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        return f"initdb failed: {init.stderr.strip()[-300:]}"
    for _attempt in range(3):  # the free port may be taken before the server binds it (another worker's)
        port = _free_port()
        # fsync off: a test cluster needs no durability, and it halves CREATE DATABASE time on disk;
        # max_wal_size: each CREATE DATABASE logs its ~8 MB copy; checkpoints keep the WAL (in memory
        # when in /dev/shm) near 128 MB
        opts = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " \
               "-c full_page_writes=off -c max_connections=60 -c max_wal_size=128MB -c min_wal_size=32MB"
        start = subprocess.run([*run_as, pg_ctl, "-D", str(data), "-l", str(directory / "log"), "-o", opts,
                                "-w", "-t", "60", "start"], capture_output=True, text=True, check=False, timeout=90)
        if start.returncode == 0:
            break
    else:
        log = (directory / "log").read_text(errors="replace")[-300:] if (directory / "log").exists() else ""
        shutil.rmtree(directory, ignore_errors=True)
        return f"pg_ctl start failed: {start.stderr.strip()[-200:]} {log}"
    cluster = Cluster(port, superuser, directory, pg_ctl, run_as)
    atexit.register(cluster.stop)
    return cluster


def pg_cluster() -> Cluster:
    """The run's cluster (started on first use); `pytest.skip` with the reason when none can start."""
    if "cluster" not in _state:
        _state["cluster"] = _start()
    found = _state["cluster"]
    if isinstance(found, str):
        pytest.skip(f"PostgreSQL half skipped: {found}")
    return found


def create_database(cluster: Cluster) -> str:
    """A new empty database's name (from template0: nothing left over from other tests)."""
    import psycopg

    name = f"t{os.getpid()}_{next(_names)}"
    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    return name


def drop_database(cluster: Cluster, name: str) -> None:
    """Drop a test database, ending any connection a test left open."""
    import psycopg

    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh empty PostgreSQL database (superuser URL), also TRACKER_DB; dropped afterwards."""
    cluster = pg_cluster()
    name = create_database(cluster)
    url = cluster.url(name)
    monkeypatch.setenv("TRACKER_DB", url)
    try:
        yield url
    finally:
        drop_database(cluster, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, db_path: Path) -> str:
    """The test's database on each engine: the SQLite file `db_path`, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(db_path)
    url: str = request.getfixturevalue("pg_url")
    return url
