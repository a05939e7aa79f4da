"""Scale-out on a real Dask cluster: a scheduler and two worker processes on localhost.

The batch runs through ``osallisuus reports --dask-scheduler``; its reports must equal a local
run's, and killing a worker in the middle of the batch must lose no region (Dask reschedules the
lost worker's tasks) and leave no half-written file.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
pytest.importorskip("distributed")
ROOT = Path(__file__).resolve().parents[1]
REGIONS = ["Lappi", "Kanta-Häme", "Etelä-Karjala", "Keski-Suomi"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, tmp: Path):
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.tmp = tmp
        self.scheduler = subprocess.Popen(["dask", "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                                           "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.workers = [self._worker(i) for i in range(2)]
        from distributed import Client
        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)

    def _worker(self, i: int) -> subprocess.Popen:
        return subprocess.Popen(["dask", "worker", self.address, "--nworkers", "1", "--nthreads", "1",
                                 "--no-dashboard", "--local-directory", str(self.tmp / f"w{i}")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def close(self) -> None:
        for p in [*self.workers, self.scheduler]:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM) if p in self.workers else p.terminate()
        for p in [*self.workers, self.scheduler]:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path)
    yield c
    c.close()


def _reports(*args: str) -> subprocess.Popen:
    regions = [a for r in REGIONS for a in ("--region", r)]
    return subprocess.Popen([sys.executable, "-m", "osallisuus", "reports", "--no-progress", "--force", *regions, *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _body(path: Path) -> str:
    """The report without its images (PNG bytes may differ between processes, the numbers may not)."""
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "", path.read_text(encoding="utf-8"))


def test_real_cluster_matches_local_run_and_survives_a_killed_worker(cluster, tmp_path):
    local = _reports("--out", str(tmp_path / "local"), "--jobs", "1")
    remote = _reports("--out", str(tmp_path / "dask"), "--dask-scheduler", cluster.address)
    # kill one worker as soon as the first region of the cluster run is written
    deadline = time.time() + 600
    while time.time() < deadline and not list((tmp_path / "dask").glob("*/.manifest.json")):
        time.sleep(0.5)
    victim = cluster.workers[0]
    os.killpg(victim.pid, signal.SIGKILL)
    out, err = remote.communicate(timeout=900)
    assert remote.returncode == 0, out + err[-3000:]
    assert local.wait(timeout=900) == 0
    assert victim.poll() is not None                        # the worker really died mid-batch
    for rid in ("lappi", "kanta_hame", "etela_karjala", "keski_suomi"):
        assert _body(tmp_path / "dask" / rid / "raportti.html") == _body(tmp_path / "local" / rid / "raportti.html")
    leftovers = [p for p in (tmp_path / "dask").rglob("*") if p.name.startswith((".tmp", "FAILED")) or ".tmp" in p.name]
    assert not leftovers, leftovers
