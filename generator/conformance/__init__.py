"""Conformance suite: Schemathesis on the bundled contract plus the Users APIs' domain checks."""
