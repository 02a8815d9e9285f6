-- One line that changes if anything the dump carries differs.
SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
  SELECT 'c:' || c::text AS x FROM customers c
  UNION ALL SELECT 'o:' || o::text FROM "Mixed"."Order Items" o
  UNION ALL SELECT 'a:' || a::text FROM audit a
  UNION ALL SELECT 'v:' || v::text FROM customer_totals v
  UNION ALL SELECT 'm:' || m::text FROM happy m
  UNION ALL SELECT 's:' || last_value || is_called FROM order_no
  UNION ALL SELECT 'lo:' || encode(lo_get(424242), 'hex')
  UNION ALL SELECT 'i:' || indexdef FROM pg_indexes WHERE schemaname IN ('public', 'Mixed')
  UNION ALL SELECT 't:' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT 'k:' || conname || pg_get_constraintdef(oid) FROM pg_constraint
    WHERE connamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('public', 'Mixed'))
  UNION ALL SELECT 'd:' || pg_describe_object(classoid, objoid, objsubid) || description
    FROM pg_description WHERE objoid >= 16384
  UNION ALL SELECT 'e:' || enumlabel || enumsortorder FROM pg_enum
) facts;
