#!/usr/bin/env python3
"""libpglite.so exports its public API and nothing else.

Every dynamic symbol the library defines must be either a C function
declared in pglite.h, or an entity of namespace pglite (functions, static
data, and the typeinfo/vtables of the public classes), never of the private
namespaces (pglite::internal, detail, shim, cli) or a class's Impl. Every C
function pglite.h declares must be exported, and so must every public
pglite:: function the static library defines out of line (a public class or
function that lost its PGLITE_EXPORT). And the static library's objects are
compiled with hidden visibility: no strong global definition in it has
default visibility unless it is public, so a shared object linking
libpglite.a does not re-export the library's internals.

usage: exported_symbols.py LIBPGLITE_SO LIBPGLITE_A PGLITE_H
"""
import re
import subprocess
import sys


def c_api_functions(header_path):
    text = open(header_path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"^\s*#[^\n]*", "", text, flags=re.M)
    # Declarations "T name(args);" at file scope; function-pointer typedefs
    # ("(*pglite_notice_fn)(") don't match because of the ')'.
    return set(re.findall(r"\b(pglite_[A-Za-z0-9_]+)\s*\(", text))


def exported_symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    symbols = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            symbols[parts[2].split("@")[0]] = parts[1]
    return symbols


def demangle(names):
    if not names:
        return {}
    out = subprocess.run(["c++filt"], input="\n".join(names), check=True, capture_output=True, text=True).stdout
    return dict(zip(names, out.splitlines()))


# Itanium mangling of an entity whose innermost enclosing namespace chain starts
# with ::pglite: _ZN[cv-qualifiers]6pglite..., typeinfo (TI), its name (TS),
# vtable (TV), VTT (TT), guard variables (GV), thunks (Th<n>_/Tv<n>_<n>_).
PGLITE_ENTITY = re.compile(r"^_Z(?:T[ISVT]|GV|Th n?\d+_|Tv n?\d+_n?\d+_)?N[rVKRO]*6pglite".replace(" ", ""))
PRIVATE_NAMESPACE = re.compile(
    r"^_Z(?:T[ISVT]|GV|Th n?\d+_|Tv n?\d+_n?\d+_)?N[rVKRO]*6pglite(?:8internal|6detail|4shim|3cli)".replace(" ", ""))
SPECIAL_PREFIX = re.compile(r"^(?:typeinfo name for |typeinfo for |vtable for |VTT for |guard variable for "
                            r"|non-virtual thunk to |virtual thunk to )")


def entity_name(demangled):
    """The qualified name of a demangled symbol, without parameters."""
    name = SPECIAL_PREFIX.sub("", demangled)
    return name.split("(", 1)[0]


def is_public_cxx(mangled, pretty):
    if not PGLITE_ENTITY.match(mangled) or PRIVATE_NAMESPACE.match(mangled):
        return False
    return re.search(r"::Impl\b", entity_name(pretty.get(mangled, mangled))) is None


def archive_public_definitions(archive):
    """pglite:: symbols the static library defines out of line (strong)."""
    out = subprocess.run(["nm", "--defined-only", "-g", archive], check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in ("T", "D", "B", "R") and PGLITE_ENTITY.match(parts[2]):
            names.add(parts[2])
    return names


def archive_default_visibility(archive):
    """Strong (GLOBAL) definitions with default visibility in the archive."""
    out = subprocess.run(["readelf", "-sW", archive], check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(parts) >= 8 and parts[4] == "GLOBAL" and parts[5] == "DEFAULT" and parts[6] != "UND":
            names.add(parts[7])
    return names


def main():
    lib, archive, header = sys.argv[1], sys.argv[2], sys.argv[3]
    declared = c_api_functions(header)
    if len(declared) < 10:
        sys.exit(f"found only {len(declared)} functions in {header}: parser broken?")
    symbols = exported_symbols(lib)
    if not symbols:
        sys.exit(f"{lib} exports no symbols")
    in_archive = archive_public_definitions(archive)
    pretty = demangle(sorted({s for s in symbols if s.startswith("_Z")} | in_archive))

    bad = []
    c_exported = set()
    cxx_exported = 0
    for name, kind in sorted(symbols.items()):
        if name in declared:
            if kind not in ("T", "W"):
                bad.append(f"{name}: declared in pglite.h but exported as '{kind}', not a function")
            c_exported.add(name)
        elif is_public_cxx(name, pretty):
            cxx_exported += 1
        else:
            bad.append(f"{name}  ({pretty[name]})" if name in pretty else name)

    missing = [f"{name} (declared in pglite.h)" for name in sorted(declared - c_exported)]
    missing += [f"{pretty[name]} (defined in {archive})" for name in sorted(in_archive)
                if name not in symbols and is_public_cxx(name, pretty)]
    default_in_archive = archive_default_visibility(archive)
    leaking = sorted(n for n in default_in_archive if n not in declared and not is_public_cxx(n, pretty))
    leaking_pretty = demangle([n for n in leaking if n.startswith("_Z")])

    for entry in missing:
        print(f"NOT EXPORTED: {entry}")
    for entry in bad:
        print(f"UNEXPECTED EXPORT: {entry}")
    for name in leaking:
        print(f"DEFAULT VISIBILITY: {leaking_pretty.get(name, name)} (defined in {archive})")
    print(f"{len(symbols)} exported symbols: {len(c_exported)} C API functions "
          f"(of {len(declared)} declared), {cxx_exported} in namespace pglite; "
          f"{len(default_in_archive)} default-visibility global definitions in the archive")
    if missing or bad or leaking:
        sys.exit(1)


if __name__ == "__main__":
    main()
