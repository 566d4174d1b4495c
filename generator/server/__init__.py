"""Reference server: the contract served from SQLite (Starlette), with CEQL filtering."""
