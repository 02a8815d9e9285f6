# Repro of B6 (bugs.md): two clients, A switches to a non-superuser role while B
# has a superuser-only setting; B then gets no answer. Usage: repro_b6.py HOST PORT
import sys, psycopg2, threading
dsn = f"host={sys.argv[1]} port={sys.argv[2]} user=postgres dbname=postgres connect_timeout=3 options='-c statement_timeout=0'"
a = psycopg2.connect(dsn); a.autocommit = True
b = psycopg2.connect(dsn); b.autocommit = True
ca, cb = a.cursor(), b.cursor()
ca.execute("drop role if exists regress_b6; create role regress_b6")
steps = [(ca, "set work_mem = '5MB'"), (cb, "set max_stack_depth = '1000kB'"), (ca, "set role regress_b6"),
         (cb, "select 1"), (ca, "select current_user"), (cb, "select current_user"), (ca, "reset role"), (cb, "select 2")]
for c, s in steps:
    done = []
    t = threading.Thread(target=lambda: (c.execute(s), done.append(c.fetchall() if c.description else c.statusmessage)), daemon=True)
    t.start(); t.join(5)
    print("A" if c is ca else "B", s, "=>", done[0] if done else "NO ANSWER in 5 s")
    if not done: sys.exit(1)
