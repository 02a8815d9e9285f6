// The platform categories of known_differences.tsv, probed on PGlite 0.4.6
// under Node (the same wasm pglite-native translates): each probe prints
// what PGlite does, to show a difference is PGlite's too, not ours.
//   node platform_probe.mjs   (run by platform_probe.sh)
import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create();
const probes = [
  ['32-bit-wasm', "SELECT version() ~ '32-bit' AS is_32bit, (SELECT typlen FROM pg_type WHERE typname = 'internal') AS pointer_bytes"],
  ['no-host-files', "COPY (SELECT 1) TO '/tmp/pglite-probe.out'"],
  ['no-host-files', "CREATE TABLE probe_t(a int); COPY probe_t FROM '/etc/hostname'"],
  ['no-regress-so', "CREATE FUNCTION probe_f() RETURNS int AS '/pglite/lib/regress.so', 'probe_f' LANGUAGE C"],
  ['no-workers', "SELECT current_setting('max_worker_processes') AS max_worker_processes, current_setting('max_parallel_workers') AS max_parallel_workers"],
  ['no-workers', "SELECT count(*) AS background_processes FROM pg_stat_activity WHERE backend_type <> 'client backend'"],
  ['single-backend', "SELECT pg_terminate_backend(pg_backend_pid()) AS terminated_self"],
  ['single-backend', "SELECT count(*) AS backends FROM pg_stat_activity"],
];
for (const [category, sql] of probes) {
  let result;
  try {
    const r = await db.exec(sql);
    result = JSON.stringify(r[r.length - 1].rows);
  } catch (e) {
    result = `ERROR ${e.code}: ${e.message}`;
  }
  console.log(`${category}\t${sql}\t${result}`);
}
await db.close();
