#!/usr/bin/env bash
# Regenerates docs/COMPATIBILITY.md: the whole suite, fresh-backend mode
# included. Its exit status is compare.py's (the report is written anyway).
#   report.sh [PGLITE_BIN] [OUT_DIR]
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/suite.sh" "$@" --fresh --markdown "$here/../../docs/COMPATIBILITY.md"
