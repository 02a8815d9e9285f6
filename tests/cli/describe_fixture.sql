-- The catalog that tests/cli/describe_test.py describes with psql (through
-- `pglite serve`) and with the pglite CLI, comparing the output.
CREATE EXTENSION hstore;
CREATE EXTENSION pg_trgm;

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application schema';
CREATE SCHEMA "Mixed Schema";

CREATE TABLE customers (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name varchar(100) COLLATE "C",
  created_at timestamptz NOT NULL DEFAULT now(),
  score numeric(8,2) DEFAULT 0 CHECK (score >= 0),
  attrs hstore
);
COMMENT ON TABLE customers IS 'people who buy things';
COMMENT ON COLUMN customers.email IS 'login address';
CREATE INDEX customers_lower_email ON customers (lower(email));
CREATE INDEX customers_recent ON customers (created_at) WHERE score > 10;
CREATE INDEX customers_name_trgm ON customers USING gin (name gin_trgm_ops);

CREATE TABLE orders (
  order_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  quantity integer NOT NULL CONSTRAINT positive_quantity CHECK (quantity > 0),
  price numeric(10,2),
  total numeric GENERATED ALWAYS AS (quantity * price) STORED,
  note text COMPRESSION pglz,
  CONSTRAINT order_note_len CHECK (char_length(note) < 500),
  UNIQUE (customer_id, order_id) DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE orders ALTER COLUMN note SET STORAGE external;
ALTER TABLE orders ALTER COLUMN price SET STATISTICS 500;

CREATE FUNCTION touch_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN NEW;
END $$;
COMMENT ON FUNCTION touch_order() IS 'trigger helper';
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION touch_order();
CREATE TRIGGER orders_audit AFTER DELETE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION touch_order();
ALTER TABLE orders DISABLE TRIGGER orders_audit;

CREATE TABLE app.items (
  sku text PRIMARY KEY,
  label text DEFAULT 'unnamed'::text,
  weight real,
  tags text[]
) WITH (fillfactor = 70);
CREATE TABLE app.special_items (extra int) INHERITS (app.items);
CREATE UNLOGGED TABLE app.scratch (k int, v jsonb);

CREATE TABLE "Mixed Schema"."CamelTable" ("Id" int PRIMARY KEY, "Value Text" text);
CREATE TABLE "MixedCase" (a int);
CREATE TABLE mixedcase (b int);

CREATE TABLE measurements (city_id int NOT NULL, logdate date NOT NULL, peak int)
  PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2024 PARTITION OF measurements
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_rest PARTITION OF measurements DEFAULT;
CREATE INDEX measurements_city ON measurements (city_id);

CREATE VIEW customer_emails AS SELECT id, email FROM customers WHERE score > 0;
COMMENT ON VIEW customer_emails IS 'who to mail';
CREATE VIEW app.item_labels AS SELECT sku, upper(label) AS label FROM app.items;
CREATE MATERIALIZED VIEW order_totals AS
  SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE UNIQUE INDEX order_totals_customer ON order_totals (customer_id);

CREATE SEQUENCE invoice_numbers START 1000 INCREMENT 10 MAXVALUE 99999 CYCLE;
CREATE SEQUENCE app.small_seq AS smallint CACHE 5;
CREATE TABLE tickets (id int DEFAULT nextval('invoice_numbers'), body text);
ALTER SEQUENCE invoice_numbers OWNED BY tickets.id;

CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT x + 1';
CREATE FUNCTION app.greet(who text DEFAULT 'world', OUT greeting text)
  LANGUAGE sql STABLE AS $$ SELECT 'hello ' || who $$;
CREATE FUNCTION app.numbers(n int) RETURNS SETOF int LANGUAGE sql
  AS 'SELECT generate_series(1, n)';
CREATE AGGREGATE app.my_sum(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');
CREATE PROCEDURE app.reset_scratch() LANGUAGE sql AS 'DELETE FROM app.scratch';
COMMENT ON PROCEDURE app.reset_scratch() IS 'empties scratch';
CREATE FUNCTION "Mixed Schema"."CamelFunc"(a int, b int) RETURNS int
  LANGUAGE sql SECURITY DEFINER AS 'SELECT a * b';

-- Less common footers: exclusion constraint, clustered and NULLS NOT
-- DISTINCT indexes, replica identity, statistics objects, rules, policies,
-- publications, typed and foreign tables, roles.
CREATE TABLE bookings (
  room int NOT NULL,
  during tsrange,
  code text,
  EXCLUDE USING gist (during WITH &&)
);
CREATE UNIQUE INDEX bookings_code ON bookings (code) NULLS NOT DISTINCT;
CREATE INDEX bookings_room ON bookings (room);
CLUSTER bookings USING bookings_room;
ALTER TABLE bookings REPLICA IDENTITY FULL;
CREATE STATISTICS bookings_stats (ndistinct) ON room, code FROM bookings;
CREATE STATISTICS app.items_stats ON sku, label FROM app.items;
CREATE RULE bookings_no_delete AS ON DELETE TO bookings DO INSTEAD NOTHING;
CREATE RULE item_labels_insert AS ON INSERT TO app.item_labels DO INSTEAD
  INSERT INTO app.items (sku, label) VALUES (NEW.sku, NEW.label);
ALTER TABLE app.scratch ENABLE ROW LEVEL SECURITY;
CREATE POLICY scratch_own ON app.scratch FOR SELECT USING (k > 0);
CREATE POLICY scratch_strict ON app.scratch AS RESTRICTIVE TO postgres USING (true) WITH CHECK (k < 100);
CREATE PUBLICATION orders_pub FOR TABLE orders (order_id, quantity) WHERE (quantity > 1), tickets;
CREATE PUBLICATION app_pub FOR TABLES IN SCHEMA app;
CREATE TYPE app.pair AS (left_part int, right_part text);
CREATE TABLE app.pairs OF app.pair;
CREATE FOREIGN DATA WRAPPER dummy_fdw;
CREATE SERVER dummy_server FOREIGN DATA WRAPPER dummy_fdw;
CREATE FOREIGN TABLE remote_things (id int OPTIONS (column_name 'ident') NOT NULL, body text)
  SERVER dummy_server OPTIONS (table_name 'things');
CREATE ROLE reader NOLOGIN;
CREATE ROLE writer LOGIN CREATEDB CONNECTION LIMIT 3 VALID UNTIL '2030-01-01 00:00:00+00' IN ROLE reader;
CREATE ROLE "Mixed Role" NOINHERIT REPLICATION BYPASSRLS CONNECTION LIMIT 1;
COMMENT ON ROLE reader IS 'read only';

-- Objects for the other listing commands: domains, enums, privileges,
-- default privileges, an event trigger, a user mapping, role settings.
CREATE DOMAIN app.positive_int AS integer DEFAULT 1 NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN short_text AS text COLLATE "C" CHECK (length(VALUE) < 10);
COMMENT ON DOMAIN short_text IS 'at most nine characters';
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
GRANT SELECT ON customers TO reader;
GRANT SELECT (id, email), UPDATE (email) ON customers TO writer;
GRANT USAGE ON SCHEMA app TO reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO reader;
ALTER DEFAULT PRIVILEGES FOR ROLE writer REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER ddl_log ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION log_ddl();
COMMENT ON EVENT TRIGGER ddl_log IS 'watches tables';
CREATE USER MAPPING FOR writer SERVER dummy_server OPTIONS (user 'w', password 'secret');
ALTER ROLE writer SET work_mem = '8MB';
ALTER ROLE writer IN DATABASE postgres SET search_path = app, public;

COMMENT ON TRIGGER orders_touch ON orders IS 'keeps orders fresh';
COMMENT ON CONSTRAINT positive_quantity ON orders IS 'no empty orders';
COMMENT ON RULE bookings_no_delete ON bookings IS 'bookings stay';
SELECT lo_create(4242);
COMMENT ON LARGE OBJECT 4242 IS 'a blob';
CREATE COLLATION app.german (provider = libc, locale = 'C');

INSERT INTO customers (email, name, score) VALUES ('a@example.com', 'Ann', 12), ('b@example.com', 'Bob', 3);
INSERT INTO orders (customer_id, quantity, price) VALUES (1, 2, 9.50), (2, 1, 100);
REFRESH MATERIALIZED VIEW order_totals;
CHECKPOINT;
