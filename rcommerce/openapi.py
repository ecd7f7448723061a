"""Builds /openapi.json from the endpoints' declarations (rcommerce.web.Doc)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.routing import BaseRoute, Mount, Route

from rcommerce import __version__
from rcommerce.web import Doc, path_parameters

_CONVERTOR_SCHEMA = {
    "str": {"type": "string"},
    "int": {"type": "integer", "minimum": 0},
    "path": {"type": "string"},
    "uuid": {"type": "string", "format": "uuid"},
    "float": {"type": "number"},
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def _walk(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, Route]]:
    found: list[tuple[str, Route]] = []
    for route in routes:
        if isinstance(route, Mount):
            found += _walk(list(route.routes), prefix + route.path)
        elif isinstance(route, Route):
            found.append((prefix + route.path, route))
    return found


def build(routes: list[BaseRoute], *, base_url: str) -> dict[str, Any]:
    documented = [
        (path, route, route.endpoint.__rc_doc__)
        for path, route in _walk(routes)
        if hasattr(route.endpoint, "__rc_doc__")
    ]
    models: list[tuple[type[BaseModel], Any]] = []
    for _, _, doc in documented:
        if doc.body is not None:
            models.append((doc.body, "validation"))
        for response in doc.responses.values():
            if isinstance(response, type):
                models.append((response, "serialization"))
    refs, schemas = models_json_schema(models, ref_template="#/components/schemas/{model}")
    components: dict[str, Any] = dict(schemas.get("$defs", {}))
    components["Error"] = ERROR_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for path, route, doc in documented:
        openapi_path = path
        parameters: list[dict[str, Any]] = []
        for name, convertor in path_parameters(path):
            openapi_path = openapi_path.replace(f"{{{name}:{convertor}}}", f"{{{name}}}")
            parameters.append(
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": _CONVERTOR_SCHEMA.get(convertor, {"type": "string"}),
                }
            )
        if doc.query is not None:
            parameters += _query_parameters(doc.query)
        for header, description in doc.headers.items():
            parameters.append(
                {
                    "name": header,
                    "in": "header",
                    "required": False,
                    "description": description,
                    "schema": {"type": "string"},
                }
            )
        for method in sorted((route.methods or set()) - {"HEAD"}):
            paths.setdefault(openapi_path, {})[method.lower()] = _operation(
                doc, route, method, parameters, refs
            )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rcommerce",
            "version": __version__,
            "description": "Referrals, reviews, testimonials and word-of-mouth reports.",
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "secretKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The store's secret key (sk_...).",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "rc_session"},
            },
        },
    }


def _operation(
    doc: Doc,
    route: Route,
    method: str,
    parameters: list[dict[str, Any]],
    refs: dict[Any, Any],
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": doc.summary,
        "operationId": f"{method.lower()}_{route.name}",
        "tags": list(doc.tags),
        "parameters": parameters,
        "responses": {},
    }
    if doc.description:
        operation["description"] = doc.description
    if doc.auth == "secret":
        operation["security"] = [{"secretKey": []}]
    elif doc.auth == "session":
        operation["security"] = [{"session": []}]
    if doc.body is not None and method in ("POST", "PUT", "PATCH"):
        operation["requestBody"] = {
            "required": True,
            "content": {doc.body_type: {"schema": refs[(doc.body, "validation")]}},
        }
    for status, response in sorted(doc.responses.items()):
        if isinstance(response, type):
            operation["responses"][str(status)] = {
                "description": response.__doc__ or "OK",
                "content": {"application/json": {"schema": refs[(response, "serialization")]}},
            }
        else:
            operation["responses"][str(status)] = {"description": response}
    operation["responses"].setdefault(
        "4XX",
        {
            "description": "The request was refused; the body says why.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    )
    return operation


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = {k: v for k, v in prop.items() if k != "title"}
        params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    return params
