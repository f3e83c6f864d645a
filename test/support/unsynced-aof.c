// LD_PRELOAD for redis-server, for the durability fault test only: what Redis writes to its
// append-only files (paths ending in .aof, opened for writing with open64) stays in this process
// until Redis fsyncs (or closes) that file. A SIGKILL then loses exactly the writes no fsync had
// made durable, which is what a power loss of the host can lose from the kernel's page cache
// (the emulation is the pessimistic case: a real kernel may have written some of them already).
// Built by test/support/process.ts (unsyncedAofPreload) with the C compiler (.ci/run installs gcc when it is missing).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FD 4096
static struct { char *buf; size_t len, cap; int held; } pending[MAX_FD];
// Redis writes from its main thread and, with appendfsync everysec, fsyncs from a background one.
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_open64)(const char *, int, ...);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_close)(int);

__attribute__((constructor)) static void init(void) {
  real_write = dlsym(RTLD_NEXT, "write");
  real_open64 = dlsym(RTLD_NEXT, "open64");
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
  real_close = dlsym(RTLD_NEXT, "close");
}

static int is_aof(const char *path) {
  size_t n = strlen(path);
  return n > 4 && strcmp(path + n - 4, ".aof") == 0;
}

int open64(const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, mode_t);
    va_end(ap);
  }
  int fd = real_open64(path, flags, mode);
  if (fd >= 0 && fd < MAX_FD && (flags & (O_WRONLY | O_RDWR)) && is_aof(path)) {
    pthread_mutex_lock(&lock);
    pending[fd].held = 1;
    pending[fd].len = 0;
    pthread_mutex_unlock(&lock);
  }
  return fd;
}

ssize_t write(int fd, const void *data, size_t n) {
  if (fd < 0 || fd >= MAX_FD || !pending[fd].held) return real_write(fd, data, n);
  pthread_mutex_lock(&lock);
  if (pending[fd].len + n > pending[fd].cap) {
    pending[fd].cap = (pending[fd].len + n) * 2;
    pending[fd].buf = realloc(pending[fd].buf, pending[fd].cap);
  }
  memcpy(pending[fd].buf + pending[fd].len, data, n);
  pending[fd].len += n;
  pthread_mutex_unlock(&lock);
  return (ssize_t)n;
}

/* The held bytes reach the file, as the kernel writes dirty pages on fsync. */
static void release(int fd) {
  if (fd < 0 || fd >= MAX_FD || !pending[fd].held) return;
  pthread_mutex_lock(&lock);
  for (size_t off = 0; off < pending[fd].len;) {
    ssize_t w = real_write(fd, pending[fd].buf + off, pending[fd].len - off);
    if (w <= 0) break;
    off += (size_t)w;
  }
  pending[fd].len = 0;
  pthread_mutex_unlock(&lock);
}

int fsync(int fd) {
  release(fd);
  return real_fsync(fd);
}

int fdatasync(int fd) {
  release(fd);
  return real_fdatasync(fd);
}

int close(int fd) {
  release(fd);
  if (fd >= 0 && fd < MAX_FD) pending[fd].held = 0;
  return real_close(fd);
}
