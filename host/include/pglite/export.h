/* PGLITE_EXPORT marks the library's public ABI. The library is compiled with
 * -fvisibility=hidden, so libpglite.so exports exactly the declarations that
 * carry this mark: the C API (pglite.h) and the public C++ classes and
 * functions in namespace pglite. Building and using the library need the
 * same (default) visibility on GCC and Clang, so there is one definition.
 * PGLITE_NO_EXPORT keeps a nested implementation class of an exported class
 * (Database::Impl) private. */
#ifndef PGLITE_EXPORT_H
#define PGLITE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define PGLITE_EXPORT __attribute__((visibility("default")))
#define PGLITE_NO_EXPORT __attribute__((visibility("hidden")))
#else
#define PGLITE_EXPORT
#define PGLITE_NO_EXPORT
#endif

#endif /* PGLITE_EXPORT_H */
