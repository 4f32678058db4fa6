"""Prints the ids the OASIS stix2 library derives for the SCOs given on stdin (a JSON list, ids removed).

Used by ids.test.ts as an independent implementation of STIX 2.1 deterministic identifiers.
"""
import json
import sys

import stix2

objects = json.load(sys.stdin)
print(json.dumps([stix2.parse(obj, allow_custom=True, version="2.1").id for obj in objects]))
