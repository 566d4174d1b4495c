"""Load, check, lint and bundle the hand-curated multi-file OpenAPI contract."""
