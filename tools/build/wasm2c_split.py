#!/usr/bin/env python3
"""Split one wasm2c output file into several translation units.

wasm2c 1.0.32 writes a whole module into one C file whose functions are
`static`. Compiling 100+ MB of C as one unit takes >10 minutes on one core, so
we cut it into N units that compile in parallel:

  unit 0      preamble + declarations + globals, data and elem segments,
              export wrappers and instantiate/free (everything but bodies)
  unit 1..N   preamble + declarations + a slice of the function bodies

Module-private functions lose `static` and become hidden symbols; every
`w2c_` identifier gets the module name as a prefix so that several modules
can live in one library without clashing.  `--entry-hook F=H[:N]` makes
function F first call the host's H(env instance, its first N parameters),
whose result (for N > 0) replaces parameter N: a safe point for the host (the
Postgres module's ProcessInterrupts delivers timer alarms this way; its
WaitLatch sleeps for real and gets the time left).  Units
are only rewritten when their content changes, so ccache and make see
untouched units as unchanged.

Two rewrites make the bodies cheaper without changing what they do:
  - loads and stores go through the memory's data pointer read once per
    function (`w2c_md`) instead of reloading `instance->memory->data` after
    every store (a store through `u8*` may alias it, so GCC cannot keep it):
    our runtime never moves a linear memory. With bounds checks
    (`WASM_RT_MEMCHECK_SIGNAL_HANDLER` 0) `w2c_md` is the memory itself, as
    each access needs its current size;
  - `__memory_base` and `__table_base`, imported globals that never change
    once a module is instantiated, are read once per function (side
    modules) or are constants (`--fixed-bases M:T` for main modules, whose
    bases the shim fixes; instantiation checks them).
"""
import argparse
import os
import re
import sys

from common import write_if_changed



def find_line(lines, start, pred, what):
    for i in range(start, len(lines)):
        if pred(lines[i]):
            return i
    sys.exit(f"wasm2c_split: cannot find {what}")

ACCESS = re.compile(r"\b((?:i32|i64|f32|f64)_(?:load|store)(?:8|16|32)?(?:_[su])?)\((instance->Z_\w+), ")
ACCESS_NAMES = [  # (name, stored type, intermediate type, result type): as wasm2c's DEFINE_LOAD/DEFINE_STORE
    ("i32_load", "u32", "u32", "u32"), ("i64_load", "u64", "u64", "u64"),
    ("f32_load", "f32", "f32", "f32"), ("f64_load", "f64", "f64", "f64"),
    ("i32_load8_s", "s8", "s32", "u32"), ("i64_load8_s", "s8", "s64", "u64"),
    ("i32_load8_u", "u8", "u32", "u32"), ("i64_load8_u", "u8", "u64", "u64"),
    ("i32_load16_s", "s16", "s32", "u32"), ("i64_load16_s", "s16", "s64", "u64"),
    ("i32_load16_u", "u16", "u32", "u32"), ("i64_load16_u", "u16", "u64", "u64"),
    ("i64_load32_s", "s32", "s64", "u64"), ("i64_load32_u", "u32", "u64", "u64"),
    ("i32_store", "u32", "u32", None), ("i64_store", "u64", "u64", None),
    ("f32_store", "f32", "f32", None), ("f64_store", "f64", "f64", None),
    ("i32_store8", "u8", "u32", None), ("i32_store16", "u16", "u32", None),
    ("i64_store8", "u8", "u64", None), ("i64_store16", "u16", "u64", None),
    ("i64_store32", "u32", "u64", None),
]
MD_DECL = "  w2c_md_t const w2c_md = W2C_MD(instance->MEMORY);"
BASES = {"(*instance->Z_envZ___memory_base)": "w2c_mb", "(*instance->Z_envZ___table_base)": "w2c_tb"}


def fast_memory_block():
    """The `_md` accessors: on the cached data pointer (guard pages), or on
    the memory itself (bounds checks, big-endian hosts)."""
    out = ["#if WASM_RT_MEMCHECK_SIGNAL_HANDLER && !WABT_BIG_ENDIAN",
           "typedef u8* w2c_md_t;",
           "#define W2C_MD(mem) ((mem)->data)"]
    for name, t1, t2, t3 in ACCESS_NAMES:
        if t3:
            out.append(f"static inline {t3} {name}_md(u8* md, u64 addr) {{ {t1} r; "
                       f"wasm_rt_memcpy(&r, md + addr, sizeof(r)); wasm_asm(\"\" ::\"r\"(r)); return ({t3})({t2})r; }}")
        else:
            out.append(f"static inline void {name}_md(u8* md, u64 addr, {t2} v) {{ {t1} w = ({t1})v; "
                       f"wasm_rt_memcpy(md + addr, &w, sizeof(w)); }}")
    out += ["#else",
            "typedef wasm_rt_memory_t* w2c_md_t;",
            "#define W2C_MD(mem) (mem)"]
    out += [f"#define {name}_md {name}" for name, *_ in ACCESS_NAMES]
    out.append("#endif")
    return out


def rewrite_bodies(bodies, fixed_bases):
    memories = {m.group(2) for l in bodies for m in ACCESS.finditer(l)}
    one_memory = len(memories) == 1
    decl = MD_DECL.replace("instance->MEMORY", memories.pop()) if one_memory else None
    used = [k for k in BASES if any(k in l for l in bodies)]
    if fixed_bases:
        bases = dict(zip(BASES, (f"{int(x)}u" for x in fixed_bases.split(":"))))
        base_decls = []
    else:
        bases = BASES
        base_decls = [f"  const u32 {BASES[k]} = {k};" for k in used]
    out = []
    in_head = False  # a function's head, which wasm2c wraps when it has many parameters
    for l in bodies:
        in_head = in_head or (l.startswith("static ") and not l.endswith(";"))
        if in_head and l.endswith(") {"):
            in_head = False
            out.append(l)
            if one_memory:
                out.append(decl)
            out += base_decls
            continue
        if one_memory and "instance->Z_" in l:
            l = ACCESS.sub(lambda m: f"{m.group(1)}_md(w2c_md, ", l)
        if used and "_base)" in l:
            for k in used:
                l = l.replace(k, bases[k])
        out.append(l)
    return out, one_memory


def check_fixed_bases(unit0, fixed_bases):
    """Instantiation traps if the shim gives the module other bases than the
    constants its code was compiled with."""
    m, t = (int(x) for x in fixed_bases.split(":"))
    at = find_line(unit0, 0, lambda l: l.startswith("static void init_instance_import("), "init_instance_import")
    end = find_line(unit0, at, lambda l: l == "}", "end of init_instance_import")
    imports = "\n".join(unit0[at:end])
    tests = [f"*instance->{name} != {v}u" for name, v in (("Z_envZ___memory_base", m), ("Z_envZ___table_base", t))
             if f"instance->{name} = " in imports]
    if not tests:
        return unit0
    return unit0[:end] + [f"  if ({' || '.join(tests)}) wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);"] + unit0[end:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--module", required=True)
    ap.add_argument("--units", type=int, required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--entry-hook", action="append", default=[],
                    help="FUNCTION=HOOK[:N]: the function first calls HOOK(env instance, its first N "
                         "i32 parameters) (a host safe point); with N > 0 the hook returns the new "
                         "value of parameter N")
    ap.add_argument("--fixed-bases", metavar="MEMORY:TABLE",
                    help="a main module: its __memory_base and __table_base are these constants")
    args = ap.parse_args()

    mod = args.module
    with open(args.input, "r", encoding="utf-8") as f:
        text = f.read()
    # Prefix module-private identifiers; struct fields (after "->") keep
    # the names the generated header gives them.
    text = re.sub(r"(?<![>\w])w2c_", f"w2c_{mod}_", text)
    lines = text.split("\n")

    inst_t = f"Z_{mod}_instance_t* instance"
    i_statics = find_line(lines, 0, lambda l: l.startswith("static bool s_module_initialized"), "module statics")
    i_decls = find_line(lines, i_statics, lambda l: l.startswith("static ") and f"(Z_{mod}_instance_t" in l and l.endswith(");"), "forward declarations")
    i_init = find_line(lines, i_decls, lambda l: l.startswith("static void init_globals(") or l.startswith("static const u8 data_segment") or l.startswith("static void init_memories("), "init block")
    i_bodies = find_line(lines, i_init, lambda l: l.startswith("static ") and inst_t in l and l.endswith(") {") and f"w2c_{mod}_" in l, "function bodies")
    i_tail = find_line(lines, i_bodies, lambda l: l.startswith("/* export: ") or l.startswith("static void init_instance_import("), "export wrappers")

    hidden = "WASM2C_PRIVATE "
    fn_line = re.compile(r"^static (?!inline)([\w*]+ w2c_)")

    def privatize(block):
        return [fn_line.sub(hidden + r"\1", l) for l in block]

    n_types = re.search(r"static u32 func_types\[(\d+)\];", text)
    n_types = n_types.group(1) if n_types else "1"
    head = [
        "/* Generated by tools/build/wasm2c_split.py - do not edit. */",
        f"#define func_types w2c_{mod}_func_types",
        '#define WASM2C_PRIVATE __attribute__((visibility("hidden")))',
    ]
    preamble = lines[:i_statics]
    decls = privatize(lines[i_decls:i_init])

    statics = lines[i_statics:i_decls]
    statics = [l.replace(f"static u32 func_types[{n_types}];", f"WASM2C_PRIVATE u32 func_types[{n_types}];") for l in statics]
    unit0 = head + preamble + statics + decls + lines[i_init:i_bodies] + lines[i_tail:]

    # Cut the bodies at function starts into roughly equal byte sizes.
    bodies = lines[i_bodies:i_tail]
    bodies, uses_md = rewrite_bodies(bodies, args.fixed_bases)
    fast = fast_memory_block() if uses_md else []
    if args.fixed_bases:
        unit0 = check_fixed_bases(unit0, args.fixed_bases)
    for spec in args.entry_hook:
        func, hook = spec.split("=", 1)
        hook, _, n = hook.partition(":")
        params = [f"w2c_{mod}_p{i}" for i in range(int(n or 0))]
        head_line = f"w2c_{mod}_{func}({inst_t}" + "".join(f", u32 {p}" for p in params)
        at = find_line(bodies, 0, lambda l: l.startswith("static ") and f" {head_line}" in l and l.endswith(") {"),
                       f"function {func} with {len(params)} leading u32 parameters")
        assign = f"{params[-1]} = " if params else ""
        bodies.insert(at + 1, f"  {assign}{hook}(instance->Z_env_instance{''.join(', ' + p for p in params)});")
        ret = "unsigned int" if params else "void"
        head += ["struct Z_env_instance_t;", f"{ret} {hook}(struct Z_env_instance_t*{', unsigned int' * len(params)});"]
    starts = [i for i, l in enumerate(bodies) if l.startswith("static ") and l.endswith(") {")]
    total = sum(len(l) + 1 for l in bodies)
    units = max(1, args.units)
    target = total / units
    cuts, acc, next_cut = [0], 0, target
    start_set = set(starts)
    for i, l in enumerate(bodies):
        if i in start_set and acc >= next_cut and len(cuts) < units:
            cuts.append(i)
            next_cut += target
        acc += len(l) + 1
    cuts.append(len(bodies))

    os.makedirs(args.outdir, exist_ok=True)
    extern_types = f"extern WASM2C_PRIVATE u32 func_types[{n_types}];"
    write_if_changed(os.path.join(args.outdir, f"{mod}_0.c"), "\n".join(unit0) + "\n")
    for k in range(len(cuts) - 1):
        part = privatize(bodies[cuts[k]:cuts[k + 1]])
        unit = head + preamble + fast + [extern_types] + decls + part
        write_if_changed(os.path.join(args.outdir, f"{mod}_{k + 1}.c"), "\n".join(unit) + "\n")
    # Units that no longer exist (fewer functions than units) stay empty.
    for k in range(len(cuts) - 1, units):
        write_if_changed(os.path.join(args.outdir, f"{mod}_{k + 1}.c"), "/* empty */\n")


if __name__ == "__main__":
    main()
