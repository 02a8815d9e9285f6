// The SQLSTATE codes the host itself reports (its own errors, and the ones
// it gives in Postgres' place), named as in PostgreSQL's errcodes.txt. Codes
// the backend reports reach the caller as they are.
#pragma once

namespace pglite::sqlstate {

inline constexpr const char* kSuccess = "00000";
inline constexpr const char* kConnectionDoesNotExist = "08003";
inline constexpr const char* kConnectionFailure = "08006";
inline constexpr const char* kProtocolViolation = "08P01";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kNumericValueOutOfRange = "22003";
inline constexpr const char* kNullValueNotAllowed = "22004";
inline constexpr const char* kCharacterNotInRepertoire = "22021";
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kInvalidTransactionState = "25000";
inline constexpr const char* kActiveSqlTransaction = "25001";
inline constexpr const char* kIdleInTransactionSessionTimeout = "25P03";
inline constexpr const char* kInvalidPassword = "28P01";
inline constexpr const char* kExternalRoutineInvocationException = "39000";
inline constexpr const char* kTransactionRollback = "40000";
inline constexpr const char* kSyntaxError = "42601";
inline constexpr const char* kUndefinedColumn = "42703";
inline constexpr const char* kDiskFull = "53100";
inline constexpr const char* kOutOfMemory = "53200";
inline constexpr const char* kTooManyConnections = "53300";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kObjectNotInPrerequisiteState = "55000";
inline constexpr const char* kObjectInUse = "55006";
inline constexpr const char* kQueryCanceled = "57014";
inline constexpr const char* kCrashShutdown = "57P02";
inline constexpr const char* kCannotConnectNow = "57P03";
inline constexpr const char* kIdleSessionTimeout = "57P05";
inline constexpr const char* kSystemError = "58000";
inline constexpr const char* kIoError = "58030";
inline constexpr const char* kUndefinedFile = "58P01";
inline constexpr const char* kDuplicateFile = "58P02";
inline constexpr const char* kConfigFileError = "F0000";
inline constexpr const char* kInternalError = "XX000";
inline constexpr const char* kDataCorrupted = "XX001";

}  // namespace pglite::sqlstate
