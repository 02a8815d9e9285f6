#include "fs/errno_map.h"

#include <cerrno>

#include "fs/errno_wasi.h"

namespace pglite::shim {

int host_to_guest_errno(int e) {
  namespace w = wasi_errno;
  switch (e) {
    case 0:
      return w::kSuccess;
    case E2BIG:
      return w::k2BIG;
    case EACCES:
      return w::kACCES;
    case EAGAIN:
      return w::kAGAIN;
    case EBADF:
      return w::kBADF;
    case EBUSY:
      return w::kBUSY;
    case EDEADLK:
      return 16;
    case EDQUOT:
      return 19;
    case EEXIST:
      return w::kEXIST;
    case EFAULT:
      return w::kFAULT;
    case EFBIG:
      return w::kFBIG;
    case EILSEQ:
      return 25;
    case EINTR:
      return w::kINTR;
    case EINVAL:
      return w::kINVAL;
    case EIO:
      return w::kIO;
    case EISDIR:
      return w::kISDIR;
    case ELOOP:
      return w::kLOOP;
    case EMFILE:
      return w::kMFILE;
    case EMLINK:
      return w::kMLINK;
    case ENAMETOOLONG:
      return w::kNAMETOOLONG;
    case ENFILE:
      return 41;
    case ENODEV:
      return w::kNODEV;
    case ENOENT:
      return w::kNOENT;
    case ENOLCK:
      return 46;
    case ENOMEM:
      return w::kNOMEM;
    case ENOSPC:
      return w::kNOSPC;
    case ENOSYS:
      return w::kNOSYS;
    case ENOTDIR:
      return w::kNOTDIR;
    case ENOTEMPTY:
      return w::kNOTEMPTY;
    case ENOTSUP:
      return w::kNOTSUP;
    case ENOTTY:
      return w::kNOTTY;
    case ENXIO:
      return w::kNXIO;
    case EOVERFLOW:
      return w::kOVERFLOW;
    case EPERM:
      return w::kPERM;
    case EPIPE:
      return w::kPIPE;
    case ERANGE:
      return w::kRANGE;
    case EROFS:
      return w::kROFS;
    case ESPIPE:
      return w::kSPIPE;
    case ESTALE:
      return 72;
    case ETXTBSY:
      return 74;
    case EXDEV:
      return w::kXDEV;
    default:
      return w::kIO;
  }
}

int neg_guest_errno_from_host() { return -host_to_guest_errno(errno); }

}  // namespace pglite::shim
