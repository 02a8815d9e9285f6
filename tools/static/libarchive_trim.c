/*
 * Static CLI only (cmake/StaticCli.cmake). libarchive's pax/ustar writers call
 * __archive_write_entry_filetype_unsupported(), which lives in
 * archive_write_set_format.o next to archive_write_set_format(), the
 * by-code table of every write format. Linking libarchive.a statically would
 * pull that member and with it the 7-Zip, ISO 9660, XAR, ZIP, WARC, ...
 * writers and their dependencies (zlib, bzip2, lzma, libxml2 and ICU,
 * nettle). We only write pax tar, so this file defines the one function
 * (same behaviour as libarchive 3.6's) and the member is never pulled. Should
 * a later libarchive reference archive_write_set_format.o through another
 * symbol, the link fails with a duplicate definition rather than silently
 * growing.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

/* archive_platform.h: EFTYPE where it exists, else EILSEQ (Linux). */
#define ARCHIVE_ERRNO_FILE_FORMAT EILSEQ

void __archive_write_entry_filetype_unsupported(struct archive* a, struct archive_entry* entry,
                                                const char* format);

void __archive_write_entry_filetype_unsupported(struct archive* a, struct archive_entry* entry,
                                                const char* format) {
  const char* name = NULL;
  switch (archive_entry_filetype(entry)) {
    case AE_IFDIR:
      name = "directories";
      break;
    case AE_IFLNK:
      name = "symbolic links";
      break;
    case AE_IFCHR:
      name = "character devices";
      break;
    case AE_IFBLK:
      name = "block devices";
      break;
    case AE_IFIFO:
      name = "named pipes";
      break;
    case AE_IFSOCK:
      name = "sockets";
      break;
    default:
      break;
  }
  if (name != NULL) {
    archive_set_error(a, ARCHIVE_ERRNO_FILE_FORMAT, "%s: %s format cannot archive %s",
                      archive_entry_pathname(entry), format, name);
  } else {
    archive_set_error(a, ARCHIVE_ERRNO_FILE_FORMAT, "%s: %s format cannot archive files with mode 0%lo",
                      archive_entry_pathname(entry), format, (unsigned long)archive_entry_mode(entry));
  }
}
