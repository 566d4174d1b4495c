"""Shared test settings: the contract suite's options come from the usersapi pytest plugin
(`generator/conformance/pytest_plugin.py`, loaded through its `pytest11` entry point)."""
