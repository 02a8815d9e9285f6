-- A schema without PostgreSQL 17-only features, for the way out to native
-- PostgreSQL 15 (native_restore_test.sh).
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE SCHEMA "Mixed";
CREATE SEQUENCE order_no START 1000 INCREMENT 7;
SELECT setval('order_no', 4242, true);
CREATE TABLE customers (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  mood mood DEFAULT 'ok',
  credit positive_int,
  tags text[],
  meta jsonb,
  created date DEFAULT '2024-01-02'
);
CREATE TABLE "Mixed"."Order Items" (
  "Id" bigint PRIMARY KEY DEFAULT nextval('order_no'),
  "customerId" int REFERENCES customers(id) ON DELETE CASCADE,
  "Amount" numeric(12,2) CHECK ("Amount" >= 0),
  note text
);
CREATE INDEX customers_lower_name ON customers (lower(name));
CREATE TABLE audit (id serial PRIMARY KEY, what text);
CREATE FUNCTION audit_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit (what) VALUES (TG_OP || ' ' || NEW.name);
  RETURN NEW;
END $$;
CREATE TRIGGER customers_audit AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION audit_customer();
CREATE VIEW customer_totals AS
  SELECT c.id, c.name, coalesce(sum(o."Amount"), 0) AS total
  FROM customers c LEFT JOIN "Mixed"."Order Items" o ON o."customerId" = c.id GROUP BY c.id, c.name;
CREATE MATERIALIZED VIEW happy AS SELECT id, name FROM customers WHERE mood = 'happy';
COMMENT ON TABLE customers IS 'people who buy things';
COMMENT ON COLUMN customers.mood IS 'how they feel';
INSERT INTO customers (name, mood, credit, tags, meta) VALUES
  ('Ann', 'happy', 5, '{a,b}', '{"k": [1, 2]}'),
  ('Bob "the builder"', 'sad', 1, NULL, NULL),
  (E'Tab\there, new\nline', 'ok', 3, '{"x y"}', '{"q": "it''s"}');
INSERT INTO "Mixed"."Order Items" ("customerId", "Amount", note)
  SELECT 1 + g % 3, g * 1.25, 'item ' || g FROM generate_series(1, 500) g;
REFRESH MATERIALIZED VIEW happy;
SELECT lo_from_bytea(424242, '\x00010203deadbeef'::bytea);
