-- Training SQL for profile-guided optimisation of the generated Postgres code
-- (PGLITE_PGO): regression-style statements over the executor, planner,
-- PL/pgSQL, sorting, hashing, text, numeric, JSON, arrays and COPY, run by the
-- instrumented build next to the speed suite. Deterministic; ends clean.
\set ON_ERROR_STOP 1
CREATE TABLE t1 (a int PRIMARY KEY, b int, c text, d numeric, e timestamptz, f jsonb);
INSERT INTO t1
  SELECT i, (i * 7919) % 1000, md5(i::text), (i % 977) / 7.0,
         '2024-01-01'::timestamptz + i * interval '1 minute',
         jsonb_build_object('k', i % 13, 'v', repeat('x', i % 17), 'arr', jsonb_build_array(i, i + 1))
  FROM generate_series(1, 60000) i;
CREATE INDEX t1_b ON t1 (b);
CREATE INDEX t1_c ON t1 (c text_pattern_ops);
CREATE INDEX t1_f ON t1 USING gin (f);
ANALYZE t1;
CREATE TABLE t2 AS SELECT i AS a, i % 100 AS g, (i * 31) % 5000 AS b, 'name ' || i AS s
  FROM generate_series(1, 40000) i;
CREATE INDEX t2_a ON t2 (a);
ANALYZE t2;

SELECT count(*), sum(b), avg(d), min(c), max(e) FROM t1;
SELECT b, count(*), sum(d), string_agg(left(c, 4), ',' ORDER BY a) FROM t1 WHERE a % 7 = 0 GROUP BY b ORDER BY 2 DESC, 1 LIMIT 20;
SELECT g, count(DISTINCT b), percentile_cont(0.5) WITHIN GROUP (ORDER BY b) FROM t2 GROUP BY g ORDER BY g LIMIT 10;
SELECT t1.a, t2.s FROM t1 JOIN t2 ON t1.b = t2.g WHERE t1.a < 500 ORDER BY t1.a, t2.a LIMIT 50;
SELECT count(*) FROM t1 JOIN t2 USING (a) WHERE t2.g < 50;
SET enable_hashjoin = off;
SELECT count(*) FROM t1 JOIN t2 ON t1.a = t2.b;
SET enable_mergejoin = off;
SELECT count(*) FROM t1 JOIN t2 ON t1.a = t2.a WHERE t1.b < 100;
RESET enable_hashjoin;
RESET enable_mergejoin;
SELECT a, b, sum(b) OVER (PARTITION BY b % 10 ORDER BY a ROWS BETWEEN 3 PRECEDING AND CURRENT ROW),
       rank() OVER (ORDER BY d DESC), lag(c) OVER (ORDER BY a)
  FROM t1 WHERE a <= 3000 ORDER BY a LIMIT 20;
SELECT * FROM t1 WHERE c LIKE 'ab%' ORDER BY a LIMIT 10;
SELECT count(*) FROM t1 WHERE c ~ '^[0-9a]{3}f' OR c ILIKE '%ff%';
SELECT count(*) FROM t1 WHERE f @> '{"k": 3}';
SELECT f->>'k', count(*) FROM t1 GROUP BY 1 ORDER BY 1;
SELECT jsonb_pretty(jsonb_agg(f)) FROM (SELECT f FROM t1 ORDER BY a LIMIT 5) s;
SELECT to_char(e, 'YYYY-MM-DD HH24:MI'), date_trunc('hour', e), extract(dow FROM e) FROM t1 ORDER BY a DESC LIMIT 5;
SELECT sum(d * d), stddev(d), variance(b), sum(a::numeric * 1.0001) FROM t1;
SELECT upper(c), lower(s), replace(s, 'name', 'n'), split_part(s, ' ', 2), length(c), position('a' IN c)
  FROM t1 JOIN t2 USING (a) ORDER BY a LIMIT 100;
SELECT array_agg(a ORDER BY a DESC) FILTER (WHERE a % 1000 = 0), unnest(ARRAY[1, 2, 3]) FROM t1;
SELECT * FROM (SELECT a, b FROM t1 ORDER BY b, a) s WHERE a % 5000 = 1;
SELECT count(*) FROM (SELECT DISTINCT c FROM t1) s;
SELECT a FROM t1 EXCEPT SELECT a FROM t2 ORDER BY 1 LIMIT 5;
SELECT a FROM t1 WHERE b IN (SELECT g FROM t2 WHERE a < 100) AND EXISTS (SELECT 1 FROM t2 WHERE t2.a = t1.a) LIMIT 5;
WITH RECURSIVE r(n, f) AS (SELECT 1, 1::numeric UNION ALL SELECT n + 1, f * (n + 1) FROM r WHERE n < 200)
  SELECT max(n), max(f)::text FROM r;
EXPLAIN (COSTS OFF) SELECT * FROM t1 WHERE b = 5 AND c > 'a' ORDER BY e;

CREATE FUNCTION fib(n int) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE a bigint := 0; b bigint := 1; t bigint;
BEGIN
  FOR i IN 1..n LOOP t := a + b; a := b; b := t; END LOOP;
  RETURN a;
END $$;
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.b := NEW.b + 1;
  IF NEW.c IS NULL THEN NEW.c := 'none'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER t1_bump BEFORE UPDATE ON t1 FOR EACH ROW EXECUTE FUNCTION bump();
SELECT sum(fib(a % 60)) FROM t2 WHERE a <= 5000;
DO $$
DECLARE r record; n int := 0;
BEGIN
  FOR r IN SELECT a, c FROM t1 WHERE a <= 5000 LOOP
    n := n + length(r.c);
    IF r.a % 1000 = 0 THEN
      BEGIN
        PERFORM 1 / 0;
      EXCEPTION WHEN division_by_zero THEN n := n + 1;
      END;
    END IF;
  END LOOP;
  RAISE NOTICE 'n = %', n;
END $$;
UPDATE t1 SET c = NULL, d = d + 1 WHERE a % 10 = 0;
UPDATE t1 SET b = b + 1 WHERE b BETWEEN 10 AND 40;
DELETE FROM t1 WHERE a % 11 = 0;
INSERT INTO t1 (a, b, c, d) SELECT a + 100000, g, s, b FROM t2 WHERE a % 3 = 0
  ON CONFLICT (a) DO UPDATE SET b = excluded.b;
MERGE INTO t2 USING (SELECT a, b FROM t1 WHERE a % 17 = 0) s ON t2.a = s.a
  WHEN MATCHED THEN UPDATE SET b = s.b WHEN NOT MATCHED THEN INSERT VALUES (s.a, 0, s.b, 'merged');
VACUUM ANALYZE t1;
COPY (SELECT a, b, c, d, e FROM t1 ORDER BY a LIMIT 20000) TO STDOUT WITH (FORMAT csv);
CREATE TABLE t3 (a int, b text, c numeric);
COPY t3 FROM STDIN WITH (FORMAT csv);
1,one,1.5
2,two,2.5
3,three,3.5
\.
CREATE TEMP TABLE tt AS SELECT * FROM t2 WHERE a < 1000;
CREATE VIEW v1 AS SELECT g, count(*) AS n FROM t2 GROUP BY g;
SELECT * FROM v1 ORDER BY n DESC, g LIMIT 3;
BEGIN;
SAVEPOINT s1;
DELETE FROM t2;
ROLLBACK TO s1;
SELECT count(*) FROM t2;
COMMIT;
PREPARE q(int) AS SELECT c, d FROM t1 WHERE a = $1;
EXECUTE q(1); EXECUTE q(2); EXECUTE q(3); EXECUTE q(4); EXECUTE q(5); EXECUTE q(6);
SELECT format('%s-%s', a, b), a::text || b, to_number('12,345.6', '99G999D9'), now() IS NOT NULL FROM t2 LIMIT 10;
SELECT generate_series(1, 10) * 2.5, random() IS NOT NULL, gen_random_uuid() IS NOT NULL;
CREATE INDEX t2_s ON t2 (lower(s));
REINDEX TABLE t2;
CLUSTER t2 USING t2_a;
DROP VIEW v1;
DROP TABLE t3, t2;
TRUNCATE t1;
DROP TABLE t1;
CHECKPOINT;
