#!/usr/bin/env python3
"""Generate the link glue between wasm2c modules and the host shim.

Reads the original .wasm binaries (not the generated C) and writes:
  <out>/<mod>_link.c    module descriptor: dylink.0 sizes, exports (with their
                        table slot and signature), instantiate wrapper
  <out>/glue.c          GOT.mem/GOT.func accessors, env.* thunks that route
                        side-module imports to main-module exports, invoke_*
                        trampolines (Emscripten setjmp/longjmp), module registry
Everything is resolved at build time; at run time only addresses (memory base,
table slots) are chosen, exactly like Emscripten's loader would.
"""
import argparse
import os
import re
import sys

from common import write_if_changed

VT = {0x7F: "i", 0x7E: "j", 0x7D: "f", 0x7C: "d"}
CT = {"i": "u32", "j": "u64", "f": "f32", "d": "f64"}


SHIM_BUILTINS = {"__ashlti3", "__fixtfsi", "__floatsitf", "__getf2", "__letf2"}

# Postgres' encoding-conversion helpers (src/backend/utils/mb/conv.c and
# mbutils.c, src/common/wchar.c) that the conversion side modules import and
# PGlite's pglite.wasm does not export: the shim ports them
# (wasi-shim/pg_conv.cc). Used only while the main module lacks them.
SHIM_PG_CONV = {
    "LocalToUtf", "UtfToLocal", "check_encoding_conversion_args", "report_invalid_encoding",
    "report_untranslatable_char", "pg_encoding_verifymbchar", "pg_utf8_islegal", "local2local",
    "latin2mic", "mic2latin", "latin2mic_with_table", "mic2latin_with_table",
}


class Reader:
    def __init__(self, data, pos=0, end=None):
        self.d, self.p, self.end = data, pos, len(data) if end is None else end

    def byte(self):
        b = self.d[self.p]
        self.p += 1
        return b

    def u32(self):
        r = s = 0
        while True:
            b = self.byte()
            r |= (b & 0x7F) << s
            s += 7
            if not b & 0x80:
                return r

    def s32(self):
        r = s = 0
        while True:
            b = self.byte()
            r |= (b & 0x7F) << s
            s += 7
            if not b & 0x80:
                if b & 0x40:
                    r -= 1 << s
                return r

    def name(self):
        n = self.u32()
        v = self.d[self.p:self.p + n].decode("utf-8")
        self.p += n
        return v

    def limits(self):
        flags = self.u32()
        lo = self.u32()
        hi = self.u32() if flags & 1 else None
        return lo, hi

    def const_expr(self):
        op = self.byte()
        val = None
        if op == 0x41:
            val = ("const", self.s32())
        elif op == 0x23:
            val = ("global", self.u32())
        elif op == 0x42:
            val = ("const64", self.s32())
        else:
            raise ValueError(f"unsupported const expr opcode {op:#x}")
        assert self.byte() == 0x0B
        return val


class Module:
    def __init__(self, path, name):
        self.path, self.name = path, name
        data = open(path, "rb").read()
        self.data = data
        assert data[:4] == b"\0asm", path
        self.types, self.imports, self.funcs, self.exports = [], [], [], []
        self.globals, self.elem = [], []
        self.table_import_min = 0
        self.code = []
        self.dylink = {"mem_size": 0, "mem_align": 0, "table_size": 0, "table_align": 0, "needed": []}
        r = Reader(data, 8)
        while r.p < len(data):
            sid = r.byte()
            size = r.u32()
            end = r.p + size
            s = Reader(data, r.p, end)
            if sid == 0:
                cname = s.name()
                if cname == "dylink.0":
                    while s.p < end:
                        sub = s.byte()
                        sub_end = s.u32() + s.p
                        if sub == 1:
                            self.dylink["mem_size"] = s.u32()
                            self.dylink["mem_align"] = s.u32()
                            self.dylink["table_size"] = s.u32()
                            self.dylink["table_align"] = s.u32()
                        elif sub == 2:
                            self.dylink["needed"] = [s.name() for _ in range(s.u32())]
                        s.p = sub_end
            elif sid == 1:
                for _ in range(s.u32()):
                    assert s.byte() == 0x60
                    params = "".join(VT[s.byte()] for _ in range(s.u32()))
                    results = "".join(VT[s.byte()] for _ in range(s.u32()))
                    self.types.append((params, results))
            elif sid == 2:
                for _ in range(s.u32()):
                    mod, field, kind = s.name(), s.name(), s.byte()
                    if kind == 0:
                        self.imports.append((mod, field, "func", s.u32()))
                    elif kind == 1:
                        s.byte()
                        self.table_import_min = s.limits()[0]
                        self.imports.append((mod, field, "table", None))
                    elif kind == 2:
                        self.imports.append((mod, field, "memory", s.limits()))
                    elif kind == 3:
                        t, m = s.byte(), s.byte()
                        self.imports.append((mod, field, "global", (VT[t], m)))
            elif sid == 3:
                self.funcs = [s.u32() for _ in range(s.u32())]
            elif sid == 6:
                for _ in range(s.u32()):
                    t, m = s.byte(), s.byte()
                    self.globals.append((VT[t], m, s.const_expr()))
            elif sid == 7:
                for _ in range(s.u32()):
                    n, kind, idx = s.name(), s.byte(), s.u32()
                    self.exports.append((n, {0: "func", 1: "table", 2: "memory", 3: "global"}[kind], idx))
            elif sid == 10:
                self.code = []
                for _ in range(s.u32()):
                    size = s.u32()
                    self.code.append((s.p, s.p + size))
                    s.p += size
            elif sid == 9:
                for _ in range(s.u32()):
                    flags = s.u32()
                    if flags == 0:
                        offset = s.const_expr()
                        idxs = [s.u32() for _ in range(s.u32())]
                        self.elem.append((offset, idxs))
                    else:
                        raise ValueError(f"{path}: unsupported elem segment flags {flags}")
            r.p = end
        self.func_imports = [i for i in self.imports if i[2] == "func"]
        self.global_imports = [i for i in self.imports if i[2] == "global"]

    def func_sig(self, fidx):
        n = len(self.func_imports)
        t = self.func_imports[fidx][3] if fidx < n else self.funcs[fidx - n]
        return self.types[t]

    def export_func_index(self, export_name):
        return next(i for n, k, i in self.exports if n == export_name and k == "func")

    def body_reader(self, fidx):
        """A reader at the first instruction of function fidx, the body's end
        and the index of the imported __memory_base global."""
        start, end = self.code[fidx - len(self.func_imports)]
        r = Reader(self.data, start, end)
        for _ in range(r.u32()):  # local declarations
            r.u32()
            r.byte()
        mb = next(i for i, g in enumerate(self.global_imports) if g[1] == "__memory_base")
        return r, end, mb

    def static_loads(self, fidx):
        """Offsets (from __memory_base) of the statics a small function loads,
        in order, as long as its code is only `global.get __memory_base;
        i32.const N; [i32.add;] i32.load` sequences plus local/compare/logic
        ops; None once anything else appears. Used to find unexported
        statics of the pinned build."""
        mb = self.body_reader(fidx)[2]
        simple = {0x20, 0x21, 0x22, 0x24, 0x6A, 0x6B, 0x45, 0x46, 0x47, 0x71, 0x72, 0x02, 0x03}
        seen_base, last_const, loads = False, None, []
        for op, imm in self.instructions(fidx):
            if op == 0x23:
                seen_base = imm == mb or seen_base
            elif op == 0x41:
                last_const = imm
            elif op == 0x28 and seen_base and last_const is not None:
                loads.append(last_const + imm)
                seen_base, last_const = False, None
            elif op == 0x0B:
                continue
            elif op not in simple:
                return loads if loads else None
        return loads

    def memory_base_load_offset(self, export_name):
        """Offset of the first static the exported function loads."""
        loads = self.static_loads(self.export_func_index(export_name))
        if not loads:
            sys.exit(f"wasm_link_gen: cannot find the static loaded by {export_name}")
        return loads[0]

    def temp_namespace_offsets(self):
        """namespace.c's myTempNamespace and myTempToastNamespace (static).
        isTempNamespace() is exported and loads the first; the function the
        compiler placed right after it, isTempToastNamespace(), has the same
        shape and loads the second. Both shapes are checked."""
        fidx = self.export_func_index("isTempNamespace")
        first, second = self.static_loads(fidx), self.static_loads(fidx + 1)
        if not first or not second or len(first) != 1 or len(second) != 1 or first == second or \
                self.func_sig(fidx) != self.func_sig(fidx + 1):
            sys.exit("wasm_link_gen: isTempNamespace/isTempToastNamespace do not have the expected shape")
        return first[0], second[0]

    def exit_list_offsets(self):
        """ipc.c's before_shmem_exit_index and before_shmem_exit_list (static).
        The exported before_shmem_exit() loads the index, compares it with
        MAX_ON_EXITS (20) and stores into the list: the first two distinct
        `__memory_base + N` addresses it computes are the index and the list."""
        fidx = self.export_func_index("before_shmem_exit")
        mb = self.body_reader(fidx)[2]
        mb_locals, after_base, const, bases, limit = set(), False, None, [], None
        for op, imm in self.instructions(fidx):
            if len(bases) == 2:
                break
            if op == 0x23:  # global.get
                after_base = imm == mb
                continue
            if op == 0x22 and after_base:  # local.tee of the base
                mb_locals.add(imm)
                continue
            if op == 0x20 and imm in mb_locals:
                after_base = True
                continue
            if op == 0x41:  # i32.const
                if after_base:
                    const, after_base = imm, False
                    continue
                if limit is None and bases:
                    limit = imm
            elif op == 0x6A:  # i32.add
                if const is not None and const not in bases:
                    bases.append(const)
            elif op not in (0x20, 0x21, 0x22, 0x28, 0x36, 0x04, 0x02, 0x48, 0x74, 0x45, 0x0B):
                break
            after_base, const = False, None
        if len(bases) != 2 or limit != 20 or not 0 < bases[1] - bases[0] <= 64:
            sys.exit("wasm_link_gen: before_shmem_exit does not have the expected shape")
        return bases[0], bases[1]

    def instructions(self, fidx):
        """(opcode, immediate) of every instruction of function fidx; the
        immediate is the index of a call/local/global, the value of an
        i32.const, the offset of a load or store, None otherwise."""
        r, end, _ = self.body_reader(fidx)
        while r.p < end:
            op, imm = r.byte(), None
            if op in (0x02, 0x03, 0x04):  # block types: empty, a value type or a type index
                if r.d[r.p] == 0x40 or r.d[r.p] >= 0x6F:
                    r.p += 1
                else:
                    r.s32()
            elif op in (0x0C, 0x0D, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24, 0xD2):
                imm = r.u32()
            elif op == 0x0E:  # br_table
                for _ in range(r.u32() + 1):
                    r.u32()
            elif op == 0x11:  # call_indirect
                r.u32()
                r.u32()
            elif 0x28 <= op <= 0x3E:  # loads and stores: alignment, offset
                r.u32()
                imm = r.u32()
            elif op in (0x3F, 0x40, 0xD0):
                r.byte()
            elif op == 0x41:
                imm = r.s32()
            elif op == 0x42:
                while r.byte() & 0x80:
                    pass
            elif op in (0x43, 0x44):
                r.p += 4 if op == 0x43 else 8
            elif op == 0x1C:
                r.p += r.u32()
            elif op == 0xFC:
                sub = r.u32()
                skip = {8: "ub", 9: "u", 10: "bb", 11: "b", 12: "uu", 13: "u", 14: "uu", 15: "u", 16: "u", 17: "u"}
                for kind in skip.get(sub, ""):
                    r.u32() if kind == "u" else r.byte()
            yield op, imm

    def static_accesses(self, fidx):
        """(offset, opcode) for each `__memory_base + N` the function computes,
        with the opcode that follows the address (a load, whose own offset is
        added, or the local.get of the value an i32.store then writes)."""
        mb = self.body_reader(fidx)[2]
        ins = list(self.instructions(fidx))
        return [(ins[i + 1][1] + (ins[i + 3][1] if ins[i + 3][0] == 0x28 else 0), ins[i + 3][0])
                for i in range(len(ins) - 3)
                if ins[i] == (0x23, mb) and ins[i + 1][0] == 0x41 and ins[i + 2][0] == 0x6A]

    def sequence_offsets(self):
        """sequence.c's seqhashtab and last_used_seq (static): each session's
        sequence caches and what lastval() returns. The exported nextval()
        ends by calling nextval_internal(relid, true), an (i32 i32) -> i64
        function that stores the hash entry into last_used_seq and first calls
        init_sequence(), an (i32 i32 i32) -> () function whose first static
        access loads seqhashtab."""
        calls = [imm for op, imm in self.instructions(self.export_func_index("nextval")) if op == 0x10]
        internal = [c for c in calls if self.func_sig(c) == ("ii", "j")]
        if len(internal) != 1:
            sys.exit("wasm_link_gen: nextval() does not have the expected shape")
        stores = {off for off, nxt in self.static_accesses(internal[0]) if nxt == 0x20}
        init = next((imm for op, imm in self.instructions(internal[0]) if op == 0x10), None)
        loads = self.static_accesses(init) if init is not None and self.func_sig(init) == ("iii", "") else []
        if len(stores) != 1 or not loads or loads[0][1] != 0x28 or not 0 < abs(loads[0][0] - min(stores)) <= 64:
            sys.exit("wasm_link_gen: nextval_internal()/init_sequence() do not have the expected shape")
        return loads[0][0], min(stores)

    def elem_slots(self):
        """function index -> slot relative to __table_base (first occurrence)."""
        slots = {}
        for offset, idxs in self.elem:
            base = offset[1] if offset[0] == "const" else 0
            for i, f in enumerate(idxs):
                slots.setdefault(f, base + i)
        return slots


def mangle(s):
    out = []
    for c in s:
        if c != "Z" and (c.isascii() and c.isalnum() or c == "_"):
            out.append(c)
        else:
            out.append("Z%02X" % ord(c))
    return "".join(out)


def c_ret(results):
    if len(results) > 1:
        raise ValueError("multi-value results are not supported")
    return CT[results] if results else "void"


def c_params(params, first="struct Z_env_instance_t* env"):
    return ", ".join([first] + [f"{CT[p]} a{i}" for i, p in enumerate(params)])


def sig_str(params, results):
    return f"{params}:{results}"



def rebind_c(cname, hdr, arg_map):
    """The C of rebind(): what wasm2c's init_instance_import sets (the
    import instances and the pointers to imported memory, table, globals and
    GOT cells), read from the instance struct, for an instance copied from
    another process. Empty if the struct holds anything else but plain
    globals (own memories or tables, segment state), which a copy could not
    carry over."""
    body = re.search(rf"typedef struct Z_{cname}_instance_t {{\n(.*?)\n}} Z_{cname}_instance_t;", hdr, re.S)
    if not body:
        sys.exit(f"wasm_link_gen: no instance struct in {cname}_module.h")
    accessor = dict(re.findall(r"extern \w+\* (\w+)\(struct (\w+)\*\);", hdr))
    sets = []
    for line in body.group(1).splitlines():
        line = line.strip()
        if not line or line.startswith("/*"):
            continue
        if re.fullmatch(r"(u32|u64|f32|f64) w2c_\w+;", line):
            continue
        inst = re.fullmatch(r"struct (\w+)\* (\w+);", line)
        ptr = re.fullmatch(r"\w+ \*(\w+);", line)
        if inst and inst.group(1) in arg_map:
            sets.append(f"  i->{inst.group(2)} = im->{arg_map[inst.group(1)]};")
        elif ptr and accessor.get(ptr.group(1)) in arg_map:
            sets.append(f"  i->{ptr.group(1)} = {ptr.group(1)}(im->{arg_map[accessor[ptr.group(1)]]});")
        else:
            return []
    return [
        "static void rebind(void* inst, const pgl_import_set* im) {",
        f"  Z_{cname}_instance_t* i = (Z_{cname}_instance_t*)inst;",
        *sets,
        "}",
    ]


def module_link_c(m, header_dir, got_mem_ids, got_func_ids):
    cname = m.name
    hdr = open(os.path.join(header_dir, f"{cname}_module.h")).read()
    proto = re.search(rf"void Z_{cname}_instantiate\(Z_{cname}_instance_t\*((?:, struct \w+\*)*)\);", hdr)
    if not proto:
        sys.exit(f"wasm_link_gen: no instantiate prototype in {cname}_module.h")
    arg_map = {
        "Z_env_instance_t": "env",
        "Z_wasi_snapshot_preview1_instance_t": "wasi",
        "Z_GOTZ2Emem_instance_t": "got_mem",
        "Z_GOTZ2Efunc_instance_t": "got_func",
    }
    args = []
    for t in re.findall(r"struct (\w+)\*", proto.group(1)):
        if t not in arg_map:
            sys.exit(f"wasm_link_gen: {cname} imports from unknown namespace {t}")
        args.append(arg_map[t])
    slots = m.elem_slots()
    rebind = rebind_c(cname, hdr, arg_map)
    lines = [
        "/* Generated by tools/build/wasm_link_gen.py - do not edit. */",
        f'#include "{cname}_module.h"',
        '#include "module_desc.h"',
        "",
        "static void instantiate(void* inst, const pgl_import_set* im) {",
        f"  Z_{cname}_instantiate((Z_{cname}_instance_t*)inst{''.join(', im->' + a for a in args)});",
        "}",
        f"static void free_instance(void* inst) {{ Z_{cname}_free((Z_{cname}_instance_t*)inst); }}",
        *rebind,
        "",
        "static const pgl_export exports[] = {",
    ]
    for n, kind, idx in m.exports:
        sym = f"Z_{cname}Z_{mangle(n)}"
        if kind == "func":
            p, r = m.func_sig(idx)
            slot = slots.get(idx, -1)
            lines.append(f'  {{"{n}", PGL_EXPORT_FUNC, (const void*)&{sym}, "{sig_str(p, r)}", {slot}}},')
        elif kind == "global":
            lines.append(f'  {{"{n}", PGL_EXPORT_GLOBAL, (const void*)&{sym}, "", -1}},')
    lines.append("};")
    gm = ", ".join(str(got_mem_ids[f]) for mod, f, k, _ in m.global_imports if mod == "GOT.mem") or ""
    gf = ", ".join(str(got_func_ids[f]) for mod, f, k, _ in m.global_imports if mod == "GOT.func") or ""
    lines.append(f"static const uint32_t got_mem[] = {{{gm or '0'}}};")
    lines.append(f"static const uint32_t got_func[] = {{{gf or '0'}}};")
    d = m.dylink
    n_gm = len([1 for mod, *_ in m.global_imports if mod == "GOT.mem"])
    n_gf = len([1 for mod, *_ in m.global_imports if mod == "GOT.func"])
    mem_imp = [i for i in m.imports if i[2] == "memory"]
    mem_initial = mem_imp[0][3][0] if mem_imp else 0
    table_initial = m.table_import_min
    lines += [
        f"const pgl_module_desc pgl_module_{cname} = {{",
        f'  "{m.lib_name}", sizeof(Z_{cname}_instance_t), Z_{cname}_init_module, instantiate, free_instance,',
        f"  {d['mem_size']}u, {d['mem_align']}u, {d['table_size']}u, {d['table_align']}u,",
        "  exports, sizeof(exports) / sizeof(exports[0]),",
        f"  got_mem, {n_gm}u, got_func, {n_gf}u,",
        f"  {mem_initial}u, {table_initial}u,",
        f"  {'rebind' if rebind else 'NULL'},",
        "};",
    ]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--main", action="append", default=[], help="NAME=path.wasm of a main module")
    ap.add_argument("--side", action="append", default=[], help="NAME=path.wasm of a side module")
    ap.add_argument("--main-exports-of", default="pglite", help="main module that serves side-module imports")
    ap.add_argument("--header-dir", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    def load(spec):
        name, path = spec.split("=", 1)
        m = Module(path, name)
        m.lib_name = os.path.basename(path)
        return m

    mains = [load(s) for s in args.main]
    sides = [load(s) for s in args.side]
    allm = mains + sides
    os.makedirs(args.out, exist_ok=True)

    # GOT cells are numbered across all modules so accessors can be shared.
    got_mem, got_func = {}, {}
    for m in allm:
        for mod, f, k, _ in m.global_imports:
            if mod == "GOT.mem":
                got_mem.setdefault(f, len(got_mem))
            elif mod == "GOT.func":
                got_func.setdefault(f, len(got_func))

    host_imports = {}
    for m in mains:
        for mod, f, k, t in m.func_imports:
            host_imports[(mod, f)] = m.types[t]

    primary = next(m for m in mains if m.name == args.main_exports_of)
    primary_exports = {n: primary.func_sig(i) for n, k, i in primary.exports if k == "func"}

    # compiler-rt helpers that side modules import and the main module does
    # not export (128-bit integer and long double arithmetic): the shim
    # implements them (wasi-shim/compiler_builtins.cc); likewise the
    # encoding-conversion helpers (wasi-shim/pg_conv.cc).
    for m in sides:
        for mod, f, k, t in m.func_imports:
            if mod == "env" and f in SHIM_BUILTINS:
                host_imports[(mod, f)] = m.types[t]
            if mod == "env" and f in SHIM_PG_CONV and f not in primary_exports:
                host_imports[(mod, f)] = m.types[t]
            # Side modules may need invoke_* signatures Postgres itself does
            # not use (pg_ivm's invoke_jiiiii): trampolines for those too.
            if mod == "env" and f.startswith("invoke_"):
                host_imports.setdefault((mod, f), m.types[t])

    out = [
        "/* Generated by tools/build/wasm_link_gen.py - do not edit. */",
        '#include "module_desc.h"',
        f'#include "{primary.name}_module.h"',
        "",
        "/* Postgres' stack_base_ptr (static, unexported): PGlite's loop mode leaves",
        "   it NULL, which disables check_stack_depth(); the host re-arms it. */",
        f"const uint32_t pgl_stack_base_ptr_offset = {primary.memory_base_load_offset('check_stack_depth')}u;",
        "/* namespace.c's myTempNamespace/myTempToastNamespace: the server swaps",
        "   them so each client has temporary tables of its own. */",
        f"const uint32_t pgl_temp_namespace_offset = {primary.temp_namespace_offsets()[0]}u;",
        f"const uint32_t pgl_temp_toast_namespace_offset = {primary.temp_namespace_offsets()[1]}u;",
        "/* ipc.c's before_shmem_exit_index/_list: the backend drops the duplicate",
        "   RemoveTempRelationsCallback each client's first temporary table adds. */",
        f"const uint32_t pgl_exit_index_offset = {primary.exit_list_offsets()[0]}u;",
        f"const uint32_t pgl_exit_list_offset = {primary.exit_list_offsets()[1]}u;",
        "/* sequence.c's seqhashtab/last_used_seq: the server swaps them so each",
        "   client has its own sequence caches and lastval(). */",
        f"const uint32_t pgl_sequence_table_offset = {primary.sequence_offsets()[0]}u;",
        f"const uint32_t pgl_last_used_sequence_offset = {primary.sequence_offsets()[1]}u;",
        f"const uint32_t pgl_got_mem_count = {len(got_mem)}u;",
        f"const uint32_t pgl_got_func_count = {len(got_func)}u;",
        "const char* const pgl_got_mem_names[] = {" + ", ".join(f'"{n}"' for n in got_mem) + (", " if got_mem else "") + "0};",
        "const char* const pgl_got_func_names[] = {" + ", ".join(f'"{n}"' for n in got_func) + (", " if got_func else "") + "0};",
    ]
    for n, i in got_mem.items():
        out.append(f"u32* Z_GOTZ2EmemZ_{mangle(n)}(struct Z_GOTZ2Emem_instance_t* g) {{ return &g->cells[{i}]; }}")
    for n, i in got_func.items():
        out.append(f"u32* Z_GOTZ2EfuncZ_{mangle(n)}(struct Z_GOTZ2Efunc_instance_t* g) {{ return &g->cells[{i}]; }}")

    # env.* imports of side modules that the host does not implement: call the
    # main module's export, or resolve through the table at run time.
    thunks, missing = {}, []
    for m in sides:
        for mod, f, k, t in m.func_imports:
            if mod != "env" or ("env", f) in host_imports:
                continue
            sig = m.types[t]
            if f in thunks:
                if thunks[f] != sig:
                    sys.exit(f"wasm_link_gen: env.{f} imported with two signatures")
                continue
            thunks[f] = sig
    aliases = {"getTempRet0": "_emscripten_tempret_get", "setTempRet0": "_emscripten_tempret_set"}
    for f, (p, r) in sorted(thunks.items()):
        ret = c_ret(r)
        target = aliases.get(f, f)
        call_args = ", ".join(f"a{i}" for i in range(len(p)))
        rv = "" if ret == "void" else "return "
        if primary_exports.get(target) == (p, r):
            out.append(f"{ret} Z_envZ_{mangle(f)}({c_params(p)}) {{ {rv}Z_{primary.name}Z_{mangle(target)}((Z_{primary.name}_instance_t*)env->main_instance{', ' + call_args if call_args else ''}); }}")
        else:
            missing.append(f)
            fn_t = f"{ret} (*)(void*{''.join(', ' + CT[x] for x in p)})"
            out.append(f"{ret} Z_envZ_{mangle(f)}({c_params(p)}) {{ const wasm_rt_funcref_t* fr = pgl_resolve_env_func(env, \"{f}\", \"{sig_str(p, r)}\"); {rv}(({fn_t})fr->func)(fr->module_instance{', ' + call_args if call_args else ''}); }}")

    # invoke_* trampolines: call a table entry under a setjmp frame.
    invokes = sorted({f: sig for (mod, f), sig in host_imports.items() if mod == "env" and f.startswith("invoke_")}.items())
    out.append("")
    out.append(f"static uint32_t invoke_type_ids[{max(1, len(invokes))}];")
    out.append("void pgl_register_invoke_types(void) {")
    for i, (f, (p, r)) in enumerate(invokes):
        out.append(f'  invoke_type_ids[{i}] = pgl_func_type_id("{sig_str(p[1:], r)}");')
    out.append("}")
    for i, (f, (p, r)) in enumerate(invokes):
        ret = c_ret(r)
        callee = p[1:]
        fn_t = f"{ret} (*)(void*{''.join(', ' + CT[x] for x in callee)})"
        call_args = "".join(f", a{j + 1}" for j in range(len(callee)))
        out.append(f"{ret} Z_envZ_{mangle(f)}({c_params(p)}) {{")
        out.append("  pgl_sjlj_frame frame;")
        out.append("  pgl_sjlj_push(env, &frame);")
        out.append("  if (PGL_SJLJ_SETJMP(frame.buf) == 0) {")
        out.append(f"    const wasm_rt_funcref_t* fr = pgl_table_entry(env, a0, invoke_type_ids[{i}]);")
        if ret == "void":
            out.append(f"    (({fn_t})fr->func)(fr->module_instance{call_args});")
            out.append("    pgl_sjlj_pop(env, &frame);")
            out.append("    return;")
        else:
            out.append(f"    {ret} r = (({fn_t})fr->func)(fr->module_instance{call_args});")
            out.append("    pgl_sjlj_pop(env, &frame);")
            out.append("    return r;")
        out.append("  }")
        out.append("  pgl_sjlj_caught(env, &frame);")
        if ret != "void":
            out.append("  return 0;")
        out.append("}")

    out.append("")
    for m in allm:
        out.append(f"extern const pgl_module_desc pgl_module_{m.name};")
    out.append("const pgl_module_desc* const pgl_side_modules[] = {" + "".join(f"&pgl_module_{m.name}, " for m in sides) + "0};")
    write_if_changed(os.path.join(args.out, "glue.c"), "\n".join(out) + "\n")
    # Imports no module provides at build time are resolved when first
    # called (pgl_resolve_env_func), as Emscripten links them lazily.
    for m in allm:
        write_if_changed(os.path.join(args.out, f"{m.name}_link.c"),
                         module_link_c(m, args.header_dir, got_mem, got_func))
    if missing:
        # Which libraries have functions that raise 0A000 when called.
        users = {}
        for m in sides:
            n = len({f for mod, f, k, t in m.func_imports if mod == "env" and f in set(missing)})
            if n:
                users[m.lib_name] = n
        by_lib = ", ".join(f"{lib} {n}" for lib, n in sorted(users.items(), key=lambda x: -x[1]))
        print(f"wasm_link_gen: {len(missing)} env imports resolved at run time ({by_lib}): "
              f"{' '.join(missing[:20])}", file=sys.stderr)


if __name__ == "__main__":
    main()
