// Out-of-bounds accesses of the translated Postgres are traps, whichever way
// the build checks them (guard pages by default, explicit bounds checks with
// PGLITE_BOUNDS_CHECKS): the call ends as kTrapped with wasm's reason, the
// process is broken, and the host and other processes carry on.
#include <gtest/gtest.h>

#include <cstdint>

#include "backend/postgres_process.h"

extern "C" {
extern const pgl_module_desc pgl_module_pglite;
}

namespace {

using pglite::internal::GuestLayout;
using pglite::internal::GuestProgram;
using pglite::internal::make_guest_process;
using pglite::shim::CallResult;

using StrlenFn = uint32_t (*)(void*, uint32_t);
using MemcpyFn = uint32_t (*)(void*, uint32_t, uint32_t, uint32_t);

// strlen(addr) in a fresh Postgres process.
CallResult guest_strlen(pglite::shim::Process& proc, uint32_t addr, uint32_t* len) {
  auto fn = pglite::shim::find_function<StrlenFn>(&pgl_module_pglite, "strlen");
  EXPECT_NE(fn, nullptr);
  return proc.call([&] { *len = fn(proc.main_instance(), addr); });
}

TEST(RuntimeTrap, InBoundsLoadReturns) {
  auto proc = make_guest_process(GuestProgram::kPostgres, GuestLayout{});
  uint32_t s = proc->guest_strdup("four");
  uint32_t len = 0;
  CallResult r = guest_strlen(*proc, s, &len);
  EXPECT_EQ(r.kind, CallResult::kReturned);
  EXPECT_EQ(len, 4u);
  EXPECT_FALSE(proc->broken());
}

TEST(RuntimeTrap, LoadPastMemorySizeTraps) {
  auto proc = make_guest_process(GuestProgram::kPostgres, GuestLayout{});
  const uint32_t size = static_cast<uint32_t>(proc->memory().size);
  // Just past the end of the memory, far past it, and the top of the 32-bit
  // address space (beyond any maximum).
  for (uint32_t addr : {size, size + (64u << 20), 0xFFFFFFF0u}) {
    auto other = make_guest_process(GuestProgram::kPostgres, GuestLayout{});
    uint32_t len = 0;
    CallResult r = guest_strlen(*other, addr, &len);
    EXPECT_EQ(r.kind, CallResult::kTrapped) << addr;
    EXPECT_NE(r.trap.find("out of bounds"), std::string::npos) << r.trap;
    EXPECT_TRUE(other->broken());
  }
  // The first process was never touched and still works.
  uint32_t len = 0;
  EXPECT_EQ(guest_strlen(*proc, proc->guest_strdup("ab"), &len).kind, CallResult::kReturned);
  EXPECT_EQ(len, 2u);
}

TEST(RuntimeTrap, StorePastMemorySizeTraps) {
  auto proc = make_guest_process(GuestProgram::kPostgres, GuestLayout{});
  auto fn = pglite::shim::find_function<MemcpyFn>(&pgl_module_pglite, "memcpy");
  ASSERT_NE(fn, nullptr);
  const uint32_t src = proc->guest_strdup("0123456789abcdef0123456789abcdef");
  const uint32_t dst = static_cast<uint32_t>(proc->memory().size) - 8;
  CallResult r = proc->call([&] { fn(proc->main_instance(), dst, src, 32); });
  EXPECT_EQ(r.kind, CallResult::kTrapped);
  EXPECT_NE(r.trap.find("out of bounds"), std::string::npos) << r.trap;
}

}  // namespace
