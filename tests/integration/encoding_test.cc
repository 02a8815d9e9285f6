// Encoding conversions and the statements that used to trap the instance.
// The conversion side modules call Postgres helpers pglite.wasm does not
// export (LocalToUtf, UtfToLocal, check_encoding_conversion_args, ...); the
// shim provides them (wasi-shim/pg_conv.cc). Expected values are native
// PostgreSQL's (15.18; conversions are unchanged in 17). Every failure must
// be an ordinary ERROR after which the same database still answers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pglite/pglite.hpp"

namespace {

class EncodingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { db_ = new pglite::Database(pglite::Database::temporary()); }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  pglite::Database& db() { return *db_; }
  static pglite::Database* db_;

  // The database is healthy: not broken, and answers a query.
  void expect_healthy() {
    EXPECT_FALSE(db().broken());
    auto r = db().exec("SELECT 1");
    ASSERT_EQ(r.rows(), 1u);
    EXPECT_EQ(r.get<int64_t>(0, 0), 1);
  }

  std::string value(const std::string& sql) {
    auto r = db().exec(sql);
    EXPECT_EQ(r.rows(), 1u) << sql;
    if (r.rows() != 1 || !r.value(0, 0)) return "<null>";
    return std::string(*r.value(0, 0));
  }

  // The statement fails with an ordinary error; returns "SQLSTATE: message".
  std::string error_of(const std::string& sql) {
    try {
      db().exec(sql);
    } catch (const pglite::Error& e) {
      return e.sqlstate() + ": " + e.message();
    }
    return "no error";
  }
};
pglite::Database* EncodingTest::db_ = nullptr;

struct Case {
  const char* sql;
  const char* expected;
};

TEST_F(EncodingTest, ConvertToEveryEncodingMatchesNative) {
  const std::vector<Case> cases = {
      {"SELECT convert_to('héllo €', 'LATIN9')", "\\x68e96c6c6f20a4"},
      {"SELECT convert_to('héllo', 'LATIN1')", "\\x68e96c6c6f"},
      {"SELECT convert_to('héllo €', 'WIN1252')", "\\x68e96c6c6f2080"},
      {"SELECT convert_to('日本語', 'EUC_JP')", "\\xc6fccbdcb8ec"},
      {"SELECT convert_to('日本語ｱ', 'SJIS')", "\\x93fa967b8ceab1"},
      {"SELECT convert_to('日本語', 'SHIFT_JIS_2004')", "\\x93fa967b8cea"},
      {"SELECT convert_to('日本語', 'EUC_JIS_2004')", "\\xc6fccbdcb8ec"},
      {"SELECT convert_to(E'\\u304b\\u309a', 'SHIFT_JIS_2004')", "\\x82f5"},  // combined map
      {"SELECT convert_to(E'\\u304b\\u309a', 'EUC_JIS_2004')", "\\xa4f7"},
      {"SELECT convert_from('\\xa4f7'::bytea, 'EUC_JIS_2004') = E'\\u304b\\u309a'", "t"},
      {"SELECT convert_to('中文', 'BIG5')", "\\xa4a4a4e5"},
      {"SELECT convert_to('中文', 'GBK')", "\\xd6d0cec4"},
      {"SELECT convert_to('中文€', 'GB18030')", "\\xd6d0cec4a2e3"},
      {"SELECT convert_to(E'\\U0001F600', 'GB18030')", "\\x9439fc36"},  // conversion callback
      {"SELECT convert_to(E'\\u0080', 'GB18030')", "\\x81308130"},
      {"SELECT convert_to('中文', 'EUC_CN')", "\\xd6d0cec4"},
      {"SELECT convert_to('中文', 'EUC_TW')", "\\xc4e3c5c6"},
      {"SELECT convert_to('한국어', 'EUC_KR')", "\\xc7d1b1b9beee"},
      {"SELECT convert_to('한국어', 'UHC')", "\\xc7d1b1b9beee"},
      {"SELECT convert_to('한국어', 'JOHAB')", "\\xd0658a82b4e1"},
      {"SELECT convert_to('Привет', 'KOI8R')", "\\xf0d2c9d7c5d4"},
      {"SELECT convert_to('Привет', 'WIN1251')", "\\xcff0e8e2e5f2"},
      {"SELECT convert_to('Привет', 'WIN866')", "\\x8fe0a8a2a5e2"},
      {"SELECT convert_to('Привет', 'ISO_8859_5')", "\\xbfe0d8d2d5e2"},
      {"SELECT convert_to('Привіт', 'KOI8U')", "\\xf0d2c9d7a6d4"},
      {"SELECT convert_to('Ελληνικά', 'ISO_8859_7')", "\\xc5ebebe7ede9eadc"},
      {"SELECT convert_to('Ελληνικά', 'WIN1253')", "\\xc5ebebe7ede9eadc"},
      {"SELECT convert_to('שלום', 'WIN1255')", "\\xf9ece5ed"},
      {"SELECT convert_to('שלום', 'ISO_8859_8')", "\\xf9ece5ed"},
      {"SELECT convert_to('مرحبا', 'WIN1256')", "\\xe3d1cdc8c7"},
      {"SELECT convert_to('مرحبا', 'ISO_8859_6')", "\\xe5d1cdc8c7"},
      {"SELECT convert_to('ąčę', 'LATIN2')", "\\xb1e8ea"},
      {"SELECT convert_to('ąčę', 'WIN1250')", "\\xb9e8ea"},
      {"SELECT convert_to('ğış', 'LATIN5')", "\\xf0fdfe"},
      {"SELECT convert_to('ğış', 'WIN1254')", "\\xf0fdfe"},
      {"SELECT convert_to('āē', 'LATIN4')", "\\xe0ba"},
      {"SELECT convert_to('ĉĝ', 'LATIN3')", "\\xe6f8"},
      {"SELECT convert_to('ŋ', 'LATIN6')", "\\xbf"},
      {"SELECT convert_to('ą', 'LATIN7')", "\\xe0"},
      {"SELECT convert_to('ŵ', 'LATIN8')", "\\xf0"},
      {"SELECT convert_to('ș', 'LATIN10')", "\\xba"},
      {"SELECT convert_to('ā', 'WIN1257')", "\\xe2"},
      {"SELECT convert_to('สวัสดี', 'WIN874')", "\\xcac7d1cab4d5"},
      {"SELECT convert_to(E'\\u00c2\\u0300', 'WIN1258')", "\\xc2cc"},  // combined map
      {"SELECT convert_from('\\xc2cc'::bytea, 'WIN1258') = E'\\u1ea6'", "f"},
      {"SELECT convert_to('abc', 'SQL_ASCII')", "\\x616263"},
  };
  for (const Case& c : cases) EXPECT_EQ(value(c.sql), c.expected) << c.sql;
  expect_healthy();
}

TEST_F(EncodingTest, ConvertFromAndBetweenEncodingsMatchesNative) {
  const std::vector<Case> cases = {
      {"SELECT convert_from('\\xe9'::bytea, 'LATIN1')", "é"},
      {"SELECT convert_from('\\xa4'::bytea, 'LATIN9')", "€"},
      {"SELECT convert_from('\\x80'::bytea, 'WIN1252')", "€"},
      {"SELECT convert_from(convert_to('日本語', 'EUC_JP'), 'EUC_JP')", "日本語"},
      {"SELECT convert_from(convert_to('日本語ｱ', 'SJIS'), 'SJIS')", "日本語ｱ"},
      {"SELECT convert_from(convert_to('中文', 'BIG5'), 'BIG5')", "中文"},
      {"SELECT convert_from(convert_to(E'中文€\\U0001F600', 'GB18030'), 'GB18030')", "中文€😀"},
      {"SELECT convert_from(convert_to('Привет', 'WIN866'), 'WIN866')", "Привет"},
      // Conversions between two non-UTF8 encodings (the *_and_mic modules).
      {"SELECT convert('\\xc6fccbdc'::bytea, 'EUC_JP', 'SJIS')", "\\x93fa967b"},
      {"SELECT convert('\\x93fa967b'::bytea, 'SJIS', 'EUC_JP')", "\\xc6fccbdc"},
      {"SELECT convert('\\xc6fccbdc'::bytea, 'EUC_JP', 'MULE_INTERNAL')", "\\x92c6fc92cbdc"},
      {"SELECT convert(convert_to('Привет','KOI8R'), 'KOI8R', 'WIN1251')", "\\xcff0e8e2e5f2"},
      {"SELECT convert(convert_to('Привет','KOI8R'), 'KOI8R', 'MULE_INTERNAL')",
       "\\x8bf08bd28bc98bd78bc58bd4"},
      {"SELECT convert(convert_to('Привет','WIN866'), 'WIN866', 'ISO_8859_5')", "\\xbfe0d8d2d5e2"},
      {"SELECT convert(convert_to('ąčę','LATIN2'), 'LATIN2', 'WIN1250')", "\\xb9e8ea"},
      {"SELECT convert(convert_to('ąčę','LATIN2'), 'LATIN2', 'MULE_INTERNAL')", "\\x82b182e882ea"},
      {"SELECT convert(convert_to('héllo','LATIN1'), 'LATIN1', 'MULE_INTERNAL')", "\\x6881e96c6c6f"},
      {"SELECT convert('\\x81e9'::bytea, 'MULE_INTERNAL', 'LATIN1')", "\\xe9"},
      {"SELECT convert(convert_to('中文','BIG5'), 'BIG5', 'EUC_TW')", "\\xc4e3c5c6"},
      {"SELECT convert(convert_to('中文','BIG5'), 'BIG5', 'MULE_INTERNAL')", "\\x95c4e395c5c6"},
      {"SELECT convert(convert_to('中文','EUC_CN'), 'EUC_CN', 'MULE_INTERNAL')", "\\x91d6d091cec4"},
      {"SELECT convert(convert_to('한국어','EUC_KR'), 'EUC_KR', 'MULE_INTERNAL')", "\\x93c7d193b1b993beee"},
      {"SELECT convert(convert_to('日本語','EUC_JIS_2004'), 'EUC_JIS_2004', 'SHIFT_JIS_2004')",
       "\\x93fa967b8cea"},
  };
  for (const Case& c : cases) EXPECT_EQ(value(c.sql), c.expected) << c.sql;
  expect_healthy();
}

TEST_F(EncodingTest, BadInputIsAnOrdinaryErrorWithNativeMessage) {
  const std::vector<Case> cases = {
      {"SELECT convert_to('€', 'LATIN1')",
       "22P05: character with byte sequence 0xe2 0x82 0xac in encoding \"UTF8\" has no equivalent in "
       "encoding "
       "\"LATIN1\""},
      {"SELECT convert_to('Ω', 'KOI8R')",
       "22P05: character with byte sequence 0xce 0xa9 in encoding \"UTF8\" has no equivalent in encoding "
       "\"KOI8R\""},
      {"SELECT convert_to('Việt', 'WIN1258')",
       "22P05: character with byte sequence 0xe1 0xbb 0x87 in encoding \"UTF8\" has no equivalent in "
       "encoding "
       "\"WIN1258\""},
      {"SELECT convert_from('\\x81'::bytea, 'WIN1252')",
       "22P05: character with byte sequence 0x81 in encoding \"WIN1252\" has no equivalent in encoding "
       "\"UTF8\""},
      {"SELECT convert('\\x00'::bytea, 'LATIN1', 'UTF8')",
       "22021: invalid byte sequence for encoding \"LATIN1\": 0x00"},
      {"SELECT convert_from('\\xff'::bytea, 'EUC_JP')",
       "22021: invalid byte sequence for encoding \"EUC_JP\": 0xff"},
      {"SELECT convert_from('\\x8e'::bytea, 'EUC_JP')",
       "22021: invalid byte sequence for encoding \"EUC_JP\": 0x8e"},
      {"SELECT convert_from(convert_to('한국어', 'JOHAB'), 'JOHAB')",
       "22021: invalid byte sequence for encoding \"JOHAB\": 0xd0 0x65"},
      {"SELECT convert('\\x8d20'::bytea, 'BIG5', 'UTF8')",
       "22021: invalid byte sequence for encoding \"BIG5\": 0x8d 0x20"},
      {"SELECT convert('\\x81'::bytea, 'GB18030', 'UTF8')",
       "22021: invalid byte sequence for encoding \"GB18030\": 0x81"},
      {"SELECT convert('\\xff41'::bytea, 'SJIS', 'EUC_JP')",
       "22021: invalid byte sequence for encoding \"SJIS\": 0xff 0x41"},
      {"SELECT convert('\\x9a41'::bytea, 'MULE_INTERNAL', 'LATIN1')",
       "22021: invalid byte sequence for encoding \"MULE_INTERNAL\": 0x9a 0x41"},
      {"SELECT convert('\\xc3'::bytea, 'UTF8', 'LATIN1')",
       "22021: invalid byte sequence for encoding \"UTF8\": 0xc3"},
      {"SELECT convert('\\xe282'::bytea, 'UTF8', 'WIN1252')",
       "22021: invalid byte sequence for encoding \"UTF8\": 0xe2 0x82"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(error_of(c.sql), c.expected) << c.sql;
    EXPECT_FALSE(db().broken()) << c.sql;
  }
  expect_healthy();
}

// SET client_encoding used to trap the instance ("out of bounds memory
// access"). Now the session speaks the encoding: text sent in it is decoded,
// results come back in it.
TEST_F(EncodingTest, ClientEncodingsWork) {
  struct Enc {
    const char* name;
    const char* text_sql;  // U&'' literal of the text (encoding-independent)
    std::string bytes;     // the text in that encoding (native convert_to)
  };
  const std::vector<Enc> encodings = {
      {"LATIN1", "U&'h\\00E9llo'", "h\xe9llo"},
      {"LATIN9", "U&'\\20AC'", "\xa4"},
      {"WIN1252", "U&'\\20AC'", "\x80"},
      {"WIN1251", "U&'\\041F\\0440'", "\xcf\xf0"},
      {"KOI8R", "U&'\\041F\\0440'", "\xf0\xd2"},
      {"ISO_8859_5", "U&'\\041F\\0440'", "\xbf\xe0"},
      {"LATIN2", "U&'\\0105'", "\xb1"},
      {"EUC_JP", "U&'\\65E5\\672C'", "\xc6\xfc\xcb\xdc"},
      {"SJIS", "U&'\\65E5\\672C'", "\x93\xfa\x96\x7b"},
      {"SHIFT_JIS_2004", "U&'\\65E5\\672C'", "\x93\xfa\x96\x7b"},
      {"EUC_JIS_2004", "U&'\\65E5\\672C'", "\xc6\xfc\xcb\xdc"},
      {"BIG5", "U&'\\4E2D\\6587'", "\xa4\xa4\xa4\xe5"},
      {"GBK", "U&'\\4E2D\\6587'", "\xd6\xd0\xce\xc4"},
      {"GB18030", "U&'\\4E2D\\6587'", "\xd6\xd0\xce\xc4"},
      {"EUC_CN", "U&'\\4E2D\\6587'", "\xd6\xd0\xce\xc4"},
      {"EUC_TW", "U&'\\4E2D\\6587'", "\xc4\xe3\xc5\xc6"},
      {"EUC_KR", "U&'\\D55C'", "\xc7\xd1"},
      {"UHC", "U&'\\D55C'", "\xc7\xd1"},
      {"SQL_ASCII", "'abc'", "abc"},
      // Not JOHAB: Postgres' JOHAB verifier rejects its own output for
      // Hangul (natively too), so text cannot come back in it.
  };
  for (const Enc& e : encodings) {
    SCOPED_TRACE(e.name);
    db().exec(std::string("SET client_encoding TO ") + e.name);
    EXPECT_EQ(value("SHOW client_encoding"), e.name);
    EXPECT_EQ(value(std::string("SELECT ") + e.text_sql), e.bytes);     // server → client
    EXPECT_EQ(value("SELECT '" + e.bytes + "' = " + e.text_sql), "t");  // client → server
    EXPECT_EQ(value("SELECT length('" + e.bytes + "') = length(" + e.text_sql + ")"), "t");
    EXPECT_FALSE(db().broken());
  }
  db().exec("RESET client_encoding");
  EXPECT_EQ(value("SHOW client_encoding"), "UTF8");
  expect_healthy();
}

TEST_F(EncodingTest, TextTheClientEncodingCannotHoldIsAnOrdinaryError) {
  db().exec("SET client_encoding TO LATIN1");
  EXPECT_EQ(
      error_of("SELECT U&'\\65E5'"),
      "22P05: character with byte sequence 0xe6 0x97 0xa5 in encoding \"UTF8\" has no equivalent in encoding "
      "\"LATIN1\"");
  EXPECT_EQ(value("SELECT 'ok'"), "ok");
  db().exec("SET client_encoding TO EUC_JP");
  EXPECT_EQ(error_of("SELECT '\xa4'"), "22021: invalid byte sequence for encoding \"EUC_JP\": 0xa4 0x27");
  db().exec("RESET client_encoding");
  EXPECT_EQ(error_of("SET client_encoding TO MULE_INTERNAL"),
            "0A000: invalid value for parameter \"client_encoding\": \"mule_internal\"");
  expect_healthy();
}

// Known gap (host/src/backend/pglite_backend.cc): an ERROR whose own text
// cannot be converted to the client encoding raises a second ERROR while
// PostgresMainLongJmp reports the first; PGlite's pgl_longjmp turns that into
// exit(100), which the backend loop ignores, so no error reaches the client
// and the statement looks successful. Native PostgreSQL reports the second
// error. Calling PostgresMainLongJmp again while it exits with 100 (bounded)
// gives the native result.
TEST_F(EncodingTest, DISABLED_ErrorTheClientEncodingCannotHoldIsReported) {
  db().exec("SET client_encoding TO LATIN1");
  EXPECT_EQ(
      error_of("DO $$ BEGIN RAISE EXCEPTION '%', U&'\\65E5'; END $$"),
      "22P05: character with byte sequence 0xe6 0x97 0xa5 in encoding \"UTF8\" has no equivalent in encoding "
      "\"LATIN1\"");
  db().exec("RESET client_encoding");
  expect_healthy();
}

// COPY ... (ENCODING) converts without raising at the first bad byte
// (noError conversions, then a precise error for the failing line).
TEST_F(EncodingTest, CopyWithEncodingMatchesNative) {
  db().exec("CREATE TABLE ct (v text)");
  EXPECT_EQ(db().copy_from("COPY ct FROM STDIN (ENCODING 'WIN1252')", "h\xe9llo\n\x80\n").affected_rows(), 2);
  EXPECT_EQ(db().copy_from("COPY ct FROM STDIN (ENCODING 'EUC_JP')", "\xc6\xfc\xcb\xdc\n").affected_rows(),
            1);
  auto copy_error = [&](const char* sql, const char* data) -> std::string {
    try {
      db().copy_from(sql, data);
    } catch (const pglite::Error& e) {
      return e.sqlstate() + ": " + e.message();
    }
    return "no error";
  };
  EXPECT_EQ(copy_error("COPY ct FROM STDIN (ENCODING 'EUC_JP')", "ab\xa4\n"),
            "22021: invalid byte sequence for encoding \"EUC_JP\": 0xa4 0x0a");
  EXPECT_EQ(copy_error("COPY ct FROM STDIN (ENCODING 'WIN1252')", "ab\x81\n"),
            "22P05: character with byte sequence 0x81 in encoding \"WIN1252\" has no equivalent in encoding "
            "\"UTF8\"");
  EXPECT_EQ(value("SELECT string_agg(v, ',' ORDER BY v) FROM ct"),
            "h\xc3\xa9llo,\xe2\x82\xac,\xe6\x97\xa5\xe6\x9c\xac");
  db().exec("DROP TABLE ct");
  expect_healthy();
}

// libpqwalreceiver.so references WalReceiverFunctions and pg_lsn_in, which
// PGlite's postgres does not export. Loading it used to leave those GOT
// entries 0, and CREATE SUBSCRIPTION then called through garbage ("invalid
// indirect call"). The library is now refused, as Emscripten's loader does.
TEST_F(EncodingTest, CreateSubscriptionIsAnOrdinaryError) {
  std::string err = error_of(
      "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (connect=false, slot_name=NONE)");
  EXPECT_NE(err.find("could not load library"), std::string::npos) << err;
  EXPECT_NE(err.find("libpqwalreceiver"), std::string::npos) << err;
  expect_healthy();
  err = error_of(
      "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (connect=false, slot_name=NONE)");
  EXPECT_NE(err.find("libpqwalreceiver"), std::string::npos) << err;
  err = error_of("LOAD 'libpqwalreceiver'");
  EXPECT_NE(err.find("WalReceiverFunctions"), std::string::npos) << err;
  expect_healthy();
}

TEST_F(EncodingTest, MissingLibrariesAndSymbolsAreOrdinaryErrors) {
  std::string err = error_of("CREATE FUNCTION nolib() RETURNS int AS 'no_such_library', 'f' LANGUAGE C");
  EXPECT_EQ(err.substr(0, 5), "58P01") << err;
  expect_healthy();
  err = error_of("CREATE FUNCTION nosym() RETURNS int AS 'plpgsql', 'no_such_function' LANGUAGE C");
  EXPECT_EQ(err.substr(0, 5), "42883") << err;
  expect_healthy();
  // A symbol that exists but is not a V1 function (no pg_finfo_ record).
  err = error_of("CREATE FUNCTION notv1() RETURNS int AS 'plpgsql', 'plpgsql_compile' LANGUAGE C");
  EXPECT_EQ(err.substr(0, 5), "42883") << err;
  expect_healthy();
}

}  // namespace
