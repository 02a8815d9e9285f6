#!/usr/bin/env python3
"""Suggests known_differences.tsv lines for the test files of a run that do
not pass, from what their diffs contain (a starting point: read the diffs).

  triage.py OUT_DIR      (the OUT_DIR of suite.sh/report.sh, with --fresh)
"""
import difflib
import re
import sys
from pathlib import Path

# (category, why) by the first pattern found in the changed lines.
RULES = [
    (r"invalid indirect call|instance is broken", "bug", "B3/B4: CREATE SUBSCRIPTION traps, then the server hangs"),
    (r"check_encoding_conversion_args", "bug", "B5: encoding conversion modules miss an export"),
    (r"regress\.so|binary_coercible|widget_in|test_atomic_ops|make_tuple_indirect|test_canonicalize_path|"
     r"test_opclass_options_func|interpt_pp|overpaid|reverse_name|trigger_return_old|ttdummy|"
     r"test_support_func|test_fdw_handler|test_enc_conversion|test_relpath|get_columns_length|"
     r"test_inline_in_from_support_func|wait_pid|binary_coercible",
     "no-regress-so", "needs C functions from regress.so"),
    (r"Workers Launched|parallel worker|Worker \d+:", "no-workers", "parallel workers are never launched"),
    (r"stack depth limit exceeded", "32-bit-wasm", "stack depth is measured on the wasm stack: the limit is reached later"),
]
# Session state that one backend cannot keep per client (docs/SERVER.md).
SHARED = [
    (r"lastval is not yet defined|currval of sequence", "sequence session state (lastval/currval) is shared"),
    (r"pg_prepared_statements|prepared statement \"\w+\" already exists|PREPARE \w+ AS",
     "SQL-level PREPARE is shared by all clients"),
    (r"pg_advisory|advisory", "advisory session locks are shared"),
    (r"WITH HOLD|cursor \"\w+\" already exists", "cursors WITH HOLD are shared"),
]
ROLE = re.compile(r"permission denied|must be owner|must be able to SET ROLE|does not exist|"
                  r"current_user|session_user|privileges of role")
SETTING = re.compile(r"\b(PST|PDT|UTC)\b|\d{4}-\d\d-\d\d|DateStyle|TimeZone", re.I)


def changed(a, b):
    return [line[1:] for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def read(p):
    try:
        return p.read_text(errors="replace")
    except OSError:
        return ""


def suggest(test, out):
    native = read(out / "native/results" / f"{test}.out")
    fresh = read(out / "fresh/results" / f"{test}.out")
    mux = read(out / "pglite/results" / f"{test}.out")
    fresh_lines = "\n".join(changed(native, fresh)) if fresh and fresh != native else ""
    mux_lines = "\n".join(changed(native, mux))
    for text in (fresh_lines, mux_lines):
        for pat, cat, why in RULES:
            if text and re.search(pat, text):
                return cat, why
    if fresh and not fresh_lines:
        if re.search(r"permission denied|must be owner", mux_lines):  # B1 first: it explains the rest
            return "bug", "B1: another client's SET ROLE leaks (multiplexed run only)"
        for pat, why in SHARED:
            if re.search(pat, mux_lines):
                return "single-backend", why
        if ROLE.search(mux_lines):
            return "bug", "B1: another client's SET ROLE leaks (multiplexed run only)"
        if SETTING.search(mux_lines):
            return "bug", "B2: RESET returns to the server default (multiplexed run only)"
        return "bug", "multiplexed run only: cascade of B1/B6 (passes in a fresh backend)"
    return "bug", "differs in a fresh backend too: to investigate"


def main():
    out = Path(sys.argv[1])
    report = sys.stdin.read() if not sys.stdin.isatty() else ""
    tests = re.findall(r"^regress: (\S+): (?:DIFFERS|FAILED-TO-RUN|HANG)", report, re.M)
    for t in tests:
        cat, why = suggest(t, out)
        print(f"{t}\t{cat}\t{why}")


if __name__ == "__main__":
    main()
