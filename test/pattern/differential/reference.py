"""The OASIS reference matcher (stix2-matcher) as a long-lived process for the differential test.

Reads one JSON object per line, {"pattern", "observations", "version"}, and answers one JSON line:
{"matched": true|false}, or {"error": message, "kind": "syntax"|"match"} when the reference
rejects the pattern (syntax) or fails while matching (match).
"""
import json
import sys

from stix2matcher.matcher import Pattern
from stix2patterns.exceptions import ParseException


def answer(request):
    try:
        compiled = Pattern(request["pattern"], request.get("version", "2.1"))
    except ParseException as error:
        return {"error": str(error), "kind": "syntax"}
    except Exception as error:  # the reference raises plain exceptions for some bad constants
        return {"error": "{}: {}".format(type(error).__name__, error), "kind": "syntax"}
    try:
        return {"matched": bool(compiled.match(request["observations"]))}
    except Exception as error:
        return {"error": "{}: {}".format(type(error).__name__, error), "kind": "match"}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(answer(json.loads(line))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
