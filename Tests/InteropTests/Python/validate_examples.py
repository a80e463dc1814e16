"""Validates each example of topics/examples against its exported JSON Schema with the
jsonschema package (draft 2020-12, formats checked), and checks that the schema refuses the
example with an undeclared member added, as `bus publish` does.

Usage: validate_examples.py TOPICS_DIR
Prints one line per problem and exits 1 when any; prints "checked N" otherwise.
"""
import json
import os
import sys

import jsonschema


def main():
    topics = sys.argv[1]
    problems = []
    names = sorted(n for n in os.listdir(os.path.join(topics, "schemas")) if n.endswith(".json"))
    for name in names:
        schema = json.load(open(os.path.join(topics, "schemas", name), encoding="utf-8"))
        example = json.load(open(os.path.join(topics, "examples", name), encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for error in validator.iter_errors(example):
            problems.append(f"{name}: example: {'/'.join(map(str, error.path))}: {error.message[:160]}")
        if schema.get("examples") != [example]:
            problems.append(f"{name}: examples does not hold the example file")
        extended = dict(example, undeclared_member="x")
        if validator.is_valid(extended):
            problems.append(f"{name}: an undeclared member is accepted")
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print(f"checked {len(names)}")


if __name__ == "__main__":
    main()
