\echo in sub/inner.sql
SELECT count(*) AS fruits FROM fruit;
\ir inner2.sql
