"""Values drawn from a JSON Schema of the OpenAPI document: valid ones, and ones
of the declared shape that break one rule (a wrong JSON type, a number outside
``minimum``/``maximum``, a word outside the ``enum``, a required member missing, an
unknown member, a string too long or holding control characters).

Everything here is pure: given the same generator state, the same values.
"""

from __future__ import annotations

import random

#: Strings that are valid JSON text but hostile content.
ODD_STRINGS = (
    "\x00", "a\x1b[31mb", "\r\nSet-Cookie: x=1", "\u202e", "\ud800", "😀", "<script>x</script>",
    "../../etc/passwd", "", " ", "%ff", "đ" * 50,
)  # fmt: skip
#: Length of a string too long for any field.
TOO_LONG = 100_000
#: Values of every JSON type, to put where another type is declared.
OF_EVERY_TYPE = ("text", 7, -1, 1.5, 10**30, True, None, [], ["x", 1], {}, {"a": {"b": 1}})
#: A schema standing for "anything" when none is declared.
ANY = {"type": "object"}


class Schemas:
    """Resolves ``$ref``, ``oneOf``/``anyOf`` (one branch) and ``allOf`` (merged)."""

    def __init__(self, document: dict):
        self.components = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict | None, rng: random.Random) -> dict:
        """A plain schema (no reference, no alternatives) standing for ``schema``."""
        schema = schema or {}
        while True:
            if "$ref" in schema:
                schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
            elif "oneOf" in schema or "anyOf" in schema:
                schema = rng.choice(schema.get("oneOf") or schema["anyOf"])
            elif "allOf" in schema:
                merged: dict = {"type": "object", "properties": {}, "required": []}
                for part in schema["allOf"]:
                    part = self.resolve(part, rng)
                    merged["properties"].update(part.get("properties", {}))
                    merged["required"] += part.get("required", [])
                schema = merged
            else:
                return schema

    def valid(self, schema: dict | None, rng: random.Random, depth: int = 0):
        """A value ``schema`` accepts (as far as its keywords say)."""
        schema = self.resolve(schema, rng)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return rng.choice(schema["enum"])
        kind = declared_type(schema)
        if kind == "object":
            props = schema.get("properties", {})
            required = set(schema.get("required", []))
            chosen = [n for n in props if n in required or (depth < 2 and rng.random() < 0.4)]
            return {name: self.valid(props[name], rng, depth + 1) for name in chosen}
        if kind == "array":
            low = schema.get("minItems", 0)
            count = rng.randint(low, max(low, min(schema.get("maxItems", 3), 3)))
            return [self.valid(schema.get("items"), rng, depth + 1) for _ in range(count)]
        if kind in ("integer", "number"):
            low = schema.get("minimum", 0)
            value = rng.uniform(low, schema.get("maximum", low + 20))
            return round(value) if kind == "integer" else value
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "null":
            return None
        if schema.get("format") == "date":
            return rng.choice(["2025-01-31", "2026-12-02"])
        return rng.choice(["Trang", "tin-tuc", "admin", "Page", "Đà Nẵng", "a b"])

    def wrong(self, schema: dict | None, rng: random.Random):
        """A value of ``schema``'s shape that breaks one of its rules, somewhere."""
        schema = self.resolve(schema, rng)
        kind = declared_type(schema)
        props = schema.get("properties", {})
        if kind == "object" and props and rng.random() < 0.6:
            value = self.valid(schema, rng)
            name = rng.choice(list(props))
            choice = rng.randrange(3)
            if choice == 0 and schema.get("required"):
                value.pop(rng.choice(schema["required"]), None)  # a required member missing
            elif choice == 1:
                value["x-unknown-" + str(rng.randrange(100))] = rng.choice(OF_EVERY_TYPE)
            else:
                value[name] = self.wrong(props[name], rng)
            return value
        if kind == "array" and rng.random() < 0.5:
            return [self.wrong(schema.get("items"), rng)] * rng.randint(1, 3)
        return self.broken(schema, rng)

    def broken(self, schema: dict, rng: random.Random):
        """A scalar breaking ``schema``: out of range, enum or length, or mistyped."""
        breaks = [lambda: rng.choice(OF_EVERY_TYPE)]
        if "minimum" in schema:
            breaks.append(lambda: schema["minimum"] - rng.choice([1, 10**20]))
        if "maximum" in schema:
            breaks.append(lambda: schema["maximum"] + rng.choice([1, 10**20]))
        if "enum" in schema or "const" in schema:
            breaks.append(lambda: rng.choice(["zzz", "", "Ascending", 0]))
        if declared_type(schema) == "string":
            breaks.append(lambda: "x" * schema.get("maxLength", TOO_LONG) + "x")
            breaks.append(lambda: rng.choice(ODD_STRINGS))
        return rng.choice(breaks)()


def declared_type(schema: dict) -> str:
    """The schema's type (the first non-null one of a list), ``string`` if none."""
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "string" and "properties" in schema:
        return "object"
    return kind
