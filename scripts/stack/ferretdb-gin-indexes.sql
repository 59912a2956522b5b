-- FerretDB v1 on PostgreSQL turns every equality filter it pushes down into `_jsonb->'field' @> value`,
-- which the btree indexes it creates for createIndexes cannot serve: every find, even by _id, scans its
-- whole table. Here each such btree index over _jsonb expressions gets a GIN twin over the same
-- expressions (GIN serves @>), created by an event trigger as FerretDB creates its indexes, and once at
-- start for indexes made before. Results never change (an index only changes how rows are found).
-- Run by scripts/stack/postgres.ts at every start; the server plans each statement with its values
-- (plan_cache_mode=force_custom_plan), which is what lets the parameterised key match the index.
-- Mirrors one btree index over _jsonb expressions with a GIN index of the same expressions, unless it has one.
CREATE OR REPLACE FUNCTION ferretdb_mirror_index(btree oid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  index_name text;
  table_name text;
  schema_name text;
  columns text;
  mirror text;
BEGIN
  SELECT c.relname, i.indrelid::regclass::text, n.nspname, substring(pg_get_indexdef(i.indexrelid) FROM 'USING btree \((.*)\)$')
    INTO index_name, table_name, schema_name, columns
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indexrelid = btree AND am.amname = 'btree' AND i.indexprs IS NOT NULL;
  IF columns IS NULL OR columns NOT LIKE '%_jsonb%' THEN RETURN; END IF;
  mirror := left(index_name, 59) || '_gin';
  IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = mirror AND n.nspname = schema_name) THEN RETURN; END IF;
  EXECUTE format('CREATE INDEX %I ON %s USING gin (%s) WITH (fastupdate = off)', mirror, table_name, regexp_replace(columns, ' (ASC|DESC)', '', 'g'));
END $$;

CREATE OR REPLACE FUNCTION ferretdb_mirror_new_indexes() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    PERFORM ferretdb_mirror_index(created.objid);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS ferretdb_mirror_new_indexes;
CREATE EVENT TRIGGER ferretdb_mirror_new_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION ferretdb_mirror_new_indexes();
-- Indexes created before (a data directory from an older stack).
SELECT count(ferretdb_mirror_index(i.indexrelid)) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast');
