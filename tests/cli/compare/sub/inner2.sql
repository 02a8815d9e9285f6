\echo in sub/inner2.sql (found relative to sub/inner.sql)
SELECT name FROM cheap ORDER BY id;
