# Pinned wasm inputs. Every byte used from a package is checked against the
# SHA-256 recorded here before use; a mismatch stops the configure step.
set(PGLITE_NPM_PACKAGE "@electric-sql/pglite")
set(PGLITE_NPM_VERSION "0.4.6")
set(PGLITE_NPM_TARBALL "electric-sql-pglite-0.4.6.tgz")
set(PGLITE_NPM_TARBALL_SHA256 "3bafd4480d687057dbbe83881100271aa1185f32f0cc60248f2adc714ed30434")

# Files inside the tarball (package/dist/...).
set(PGLITE_FILE_pglite.wasm "3270dc38b2aeb1bfd0f57a54a36a7f13fccd34176241ef2d0ac7f6f40572f0b7")
set(PGLITE_FILE_pglite.data "16e30ee5cf7145036188ae1f673c9bd81343cf36ed2a32603a5ad9b75af21c37")
set(PGLITE_FILE_pglite.js "f05a11bcd01edc2209db647a663e9e0eb4d8407f728b11b579908c45949a8765")
set(PGLITE_FILE_initdb.wasm "c5f48fdffcb4560bb91c17e7a0809b500e0a10155f778bd89aff1bcbeafe09f7")
set(PGLITE_FILE_initdb.js "d76bd445543b26517fc706566b5cd1937deff5dd1283a61c34fc9fecfc3fd3f2")

set(PGLITE_TOOLS_NPM_PACKAGE "@electric-sql/pglite-tools")
set(PGLITE_TOOLS_NPM_VERSION "0.4.8")
set(PGLITE_TOOLS_NPM_TARBALL "electric-sql-pglite-tools-0.4.8.tgz")
set(PGLITE_TOOLS_NPM_TARBALL_SHA256 "554b62bf6c21100b23151631dab1fef365b85e645ed61c8d0788b8a2f73b4468")
