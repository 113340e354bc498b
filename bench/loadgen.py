"""A load client that is not the bottleneck, and the CPU each side used.

Two ways to send load, both HTTP/1.1 keep-alive over loopback:

- ``wrk`` (C, Debian's package) when it is installed: ``run_wrk`` drives one request
  shape for a fixed time and parses its latency distribution;
- ``run_lean``: plain asyncio sockets, one connection per worker, each request written
  as prepared bytes and the answer read by Content-Length (or chunks). No HTTP library:
  httpx's pool bookkeeping cost more CPU than the server it measured.

Each returns ``Figures``: requests, seconds, latencies (lean only), p50/p99, statuses, the
client's own CPU seconds and the server's (every process of its tree, from /proc), so a
bench can print whether the client or the server was the limit.

Not a test: figures are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- CPU of a process tree


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def tree_pids(root: int) -> list[int]:
    """``root`` and every live descendant (uvicorn's workers are children of its master)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields_ = _stat(int(entry))
            if fields_:
                parents[int(entry)] = int(fields_[1])
    found, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU the processes have used so far."""
    total = 0
    for pid in pids:
        fields_ = _stat(pid)
        if fields_:
            total += int(fields_[11]) + int(fields_[12])  # utime, stime
    return total / TICK


# ---------------------------------------------------------------- figures


@dataclass
class Figures:
    requests: int
    seconds: float
    client_cpu: float
    server_cpu: float
    latencies: list[float] = field(default_factory=list)
    p50: float = 0.0  # seconds (wrk gives percentiles, not samples)
    p99: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    bodies: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.latencies:
            ordered = sorted(self.latencies)
            self.p50 = statistics.median(ordered)
            self.p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_ms_per_request(self) -> float:
        return self.server_cpu / self.requests * 1000 if self.requests else 0.0

    @property
    def client_share(self) -> float:
        """Cores the client used on average (1.0 = one core flat out)."""
        return self.client_cpu / self.seconds if self.seconds else 0.0

    @property
    def server_share(self) -> float:
        return self.server_cpu / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        return (
            f"{self.rps:8.0f} req/s  p50 {self.p50 * 1000:6.1f} ms  p99 {self.p99 * 1000:6.1f} ms"
            f"  server {self.server_ms_per_request:5.2f} ms CPU/req ({self.server_share:.2f} "
            f"cores)  client {self.client_share:.2f} cores"
        )


def request_bytes(
    method: str, path: str, host: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# ---------------------------------------------------------------- the lean asyncio client

_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:\s*chunked", re.IGNORECASE)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    match = _LENGTH.search(head)
    if match:
        return status, await reader.readexactly(int(match.group(1)))
    if _CHUNKED.search(head):
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return status, b"".join(parts)
            parts.append(chunk[:-2])
    return status, b""


async def run_lean(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    total: int,
    concurrency: int,
    server_pid: int,
    keep_bodies: bool = False,
    gate: asyncio.Event | None = None,
) -> Figures:
    """``total`` requests, ``concurrency`` connections each sending one after another.

    With ``gate``, every connection is opened first and the load starts when it is set
    (the booking rush: everyone at once).
    """
    counter = iter(range(total))
    latencies: list[float] = []
    statuses: Counter = Counter()
    bodies: list[bytes] = []
    opened = 0
    all_open = asyncio.Event()

    async def worker() -> None:
        nonlocal opened
        reader, writer = await asyncio.open_connection(host, port)
        opened += 1
        if opened == concurrency:
            all_open.set()
        await all_open.wait()
        try:
            for i in counter:
                payload = make_request(i)
                began = time.perf_counter()
                writer.write(payload)
                status, body = await _read_response(reader)
                latencies.append(time.perf_counter() - began)
                statuses[status] += 1
                if keep_bodies:
                    bodies.append(body)
        finally:
            writer.close()

    tasks = [asyncio.create_task(worker()) for _ in range(concurrency)]
    await all_open.wait()
    if gate is not None:
        await gate.wait()
    pids = tree_pids(server_pid)
    cpu0, server0, began = time.process_time(), cpu_seconds(pids), time.perf_counter()
    await asyncio.gather(*tasks)
    seconds = time.perf_counter() - began
    return Figures(
        requests=len(latencies),
        seconds=seconds,
        client_cpu=time.process_time() - cpu0,
        server_cpu=cpu_seconds(pids) - server0,
        latencies=latencies,
        statuses=statuses,
        bodies=bodies,
    )


# ---------------------------------------------------------------- wrk


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNIT[unit]


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def run_wrk(
    url: str,
    server_pid: int,
    seconds: float,
    connections: int,
    method: str = "GET",
    body: str = "",
    headers: dict[str, str] | None = None,
    threads: int = 1,
) -> Figures:
    """``wrk`` against one URL for ``seconds``; its CPU from this process's child usage."""
    script = [f"wrk.method = {_lua_string(method)}"]
    if body:
        script.append(f"wrk.body = {_lua_string(body)}")
    for name, value in (headers or {}).items():
        script.append(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}")
    # wrk counts every answer; count the ones that were not 200 so a broken run shows.
    script.append(
        "bad = 0\nresponse = function(status, headers, body) "
        "if status ~= 200 then bad = bad + 1 end end"
    )
    script.append('done = function(summary, latency, requests) io.write("non200 ", bad, "\\n") end')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write("\n".join(script) + "\n")
    pids = tree_pids(server_pid)
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    server0 = cpu_seconds(pids)
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
        "-s", handle.name, url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    server_cpu = cpu_seconds(pids) - server0
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.unlink(handle.name)
    client_cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    requests = int(re.search(r"(\d+) requests in ([\d.]+\w+)", output).group(1))
    elapsed = _seconds(re.search(r"\d+ requests in ([\d.]+\w+)", output).group(1))
    p50 = _seconds(re.search(r"50%\s+([\d.]+\w+)", output).group(1))
    p99 = _seconds(re.search(r"99%\s+([\d.]+\w+)", output).group(1))
    bad = int(re.search(r"non200 (\d+)", output).group(1))
    errors = re.search(r"Socket errors: (.*)", output)
    statuses = Counter({200: requests - bad, "other": bad})
    if errors:
        statuses["socket errors: " + errors.group(1)] = 1
    return Figures(requests, elapsed, client_cpu, server_cpu, p50=p50, p99=p99, statuses=statuses)
