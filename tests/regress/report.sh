#!/usr/bin/env bash
# Regenerates the compatibility report, fresh-backend mode included:
# docs/COMPATIBILITY.md for the PostgreSQL 17 suite, docs/COMPATIBILITY-ci.md
# for the PostgreSQL 15.18 suite CI runs where the 17 source cannot be had
# (PGLITE_REGRESS_SUITE=15 report.sh makes that one anywhere). Its exit
# status is compare.py's (the report is written anyway).
#   report.sh [PGLITE_BIN] [OUT_DIR]
here=$(cd "$(dirname "$0")" && pwd)
doc=COMPATIBILITY.md
[ "${PGLITE_REGRESS_SUITE:-}" = 15 ] && doc=COMPATIBILITY-ci.md
exec "$here/suite.sh" "$@" --fresh --markdown "$here/../../docs/$doc"
