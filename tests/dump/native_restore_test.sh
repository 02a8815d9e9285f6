#!/usr/bin/env bash
# The way out to real PostgreSQL: a database built with `pglite`, dumped with
# `pglite dump` (in-process pg_dump 18), restored with psql into
#   1. native PostgreSQL 15 (Debian), started by server.sh/native-pg-serve.sh;
#   2. `pglite serve`, over the wire;
# each answering facts.sql exactly as the source does. Also: Debian's
# pg_dump 15 against `pglite serve` stops with its server-version check.
#   native_restore_test.sh PGLITE_BIN PSQL PG_DUMP
set -euo pipefail
pglite=$1 psql=$2 pg_dump=$3
here=$(cd "$(dirname "$0")" && pwd)
server_sh=$here/../server/server.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/pglite-dump-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # the native server runs as `postgres` and psql reads files here

"$pglite" -d "$work/src" -v ON_ERROR_STOP=1 -f "$here/schema.sql" >/dev/null
"$pglite" dump -d "$work/src" >"$work/dump.sql"
# pglite's CLI prints aligned output: the value is line 3.
expected=$("$pglite" -d "$work/src" -f "$here/facts.sql" | sed -n 3p | tr -d ' ')
[ ${#expected} -eq 32 ] || { echo "no fact checksum from the source" >&2; exit 1; }

# psql 15 predates \restrict and PostgreSQL 15 has no transaction_timeout:
# the only lines of a pg_dump 18 script that need a newer target.
grep -v -e '^\\restrict ' -e '^\\unrestrict ' -e '^SET transaction_timeout = 0;$' \
  "$work/dump.sql" >"$work/dump15.sql"
chmod 644 "$work/dump.sql" "$work/dump15.sql"

cat >"$work/restore.sh" <<SCRIPT
#!/usr/bin/env bash
set -euo pipefail
"$psql" -X -q -v ON_ERROR_STOP=1 -f "\$1" >/dev/null
got=\$("$psql" -X -At -f "$here/facts.sql")
[ "\$got" = "$expected" ] || { echo "facts differ after restore into \$2: \$got != $expected" >&2; exit 1; }
echo "restored into \$2: facts match ($expected)"
SCRIPT
chmod +x "$work/restore.sh"

PGLITE_SERVER_CMD="$here/../server/native-pg-serve.sh" \
  "$server_sh" run --timeout 120 -- "$work/restore.sh" "$work/dump15.sql" "native PostgreSQL 15"
PGLITE_BIN="$pglite" "$server_sh" run --timeout 120 -- "$work/restore.sh" "$work/dump.sql" "pglite serve"

cat >"$work/old_pg_dump.sh" <<SCRIPT
#!/usr/bin/env bash
if out=\$("$pg_dump" --schema-only 2>&1); then echo "pg_dump 15 dumped a 17 server?" >&2; exit 1; fi
echo "\$out" | grep -q "server version mismatch" || { echo "unexpected: \$out" >&2; exit 1; }
echo "Debian pg_dump 15 refuses the 17 server, as it should: \$(echo "\$out" | head -1)"
SCRIPT
chmod +x "$work/old_pg_dump.sh"
PGLITE_BIN="$pglite" "$server_sh" run --timeout 60 -- "$work/old_pg_dump.sh"
