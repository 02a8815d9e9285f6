#!/usr/bin/env bash
# Linux arm64: cross-builds into ./build-arm64 (scripts/build-arm64.sh) and
# runs the core suites under qemu-user (qemu-aarch64-static with
# the multiarch libc6:arm64, no binfmt registration needed):
#   - the unit suites (file-system sandbox and its clones, memory
#     directories, timers, storage, protocol, wire, statement scanning,
#     session state)
#   - the integration suites: lifecycle (traps, stacks, cancel, sandbox),
#     queries, archives, dump, corruption/checksums, the C API, scripts,
#     timeouts, memory limits, encodings, clones (one differential seed)
#   - the extensions' smoke tests
#   - the CLI (`pglite -c 'SELECT version()'`) and the server with the host's
#     psql against the emulated `pglite serve` (tests/server/psql_test.sh)
#   - tests/crossarch: a database written on x86-64 opens on arm64 with the
#     same answers, and the other way round (data directory and archive)
# Left out (see README "Platforms"): the suites that exist to compare with
# native PostgreSQL or time things (regress, bench, cli comparisons with psql
# 15), the server's client matrix beyond psql, packaging/install, standalone
# (chroot, offline build), reliability (crash trials), Binary (nm on the
# artifacts), and the slowest sweeps (see EXCLUDE below).
#
# Needs a native build in ./build (scripts/build.sh): its template PGDATA
# (architecture-independent) is embedded instead of running initdb under
# qemu, and its crossarch_tool is the x86-64 side of tests/crossarch.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps-arm64.sh
native=${PGLITE_NATIVE_BUILD:-build}
cmake --build "$native" --target pglite_template crossarch_tool
export PGLITE_HOST_TEMPLATE="$native/template/pgdata.tar.zst"
start=$(date +%s)
./scripts/build-arm64.sh
echo "arm64 cross-build: $(($(date +%s) - start)) s"

QEMU="qemu-aarch64-static"  # loader and libc from libc6:arm64 (see the toolchain file)
B=build-arm64
start=$(date +%s)

# gtest suites: ctest runs them through CMAKE_CROSSCOMPILING_EMULATOR.
UNIT='^(BundleTest|FsTest|MemoryDirTest|MemoryImageTest|DifferentialTest|IntervalTimers|DataDirTest|Collector|Decode'
UNIT+='|Encode|Framing|Frontend|ParamTest|ResultTest|TextConversions|Wire|StatementScan|SessionState|SqlStatements'
UNIT+='|TempSchemas|Multiplexer|FsCloneTest)\.'
INTEGRATION='|^(Lifecycle|QueryTest|ArchiveTest|Dump|Corruption|CApi|Script|Timeouts|MemoryLimit|EncodingTest|CloneTest)\.'
INTEGRATION+='|^Seeds/CloneDifferential\.ClonesNeverSeeEachOthersWrites/0$'
EXTENSIONS='|^ExtensionList\.|ExtensionSmoke\.DoesRealWork'
# Timing assertions (MemoryDirPerfTest) do not hold under emulation; the
# longest sweeps repeat what the shorter tests of the same suites cover.
EXCLUDE='^(MemoryDirPerfTest|SessionFidelity\.HundredThousandErrors|EncodingTest\.SweepOfAllConversions)'
ctest --test-dir "$B" -j2 --output-on-failure --timeout 600 -R "$UNIT$INTEGRATION$EXTENSIONS" -E "$EXCLUDE"

# The CLI, emulated.
out=$($QEMU "$B/bin/pglite" -c 'SELECT version()')
echo "$out"
grep -q 'PostgreSQL 17.5' <<<"$out"

# The server, emulated, with the host's psql.
PGLITE_SERVER_CMD="$QEMU $PWD/$B/bin/pglite serve" \
  ctest --test-dir "$B" --output-on-failure --timeout 300 -R '^server\.psql\.(tcp|unix)$'

# The same database on both architectures.
tests/crossarch/crossarch_test.sh "$native/tests/crossarch/crossarch_tool" \
  "$QEMU $B/tests/crossarch/crossarch_tool"
echo "arm64 emulated tests: $(($(date +%s) - start)) s"
