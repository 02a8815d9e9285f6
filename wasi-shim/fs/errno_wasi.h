// Errno values as the guest (Emscripten/WASI numbering) sees them.
#pragma once

namespace pglite::shim::wasi_errno {
constexpr int kSuccess = 0;
constexpr int k2BIG = 1;
constexpr int kACCES = 2;
constexpr int kAGAIN = 6;
constexpr int kBADF = 8;
constexpr int kBUSY = 10;
constexpr int kEXIST = 20;
constexpr int kFAULT = 21;
constexpr int kFBIG = 22;
constexpr int kINTR = 27;
constexpr int kINVAL = 28;
constexpr int kIO = 29;
constexpr int kISDIR = 31;
constexpr int kLOOP = 32;
constexpr int kMFILE = 33;
constexpr int kMLINK = 34;
constexpr int kNAMETOOLONG = 37;
constexpr int kNODEV = 43;
constexpr int kNOENT = 44;
constexpr int kNOMEM = 48;
constexpr int kNOSPC = 51;
constexpr int kNOSYS = 52;
constexpr int kNOTDIR = 54;
constexpr int kNOTEMPTY = 55;
constexpr int kNOTSUP = 58;
constexpr int kNOTTY = 59;
constexpr int kNXIO = 60;
constexpr int kOVERFLOW = 61;
constexpr int kPERM = 63;
constexpr int kPIPE = 64;
constexpr int kRANGE = 68;
constexpr int kROFS = 69;
constexpr int kSPIPE = 70;
constexpr int kXDEV = 75;
constexpr int kAFNOSUPPORT = 5;
constexpr int kNOTSOCK = 57;
}  // namespace pglite::shim::wasi_errno
