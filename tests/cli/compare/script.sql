-- Run by psql 15 against `pglite serve` and by `pglite -f`; stdout must match
-- (see psql_compare_test.sh for what is normalised).
\echo === aligned, border 0 1 2
SELECT * FROM fruit ORDER BY id;
\pset border 0
SELECT * FROM fruit ORDER BY id;
\pset border 2
SELECT * FROM fruit ORDER BY id;
\pset border 3
SELECT 'x' AS drawn_as_border_2;
\pset border 1
SELECT 1 AS one WHERE false;
SELECT 'x' AS just_one;
\pset pager off

\echo === expanded
\x
SELECT * FROM fruit ORDER BY id;
\pset border 0
SELECT * FROM fruit ORDER BY id;
\pset border 2
SELECT * FROM fruit ORDER BY id;
\pset border 1
SELECT 1 AS one WHERE false;
\x off
SELECT id, name FROM fruit ORDER BY id \gx
\x auto
\pset columns 30
SELECT * FROM fruit ORDER BY id;
SELECT 1 AS narrow;
\pset columns 0
\x off

\echo === null, title, footer, tuples_only
\pset null '(null)'
\pset title 'Fruit list'
SELECT id, note FROM fruit ORDER BY id;
\pset title
\pset footer off
SELECT id, note FROM fruit ORDER BY id;
\pset footer
\pset footer on
\t
SELECT id, note FROM fruit ORDER BY id;
\pset border 2
SELECT id, note FROM fruit ORDER BY id;
\x on
SELECT id, note FROM fruit ORDER BY id;
\x off
\pset border 1
\t off
\pset tuples_only on
SELECT 'tuples only' AS t;
\pset tuples_only off
\pset null ''

\echo === unaligned and csv
\a
SELECT * FROM fruit ORDER BY id;
\pset fieldsep ';'
SELECT * FROM fruit ORDER BY id;
\x
SELECT * FROM fruit ORDER BY id;
\x off
\pset recordsep '<RS>'
SELECT id, name FROM fruit ORDER BY id;
\echo
\pset recordsep '\n'
\pset fieldsep '|'
\t on
SELECT id, name FROM fruit ORDER BY id;
\t off
\a
\pset format csv
SELECT * FROM fruit ORDER BY id;
\pset csv_fieldsep ';'
SELECT * FROM fruit ORDER BY id;
\pset csv_fieldsep ','
\x on
SELECT * FROM fruit ORDER BY id;
\x off
\pset format aligned
\pset format unaligned
\pset format u
\pset format al
\pset

\echo === echo and variables
\echo plain   words 'single  quoted' "double quoted" 'it''s' 'tab\there'
\echo -n no newline
\echo
\set fruit_name cherry
\echo :fruit_name :'fruit_name' :"fruit_name"
SELECT id FROM fruit WHERE name = :'fruit_name';

\echo === copy
\copy loaded from 'data.tsv'
\copy loaded (a, b) from 'data.csv' with (format csv, header)
\copy loaded from stdin
20	twenty
21	twenty-one
\.
\copy loaded (b, a) from stdin with (format csv)
"twenty-two, csv",22
\.
SELECT * FROM loaded ORDER BY a;
\copy loaded to stdout
\copy (SELECT id, name FROM fruit ORDER BY id) to stdout with (format csv, header)
\copy (SELECT id, note FROM fruit ORDER BY id) to 'fruit.csv' with (format csv)
\copy loaded to 'loaded.tsv'
\copy fruit to pstdout with csv
COPY (SELECT 1 AS copied) TO STDOUT;

\echo === include and output redirection
\i sub/inner.sql
\o results.txt
SELECT name, price FROM fruit ORDER BY id;
\echo this echo goes to stdout
\qecho this qecho goes to results.txt
\copy loaded to stdout
\copy loaded to pstdout
INSERT INTO loaded VALUES (30, 'thirty');
\o
SELECT 'stdout again' AS back;

\echo === encoding
\encoding
\encoding LATIN1
\encoding
SELECT 'café' AS latin1;
\encoding UTF8
SELECT 'café' AS utf8;

\echo === timing and conninfo
\timing on
SELECT 1 AS timed;
\timing off
\timing
\timing
\conninfo

\echo === edge cases: empty results, multi-line headers, control characters
\t on
SELECT 1 AS a WHERE false;
\x on
SELECT 1 AS a WHERE false;
\pset format csv
SELECT 1 AS a, 'x' AS b;
\pset format unaligned
SELECT 1 AS a WHERE false;
SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y';
\t off
SELECT 1 AS a WHERE false;
\x off
SELECT 1 AS a WHERE false;
\pset format aligned
\x on
SELECT 1 AS "multi
line header", E'v1\nv2' AS b;
\pset border 0
SELECT 1 AS "multi
line header", E'v1\nv2' AS b;
\pset border 2
SELECT 1 AS "multi
line header", E'v1\nv2' AS b;
\x off
SELECT 1 AS "multi
line header", E'v1\nv2' AS b;
\pset border 0
SELECT 1 AS "multi
line header", E'v1\nv2' AS b;
\pset border 1
SELECT;
\pset border 2
SELECT;
\pset border 1
SELECT E'a\tb' AS tab, E'\x01' AS ctl, E'cr\rx' AS cr;

\echo === several commands on a line
\x \t
SELECT 1 AS a, 2 AS b;
\x off \t off
SELECT 1 AS a, 2 AS b;
\echo first \\ \echo second
\pset border 2 \pset format unaligned \pset format aligned
SELECT 'border two' AS b;
\pset border 1

\echo === query buffer
SELECT 'from buffer'
\g
SELECT 'first' AS again;
\g
\echo done
