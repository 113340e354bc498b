"""A real ``linli serve`` in a subprocess on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from linli.testing.environment import TEST_SECRET, redis_prefix, redis_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "/graphql"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(
    database_url: str, log_path: Path, env: dict[str, str] | None = None, timeout: float = 120.0
) -> LiveServer:
    """``linli serve`` in a subprocess on a free loopback port, ready when /readyz says so.

    ``timeout`` only bounds a server that never comes up: on a loaded machine (every core
    busy with test runs) a healthy one has taken over 30 s to answer its first /readyz."""
    port = free_port()
    environment = {
        **os.environ,
        "LINLI_DATABASE_URL": database_url,
        "LINLI_SECRET_KEY": TEST_SECRET,
        **({"LINLI_REDIS_URL": redis_url()} if redis_url() else {}),
        "LINLI_REDIS_PREFIX": redis_prefix(),
        **(env or {}),
    }
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "linli.core.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=environment,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError(f"server did not become ready:\n{server.log()}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
