"""Validates an AsyncAPI 3.0 document with independent tools; prints the problems found.

Usage: validate_asyncapi.py DOCUMENT [OFFICIAL_JSON_SCHEMA] [--break PATH JSON|-]...
- asyncapi3 (PyPI): the AsyncAPI 3.0 object model, bindings included (Pydantic models).
- OFFICIAL_JSON_SCHEMA, when given: the AsyncAPI 3.0.0 JSON Schema of asyncapi/spec-json-schemas
  (the "without $id" file), applied with jsonschema's draft-07 validator.
- --break PATH VALUE first sets the member at PATH (names joined by "/") to the JSON VALUE, or
  removes it when VALUE is "-": a broken copy, to show that the validators refuse it.
Exit 0 and "valid" when every tool accepts it; exit 1 with one line per problem otherwise.
"""
import json
import sys
import warnings


def broken(document, arguments):
    """The document with each --break PATH VALUE applied; the remaining arguments."""
    rest = []
    while arguments:
        if arguments[0] != "--break":
            rest.append(arguments.pop(0))
            continue
        _, path, value = arguments[:3]
        del arguments[:3]
        *parents, last = path.split("/")
        target = document
        for name in parents:
            target = target[name]
        if value == "-":
            del target[last]
        else:
            target[last] = json.loads(value)
    return document, rest


def main():
    document, arguments = broken(json.load(open(sys.argv[1], encoding="utf-8")), sys.argv[2:])
    problems = []
    if document.get("asyncapi") != "3.0.0":
        problems.append(f"asyncapi: expected 3.0.0, found {document.get('asyncapi')!r}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from asyncapi3 import AsyncAPI3
        from pydantic import ValidationError
    try:
        AsyncAPI3.model_validate(document)
    except ValidationError as error:
        problems += [f"asyncapi3: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:20]]
    if arguments:
        import jsonschema
        schema = json.load(open(arguments[0], encoding="utf-8"))
        for error in list(jsonschema.Draft7Validator(schema).iter_errors(document))[:20]:
            problems.append(f"json-schema: {'/'.join(map(str, error.path))}: {error.message[:200]}")
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print("valid")


if __name__ == "__main__":
    main()
