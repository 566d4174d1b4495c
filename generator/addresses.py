"""Addresses the reference server and the proxy listen on, written as URLs accept them."""

from __future__ import annotations


def host_port(host: str, port: int) -> str:
    """`host:port`, an IPv6 host in brackets (`[::1]:8080`): without them the port would read as
    one more group of the address."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def http_origin(host: str, port: int) -> str:
    """The http:// origin of a listening address (`http://[::1]:8080`)."""
    return f"http://{host_port(host, port)}"
