// Benchmark workloads on PGlite under Node, for the cross-engine comparison.
// The `run` algorithm matches our C++ driver step for step, so both sides time
// the same thing: every SQL string goes through exec() (simple query protocol).
//   node compare.mjs run --workloads FILE --out FILE [--storage memory|nodefs --dir DIR]
//   node compare.mjs startup --out FILE [--runs N] [--storage memory|nodefs --dir DIR]
//   node compare.mjs clone --workloads FILE --out FILE [--runs N] [--storage memory|nodefs --dir DIR]
//   node compare.mjs select1 --out FILE [--iterations N]
//   node compare.mjs memory --out FILE [--counts N,N..] [--budget-mib M]
//   node compare.mjs once
// Common: [--target NAME] [--title TEXT]; defaults: --storage memory, --runs 10,
// --iterations 1000, --counts 1, --budget-mib 16384. Usage errors exit 2, SQL
// errors exit 1.
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const MODES = ['run', 'startup', 'clone', 'select1', 'memory', 'once'];
const USAGE = 'usage: node compare.mjs run|startup|clone|select1|memory|once [--workloads FILE]\n' +
  '         [--storage memory|nodefs] [--dir DIR] [--out FILE] [--target NAME] [--title TEXT]\n' +
  '         [--runs N] [--iterations N] [--counts N,N..] [--budget-mib M]\n';

class UsageError extends Error {}

function parseCli(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        workloads: { type: 'string' },
        storage: { type: 'string', default: 'memory' },
        dir: { type: 'string' },
        out: { type: 'string' },
        target: { type: 'string', default: 'pglite' },
        title: { type: 'string', default: 'PGlite (Node)' },
        runs: { type: 'string', default: '10' },
        iterations: { type: 'string', default: '1000' },
        counts: { type: 'string', default: '1' },
        'budget-mib': { type: 'string', default: '16384' },
      },
    });
  } catch (e) {
    throw new UsageError(e.message);
  }
  const { values: opts, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('expected exactly one mode: ' + MODES.join('|'));
  const mode = positionals[0];
  if (!MODES.includes(mode)) throw new UsageError(`unknown mode '${mode}' (expected ${MODES.join('|')})`);
  if (!['memory', 'nodefs'].includes(opts.storage)) throw new UsageError(`--storage must be memory or nodefs, got '${opts.storage}'`);
  if (opts.storage === 'nodefs' && !opts.dir && ['run', 'startup', 'clone'].includes(mode)) {
    throw new UsageError('--storage nodefs needs --dir DIR');
  }
  if (mode !== 'once' && !opts.out) throw new UsageError(`${mode} needs --out FILE`);
  if ((mode === 'run' || mode === 'clone') && !opts.workloads) throw new UsageError(`${mode} needs --workloads FILE`);
  opts.runs = positiveInt('--runs', opts.runs);
  opts.iterations = positiveInt('--iterations', opts.iterations);
  opts.budgetMib = positiveInt('--budget-mib', opts['budget-mib']);
  opts.counts = opts.counts.split(',').map((n) => positiveInt('--counts', n));
  if (opts.counts.some((n, i) => i > 0 && n <= opts.counts[i - 1])) throw new UsageError('--counts must be ascending');
  return { mode, opts };
}

function positiveInt(name, text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got '${text}'`);
  return n;
}

// Reads and sanity-checks the workloads file; a malformed file is a usage error.
function loadWorkloads(file) {
  let spec;
  try {
    spec = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read workloads file ${file}: ${e.message}`);
  }
  const isStrings = (a) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (!Array.isArray(spec.workloads)) throw new UsageError(`${file}: 'workloads' must be an array`);
  if (!isStrings(spec.reset ?? [])) throw new UsageError(`${file}: 'reset' must be an array of strings`);
  if (!isStrings(spec.fixture?.load) || typeof spec.fixture?.first_query !== 'string') {
    throw new UsageError(`${file}: 'fixture' needs 'load' (array of strings) and 'first_query'`);
  }
  for (const w of spec.workloads) {
    const where = `${file}: workload '${w.name}'`;
    if (typeof w.name !== 'string' || !Array.isArray(w.steps)) throw new UsageError(`${where}: needs 'name' and 'steps'`);
    if (!isStrings(w.setup ?? [])) throw new UsageError(`${where}: 'setup' must be an array of strings`);
    if (!Number.isInteger(w.iterations ?? 1) || (w.iterations ?? 1) < 1) throw new UsageError(`${where}: bad 'iterations'`);
    // trim < 0.5 guarantees at least one timing survives.
    if (!((w.trim ?? 0) >= 0 && (w.trim ?? 0) < 0.5)) throw new UsageError(`${where}: 'trim' must be in [0, 0.5)`);
    for (const s of w.steps) {
      if (s.id === undefined || !isStrings(s.sql)) throw new UsageError(`${where}: every step needs 'id' and 'sql' (array of strings)`);
    }
  }
  return spec;
}

// Runs one SQL string, tagging any failure with where it happened.
async function exec(db, sql, where) {
  try {
    await db.exec(sql);
  } catch (e) {
    const snippet = sql.length > 200 ? sql.slice(0, 200) + '...' : sql;
    throw new Error(`${where}: ${e.message}\n  SQL: ${snippet}`);
  }
}

// A null value was not measured: `note` says why.
function row(results, workload, id, title, unit, value, note) {
  results.push({ workload, id: String(id), title, unit, value, ...(note ? { note } : {}) });
  const shown = value === null ? `n/a (${note})` : `${value.toFixed(3)} ${unit}`;
  process.stderr.write(`${workload}/${id} ${title}: ${shown}\n`);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function freshDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function runMode(opts, results) {
  const spec = loadWorkloads(opts.workloads);
  if (opts.storage === 'nodefs') mkdirSync(opts.dir, { recursive: true });
  // One instance for everything: workloads are separated by the reset statements.
  const db = opts.storage === 'nodefs' ? new PGlite(opts.dir) : new PGlite();
  for (const w of spec.workloads) {
    for (const sql of spec.reset ?? []) await exec(db, sql, `${w.name}/reset`);
    for (const sql of w.setup ?? []) await exec(db, sql, `${w.name}/setup`);
    const iterations = w.iterations ?? 1, trim = w.trim ?? 0;
    for (const step of w.steps) {
      const where = `${w.name}/${step.id}`;
      const times = [];
      for (let i = 0; i < iterations; i++) {
        const t0 = performance.now();
        for (const sql of step.sql) await exec(db, sql, where);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const k = Math.floor(times.length * trim);
      const kept = times.slice(k, times.length - k);
      const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
      row(results, w.name, step.id, step.title ?? String(step.id), step.unit ?? 'ms', mean / (step.divide_by || 1));
    }
  }
  await db.close();
}

// Time from constructor to first result; close and cleanup are not timed.
async function timeOpen(path) {
  const t0 = performance.now();
  const db = path === undefined ? new PGlite() : new PGlite(path);
  await db.exec('SELECT 1');
  const ms = performance.now() - t0;
  await db.close();
  return ms;
}

async function startupMode(opts, results) {
  const nodefs = opts.storage === 'nodefs';
  if (nodefs) mkdirSync(opts.dir, { recursive: true });
  // Each temp-warm run gets a brand-new directory, i.e. a new persistent database.
  const tempRun = async (i) => {
    if (!nodefs) return timeOpen();
    const path = freshDir(join(opts.dir, `temp-${i}`));
    const ms = await timeOpen(path);
    rmSync(path, { recursive: true, force: true });
    return ms;
  };
  await tempRun('warmup');
  const temp = [];
  for (let i = 0; i < opts.runs; i++) temp.push(await tempRun(i));
  row(results, 'startup', 'temp-warm', 'new database + first query, warm process', 'ms', median(temp));

  if (nodefs) {
    const path = freshDir(join(opts.dir, 'reopen'));
    const db = new PGlite(path);
    await exec(db, 'CREATE TABLE t (id int PRIMARY KEY, v text)', 'startup/reopen');
    await db.close();
    await timeOpen(path);
    const reopen = [];
    for (let i = 0; i < opts.runs; i++) reopen.push(await timeOpen(path));
    row(results, 'startup', 'reopen', 'reopen persistent database + first query', 'ms', median(reopen));
  }
}

// The origin database of the clone probe: in memory, or under --dir.
function openStorage(opts, name) {
  if (opts.storage === 'memory') return new PGlite();
  return new PGlite(freshDir(join(opts.dir, name)));
}

// Loads the fixture, then --runs times `await db.clone()` + the first query
// on the clone (each clone closed untimed); the origin is not changed.
async function cloneMode(opts, results) {
  const { fixture } = loadWorkloads(opts.workloads);
  const db = openStorage(opts, 'clone-origin');
  for (const sql of fixture.load) await exec(db, sql, 'clone/load');
  const size = await db.query('SELECT pg_database_size(current_database())::float8 AS bytes');
  row(results, 'clone', 'clone-origin', 'size of the origin database (pg_database_size)', 'MiB',
    size.rows[0].bytes / 1048576);
  const times = [];
  for (let i = 0; i < opts.runs; i++) {
    const t0 = performance.now();
    const copy = await db.clone();
    await copy.query(fixture.first_query);
    times.push(performance.now() - t0);
    await copy.close();
  }
  row(results, 'clone', 'clone', `clone + first query on it, median of ${opts.runs}`, 'ms', median(times));
  row(results, 'clone', 'clone-first', 'first clone + first query on it', 'ms', times[0]);
  await db.close();
}

// The bare round trip through PGlite's query() (extended protocol).
async function select1Mode(opts, results) {
  const db = new PGlite();
  for (let i = 0; i < Math.min(opts.iterations, 100); i++) await db.query('SELECT 1');
  const times = [];
  for (let i = 0; i < opts.iterations; i++) {
    const t0 = performance.now();
    await db.query('SELECT 1');
    times.push((performance.now() - t0) * 1000);
  }
  row(results, 'select1', 'select1', `SELECT 1 round trip, median of ${opts.iterations}`, 'µs', median(times),
    "PGlite's pg.query() (extended protocol)");
  await db.close();
}

// A field of /proc/self/smaps_rollup or /proc/meminfo, in kB.
function procKb(file, field) {
  const m = readFileSync(file, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  if (!m) throw new Error(`no ${field} in ${file}`);
  return Number(m[1]);
}

// Proportional set size of this process in MiB (shared pages split fairly),
// after a garbage collection.
async function pssMib() {
  if (global.gc) global.gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return procKb('/proc/self/smaps_rollup', 'Pss') / 1024;
}

const gib = (mib) => `${(mib / 1024).toFixed(1)} GiB`;

// Opens instances into `dbs` until there are `count`; returns why it
// stopped early, or '' once there.
async function openUntil(count, dbs) {
  while (dbs.length < count) {
    if (procKb('/proc/meminfo', 'MemAvailable') < 1 << 20) {
      return `the machine ran out of memory (MemAvailable < 1 GiB) after ${dbs.length} instances`;
    }
    try {
      const db = new PGlite();
      await db.query('SELECT 1');
      dbs.push(db);
    } catch (e) {
      return `instance ${dbs.length + 1} could not be opened: ${e.message}`;
    }
  }
  return '';
}

// PSS with each of --counts idle instances open (the same algorithm as
// pglite_compare's memory probe): a count whose PSS, extrapolated from the
// last step, would exceed --budget-mib is not attempted, nor those after it.
async function memoryMode(opts, results) {
  const dbs = [];
  let lastCount = 0, lastMib = await pssMib(), perInstance = 0, stop = '';
  for (const count of opts.counts) {
    const title = `${count} idle instance${count === 1 ? '' : 's'} (total PSS)`;
    const projected = lastMib + perInstance * (count - lastCount);
    if (!stop && projected > opts.budgetMib) {
      stop = `projected ${gib(projected)} for ${count} instances exceeds the ${gib(opts.budgetMib)} budget`;
    }
    if (!stop) stop = await openUntil(count, dbs);
    if (stop) {
      row(results, 'memory', `pss-${count}`, title, 'MiB', null, stop);
      continue;
    }
    const mib = await pssMib();
    row(results, 'memory', `pss-${count}`, title, 'MiB', mib);
    perInstance = (mib - lastMib) / (count - lastCount);
    [lastCount, lastMib] = [count, mib];
  }
  return dbs;
}

async function main() {
  const { mode, opts } = parseCli(process.argv.slice(2));
  if (mode === 'once') {
    const db = new PGlite();
    await db.exec('SELECT 1');
    await db.close();
    return;
  }
  const results = [];
  let open = [];
  if (mode === 'run') await runMode(opts, results);
  else if (mode === 'startup') await startupMode(opts, results);
  else if (mode === 'clone') await cloneMode(opts, results);
  else if (mode === 'select1') await select1Mode(opts, results);
  else open = await memoryMode(opts, results);
  writeFileSync(opts.out, JSON.stringify({ target: opts.target, title: opts.title, results }, null, 2) + '\n');
  for (const db of open) await db.close();
}

try {
  await main();
  process.exit(0);
} catch (e) {
  process.stderr.write(`compare.mjs: ${e.message}\n`);
  if (e instanceof UsageError) process.stderr.write(USAGE);
  process.exit(e instanceof UsageError ? 2 : 1);
}
