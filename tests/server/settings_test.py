#!/usr/bin/env python3
"""Session settings are per client although clients share one backend:
what one connection SETs is invisible to another and survives the other's
turns. Runs under server.sh (uses $SERVER_URL)."""
import os

import psycopg2

url = os.environ["SERVER_URL"]
a = psycopg2.connect(url)
b = psycopg2.connect(url)
a.autocommit = b.autocommit = True
ca, cb = a.cursor(), b.cursor()


def show(cur, name):
    cur.execute("SHOW " + name)
    return cur.fetchone()[0]


ca.execute("SET work_mem = '7MB'")
ca.execute("SET search_path = pg_catalog")
assert show(cb, "work_mem") == "4MB", "b sees a's work_mem"
assert show(ca, "work_mem") == "7MB", "a lost its work_mem"
cb.execute("SET datestyle = 'German'")
assert show(ca, "search_path") == "pg_catalog", "a lost its search_path"
assert not show(ca, "datestyle").startswith("German"), "a sees b's datestyle"
assert show(cb, "datestyle").startswith("German"), "b lost its datestyle"
assert show(cb, "search_path") != "pg_catalog", "b sees a's search_path"
ca.execute("RESET work_mem")
assert show(ca, "work_mem") == "4MB", "RESET not kept"
print("settings: isolated per client")
