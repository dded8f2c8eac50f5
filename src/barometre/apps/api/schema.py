"""OpenAPI post-processing: every operation documents the one error shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from barometre.apps.registry.queries import MAX_SEARCH_LENGTH, SEARCH_CHARACTERS

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "example": "not_found"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
            },
        }
    },
}

ERROR_RESPONSES = {
    "400": gettext_noop("Paramètre invalide."),
    "404": gettext_noop("Ressource introuvable (édition, indicateur, collectivité, page)."),
}


#: Characters refused in every parameter (``web/input.py``): control characters, line separators.
_FORBIDDEN = "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029"
NO_CONTROL_PATTERN = f"^[^{_FORBIDDEN}]*$"
#: The search text: empty, or at least two letters or digits (a one-letter query is refused).
_SEARCH = SEARCH_CHARACTERS
SEARCH_PATTERN = f"^( *|[^{_FORBIDDEN}]*[{_SEARCH}][^{_FORBIDDEN}]*[{_SEARCH}][^{_FORBIDDEN}]*)$"


def _document_text_limits(op: dict[str, Any]) -> None:
    """Say in the schema what the boundary refuses: control characters, over-long values."""
    from barometre.web.input import MAX_QUERY_VALUE_LENGTH

    for param in op.get("parameters", []):
        schema = param.get("schema", {})
        if schema.get("type") != "string" or "enum" in schema:
            continue
        if param.get("in") == "query" and param.get("name") == "q":
            schema.setdefault("pattern", SEARCH_PATTERN)
            schema.setdefault("maxLength", MAX_SEARCH_LENGTH)
        schema.setdefault("pattern", NO_CONTROL_PATTERN)
        schema.setdefault("maxLength", MAX_QUERY_VALUE_LENGTH)


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for item in result.get("paths", {}).values():
        for op in item.values():
            _document_text_limits(op)
            responses = op.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": gettext(description),
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
