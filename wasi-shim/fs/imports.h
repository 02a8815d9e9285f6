// Prototypes of the file-related wasm imports implemented here (wasm2c
// mangling: Z_<module>Z_<name>). __syscall_* return -errno as u32, WASI
// calls return the errno itself; both use guest (WASI) errno numbers.
#pragma once

#include <cstdint>

#include "module_desc.h"

extern "C" {

uint32_t Z_envZ___syscall_openat(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t flags,
                                 uint32_t varargs);
uint32_t Z_envZ___syscall_fcntl64(struct Z_env_instance_t*, uint32_t fd, uint32_t cmd, uint32_t varargs);
uint32_t Z_envZ___syscall_ioctl(struct Z_env_instance_t*, uint32_t fd, uint32_t op, uint32_t varargs);
uint32_t Z_envZ___syscall_fstat64(struct Z_env_instance_t*, uint32_t fd, uint32_t buf);
uint32_t Z_envZ___syscall_stat64(struct Z_env_instance_t*, uint32_t path, uint32_t buf);
uint32_t Z_envZ___syscall_lstat64(struct Z_env_instance_t*, uint32_t path, uint32_t buf);
uint32_t Z_envZ___syscall_newfstatat(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t buf,
                                     uint32_t flags);
uint32_t Z_envZ___syscall_statfs64(struct Z_env_instance_t*, uint32_t path, uint32_t size, uint32_t buf);
uint32_t Z_envZ___syscall_getdents64(struct Z_env_instance_t*, uint32_t fd, uint32_t dirp, uint32_t count);
uint32_t Z_envZ___syscall_ftruncate64(struct Z_env_instance_t*, uint32_t fd, uint64_t length);
uint32_t Z_envZ___syscall_truncate64(struct Z_env_instance_t*, uint32_t path, uint64_t length);
uint32_t Z_envZ___syscall_getcwd(struct Z_env_instance_t*, uint32_t buf, uint32_t size);
uint32_t Z_envZ___syscall_chdir(struct Z_env_instance_t*, uint32_t path);
uint32_t Z_envZ___syscall_mkdirat(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t mode);
uint32_t Z_envZ___syscall_unlinkat(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t flags);
uint32_t Z_envZ___syscall_rmdir(struct Z_env_instance_t*, uint32_t path);
uint32_t Z_envZ___syscall_renameat(struct Z_env_instance_t*, uint32_t olddirfd, uint32_t oldpath,
                                   uint32_t newdirfd, uint32_t newpath);
uint32_t Z_envZ___syscall_readlinkat(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t buf,
                                     uint32_t bufsize);
uint32_t Z_envZ___syscall_symlinkat(struct Z_env_instance_t*, uint32_t target, uint32_t newdirfd,
                                    uint32_t linkpath);
uint32_t Z_envZ___syscall_faccessat(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t amode,
                                    uint32_t flags);
uint32_t Z_envZ___syscall_chmod(struct Z_env_instance_t*, uint32_t path, uint32_t mode);
uint32_t Z_envZ___syscall_fchmod(struct Z_env_instance_t*, uint32_t fd, uint32_t mode);
uint32_t Z_envZ___syscall_fchmodat2(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t mode,
                                    uint32_t flags);
uint32_t Z_envZ___syscall_fchown32(struct Z_env_instance_t*, uint32_t fd, uint32_t owner, uint32_t group);
uint32_t Z_envZ___syscall_fchownat(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t owner,
                                   uint32_t group, uint32_t flags);
uint32_t Z_envZ___syscall_utimensat(struct Z_env_instance_t*, uint32_t dirfd, uint32_t path, uint32_t times,
                                    uint32_t flags);
uint32_t Z_envZ___syscall_dup(struct Z_env_instance_t*, uint32_t fd);
uint32_t Z_envZ___syscall_dup3(struct Z_env_instance_t*, uint32_t fd, uint32_t newfd, uint32_t flags);
uint32_t Z_envZ___syscall_fdatasync(struct Z_env_instance_t*, uint32_t fd);
uint32_t Z_envZ___syscall_fadvise64(struct Z_env_instance_t*, uint32_t fd, uint64_t offset, uint64_t len,
                                    uint32_t advice);
uint32_t Z_envZ___syscall_fallocate(struct Z_env_instance_t*, uint32_t fd, uint32_t mode, uint64_t offset,
                                    uint64_t len);
uint32_t Z_envZ___syscall_pipe(struct Z_env_instance_t*, uint32_t fds);
uint32_t Z_envZ___syscall__newselect(struct Z_env_instance_t*, uint32_t nfds, uint32_t readfds,
                                     uint32_t writefds, uint32_t exceptfds, uint32_t timeout);
uint32_t Z_envZ___syscall_socket(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                                 uint32_t);
uint32_t Z_envZ___syscall_bind(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                               uint32_t);
uint32_t Z_envZ___syscall_connect(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                                  uint32_t);
uint32_t Z_envZ___syscall_listen(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                                 uint32_t);
uint32_t Z_envZ___syscall_accept4(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                                  uint32_t);
uint32_t Z_envZ___syscall_recvfrom(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                                   uint32_t);
uint32_t Z_envZ___syscall_sendto(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                                 uint32_t);

uint32_t Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t*, uint32_t fd,
                                            uint32_t iovs, uint32_t iovs_len, uint32_t nwritten);
uint32_t Z_wasi_snapshot_preview1Z_fd_read(struct Z_wasi_snapshot_preview1_instance_t*, uint32_t fd,
                                           uint32_t iovs, uint32_t iovs_len, uint32_t nread);
uint32_t Z_wasi_snapshot_preview1Z_fd_pread(struct Z_wasi_snapshot_preview1_instance_t*, uint32_t fd,
                                            uint32_t iovs, uint32_t iovs_len, uint64_t offset,
                                            uint32_t nread);
uint32_t Z_wasi_snapshot_preview1Z_fd_pwrite(struct Z_wasi_snapshot_preview1_instance_t*, uint32_t fd,
                                             uint32_t iovs, uint32_t iovs_len, uint64_t offset,
                                             uint32_t nwritten);
uint32_t Z_wasi_snapshot_preview1Z_fd_seek(struct Z_wasi_snapshot_preview1_instance_t*, uint32_t fd,
                                           uint64_t offset, uint32_t whence, uint32_t newoffset);
uint32_t Z_wasi_snapshot_preview1Z_fd_close(struct Z_wasi_snapshot_preview1_instance_t*, uint32_t fd);
uint32_t Z_wasi_snapshot_preview1Z_fd_sync(struct Z_wasi_snapshot_preview1_instance_t*, uint32_t fd);
uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_get(struct Z_wasi_snapshot_preview1_instance_t*, uint32_t fd,
                                                 uint32_t buf);
}
