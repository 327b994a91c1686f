"""The loopback targets of bench/monitoring.py, run in a process of their own
so that their CPU is not counted on either side.

One TCP listener (accepts, and closes when the peer closes) and one HTTP
listener (answers ``200 ok`` and closes) are bound to 0.0.0.0: every address of
127.0.0.0/8 reaches them, so 20,000 targets (127.1.x.y) need two sockets.

    python bench/monitoring_targets.py --lifetime 900

Prints ``READY <tcp port> <http port>`` once listening. Bounded: exits after
``--lifetime`` seconds, after ``--max-connections`` connections, or when its
standard input closes (the bench that started it is gone).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys

RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
    b"Connection: close\r\n\r\nok\n"
)
BACKLOG = 4096


class Counter:
    connections = 0
    limit = 0
    done: asyncio.Event


class TcpTarget(asyncio.Protocol):
    """Accept and wait for the prober to close (a plain TCP connect check)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        count()

    def data_received(self, data: bytes) -> None:
        pass

    def eof_received(self) -> bool:
        self.transport.close()
        return False


class HttpTarget(asyncio.Protocol):
    """Read one request's head, answer 200 and close."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""
        count()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if b"\r\n\r\n" in self.buffer:
            self.transport.write(RESPONSE)  # type: ignore[attr-defined]
            self.transport.close()
        elif len(self.buffer) > 65536:
            self.transport.close()

    def eof_received(self) -> bool:
        self.transport.close()
        return False


def count() -> None:
    Counter.connections += 1
    if Counter.connections >= Counter.limit:
        Counter.done.set()


def listener() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("0.0.0.0", 0))
    sock.listen(BACKLOG)
    sock.setblocking(False)
    return sock


async def serve(lifetime: float, max_connections: int) -> None:
    loop = asyncio.get_running_loop()
    Counter.limit = max_connections
    Counter.done = asyncio.Event()
    tcp_sock, http_sock = listener(), listener()
    tcp = await loop.create_server(TcpTarget, sock=tcp_sock, backlog=BACKLOG)
    http = await loop.create_server(HttpTarget, sock=http_sock, backlog=BACKLOG)
    print(f"READY {tcp_sock.getsockname()[1]} {http_sock.getsockname()[1]}", flush=True)
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    done = asyncio.ensure_future(Counter.done.wait())
    await asyncio.wait(
        [stdin_closed, done], timeout=lifetime, return_when=asyncio.FIRST_COMPLETED
    )
    done.cancel()
    tcp.close()
    http.close()
    print(f"SERVED {Counter.connections}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lifetime", type=float, default=900.0)
    parser.add_argument("--max-connections", type=int, default=5_000_000)
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.run(serve(args.lifetime, args.max_connections))
    except ImportError:
        asyncio.run(serve(args.lifetime, args.max_connections))
    sys.stdout.flush()
    # The executor thread still blocks on stdin: leave without joining it.
    import os

    os._exit(0)


if __name__ == "__main__":
    main()
