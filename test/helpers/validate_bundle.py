"""Validates the STIX 2.1 bundle given on stdin with the OASIS stix2-validator.

Prints one JSON object: {"valid": bool, "errors": [...], "warnings": [...]}. Used by test/helpers/stix-validator.ts.
"""
import json
import sys

from stix2validator import ValidationOptions, validate_string

options = ValidationOptions(version="2.1")
results = validate_string(sys.stdin.read(), options)
# A bundle is one object to the validator; its messages name the inner object they concern.
results = results if isinstance(results, list) else [results]
errors = [str(error) for result in results for error in result.errors]
warnings = [str(warning) for result in results for warning in result.warnings]
print(json.dumps({"valid": all(result.is_valid for result in results), "errors": errors, "warnings": warnings}))
