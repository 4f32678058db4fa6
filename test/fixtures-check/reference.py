"""The OASIS reference tools for test/fixtures-check: reads one JSON request on stdin, writes one JSON answer.

{"match": [{"pattern": "...", "observations": [bundle, ...]}, ...]} -> [{"matched": bool} | {"error": "..."}, ...]
{"validate": "path/to/bundle.json"} -> {"valid": bool, "errors": [...], "warnings": [...]}
"""
import json
import sys


def match_all(cases):
    from stix2matcher.matcher import match

    answers = []
    for case in cases:
        try:
            answers.append({"matched": bool(match(case["pattern"], case["observations"], stix_version="2.1"))})
        except Exception as error:  # the matcher reports bad patterns with several exception types
            answers.append({"error": f"{type(error).__name__}: {error}"})
    return answers


def validate(path):
    from stix2validator import ValidationOptions, validate_file

    result = validate_file(path, ValidationOptions(version="2.1"))
    errors, warnings = [], []
    for obj in result.object_results:
        errors += [f"{obj.object_id}: {e}" for e in obj.errors]
        warnings += [f"{obj.object_id}: {w}" for w in obj.warnings]
    return {"valid": bool(result.is_valid), "errors": errors, "warnings": warnings}


request = json.load(sys.stdin)
answer = match_all(request["match"]) if "match" in request else validate(request["validate"])
json.dump(answer, sys.stdout)
