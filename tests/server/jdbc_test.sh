#!/usr/bin/env bash
# Compiles JdbcTest.java and runs it against the server. Runs under server.sh.
set -euo pipefail
javac -d "$SERVER_SCRATCH" "$(dirname "$0")/JdbcTest.java"
java -cp "$SERVER_SCRATCH:/usr/share/java/postgresql.jar" JdbcTest
