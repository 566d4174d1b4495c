"""Generate synthetic multi-file contracts of N operations, laid out like the real ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.openapi.bundle import dump_document

OPERATIONS_PER_RESOURCE = 4  # list, create, get, delete


def _tag_names(tags: int) -> list[str]:
    return ["things"] if tags <= 1 else [f"things-{k + 1}" for k in range(tags)]


def write_synthetic_spec(folder: Path, operations: int, tags: int = 1) -> Path:
    """Write a valid, lint-clean contract with ``operations`` operations; return its root file.

    ``tags`` > 1 spreads the resources over that many tags, in contiguous runs.
    """
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "paths").mkdir(parents=True)
    (folder / "components" / "schemas").mkdir(parents=True)
    (folder / "components" / "responses").mkdir(parents=True)
    resources = max(1, operations // OPERATIONS_PER_RESOURCE)
    names = _tag_names(tags)
    paths: dict[str, dict[str, str]] = {}
    _dump(folder / "components" / "responses" / "NotFound.yaml", _error_response("Not found."))
    for index in range(resources):
        name = f"Thing{index}"
        _dump(folder / "components" / "schemas" / f"{name}.yaml", _schema(name))
        collection = f"things{index}"
        paths[f"/{collection}"] = {"$ref": f"paths/{collection}.yaml"}
        paths[f"/{collection}/{{id}}"] = {"$ref": f"paths/{collection}_{{id}}.yaml"}
        tag = names[index * len(names) // resources]
        _dump(folder / "paths" / f"{collection}.yaml", _collection_item(name, index, tag))
        _dump(folder / "paths" / f"{collection}_{{id}}.yaml", _member_item(name, index, tag))
    root = {
        "openapi": "3.1.0",
        "info": {"title": f"Synthetic {operations}", "version": "1.0"},
        "tags": [{"name": tag, "description": "Synthetic things."} for tag in names],
        "security": [{"key": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "key": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "An access key.",
                }
            }
        },
    }
    _dump(folder / "openapi.yaml", root)
    return folder / "openapi.yaml"


def _dump(path: Path, data: dict[str, object]) -> None:
    dump_document(data, path)


def _error_response(description: str) -> dict[str, object]:
    return {"description": description}


def _schema(name: str) -> dict[str, object]:
    return {
        "type": "object",
        "description": f"A {name}.",
        # `id` is readOnly: not required, so that a create example may leave it out.
        "required": ["name"],
        "properties": {
            "id": {"type": "integer", "description": "Id.", "readOnly": True, "examples": [1]},
            "name": {"type": "string", "description": "Name.", "examples": ["x"]},
            "email": {
                "type": "string",
                "format": "email",
                "description": "Email.",
                "examples": ["a@example.com"],
            },
        },
    }


def _operation(op_id: str, summary: str, tag: str, **extra: object) -> dict[str, object]:
    return {
        "operationId": op_id,
        "summary": summary,
        "description": f"{summary}.",
        "tags": [tag],
        "security": [{"key": []}],
        **extra,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"../components/schemas/{name}.yaml"}


def _json(schema: object, example: object) -> dict[str, object]:
    return {"application/json": {"schema": schema, "examples": {"one": {"value": example}}}}


def _collection_item(name: str, index: int, tag: str) -> dict[str, object]:
    sample = {"id": 1, "name": "x"}
    not_found = {"$ref": "../components/responses/NotFound.yaml"}
    return {
        "get": _operation(
            f"listThings{index}",
            f"List {name}",
            tag,
            responses={
                "200": {
                    "description": "Items.",
                    "content": _json({"type": "array", "items": _ref(name)}, [sample]),
                },
                "404": not_found,
            },
        ),
        "post": _operation(
            f"createThing{index}",
            f"Create {name}",
            tag,
            requestBody={"content": _json(_ref(name), {"name": "x"})},
            responses={
                "200": {"description": "Created.", "content": _json(_ref(name), sample)},
                "404": not_found,
            },
        ),
    }


def _member_item(name: str, index: int, tag: str) -> dict[str, object]:
    parameter = {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "Id.",
        "schema": {"type": "integer"},
        "example": 1,
    }
    not_found = {"$ref": "../components/responses/NotFound.yaml"}
    return {
        "parameters": [parameter],
        "get": _operation(
            f"getThing{index}",
            f"Get {name}",
            tag,
            responses={
                "200": {
                    "description": "The item.",
                    "content": _json(_ref(name), {"id": 1, "name": "x"}),
                },
                "404": not_found,
            },
        ),
        "delete": _operation(
            f"deleteThing{index}",
            f"Delete {name}",
            tag,
            responses={"200": {"description": "Deleted."}, "404": not_found},
        ),
    }
