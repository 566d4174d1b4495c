"""Spec-first toolkit for the Users APIs: contract tooling, docs, reference server, conformance."""

__version__ = "0.1.0"
