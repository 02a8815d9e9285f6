-- The database both psql (through `pglite serve`) and `pglite -f` read.
CREATE TABLE fruit (id int PRIMARY KEY, name text, price numeric(8,2), note text, picked date);
INSERT INTO fruit VALUES
  (1, 'apple', 1.50, NULL, '2024-09-01'),
  (2, 'banana split', 12.00, E'multi\nline', '2024-09-02'),
  (3, 'cherry', 100.25, 'x', NULL),
  (4, 'ドリアン', 7.00, 'wide, "quoted"', '2024-09-04');
CREATE TABLE loaded (a int, b text);
CREATE VIEW cheap AS SELECT id, name FROM fruit WHERE price < 10;
