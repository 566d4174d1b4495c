"""Addresses the reference server and the proxy listen on: bound before anything is printed,
and written as URLs accept them."""

from __future__ import annotations

import socket


class CannotListen(Exception):
    """The host:port to listen on is taken or not ours to bind."""


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (0 picks a free port), before anything is printed: a taken
    port is one clear message, not a URL that lies."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise CannotListen(f"cannot listen on {host_port(host, port)}: {error.strerror}") from None
    return sock


def host_port(host: str, port: int) -> str:
    """`host:port`, an IPv6 host in brackets (`[::1]:8080`): without them the port would read as
    one more group of the address."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def http_origin(host: str, port: int) -> str:
    """The http:// origin of a listening address (`http://[::1]:8080`)."""
    return f"http://{host_port(host, port)}"
