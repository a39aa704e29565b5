/*
 * Crucible zygote: the pages every Python run writes, copied into each run's process by fork itself.
 *
 * A forked run shares the zygote's anonymous pages read-only and copies one the first time it writes it: a trap, a
 * copy and a TLB flush of the page. A trivial Python run writes ~200 pages it shares with its zygote (reference counts
 * on the zygote's objects, allocator pools, the interpreter's own state), the same ones in every run. On a VM that
 * flushes the TLB by hypercall (PVM) such a fault costs ~20-40 us with two CPUs busy, where the copy itself is
 * well under one: a fifth of the machine went to those flushes (perf record -a -g under /run_code load).
 *
 * fork() copies at once, into the child, a page that may be pinned for DMA (the kernel's folio_needs_cow_for_dma),
 * instead of sharing it: the child gets its own writable copy with no fault, and the zygote's page stays writable.
 * So, once per Python zygote before its loop: a learning run of a trivial program, forked and executed the way a
 * run is, reports which pages it made its own (present and exclusively mapped in /proc/self/pagemap), and the zygote
 * pins those of them it has mapped as io_uring fixed buffers (never used for I/O: the registration is the pin). A
 * standalone measurement (a preloaded interpreter forking a trivial program 300 times): 197 -> 85 faults and
 * 6.3 -> 4.0 ms of CPU per child, the parent's own 1.07 -> 0.72 ms per fork. Pinning all the zygote's writable
 * memory instead copied 11 MB per fork: 3.3-3.9 ms in the parent.
 *
 * Where io_uring is unavailable (disabled, or the registration refused) nothing is pinned and runs fault as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_RANGES 4096
#define MAX_MAPS 1024
#define PAGE 4096ul
#define PM_PRESENT (1ull << 63)
#define PM_FILE (1ull << 61)
#define PM_EXCLUSIVE (1ull << 56)

struct range { uint64_t start, length; };

struct mapping { unsigned long start, end; char perms[5]; char path[16]; }; /* as shared_code.c defines it */
int crucible_read_maps(struct mapping *out, int max) __attribute__((visibility("hidden"))); /* shared_code.c */

/* The writable private mappings of this process, but for the kernel's own ([vvar], [vsyscall]). */
static int writable_mappings(struct range *out, int max)
{
    static struct mapping all[MAX_MAPS];
    int nall = crucible_read_maps(all, MAX_MAPS), n = 0;
    if (nall < 0) return -1;
    for (int i = 0; i < nall && n < max; i++)
    {
        const char *perms = all[i].perms;
        if (perms[0] != 'r' || perms[1] != 'w' || perms[3] != 'p') continue;
        if (strncmp(all[i].path, "[vvar]", 6) == 0 || strncmp(all[i].path, "[vsyscall]", 10) == 0) continue;
        out[n++] = (struct range){ all[i].start, all[i].end - all[i].start };
    }
    return n;
}

/*
 * In the learning run, at its end: writes to fd the ranges of pages this process has made its own (struct range
 * each, in address order). Returns the number of ranges, or -1.
 */
int crucible_report_hot_pages(int fd)
{
    static struct range maps[MAX_MAPS], found[MAX_RANGES];
    static uint64_t entries[512];
    int nmaps = writable_mappings(maps, MAX_MAPS), n = 0;
    int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (nmaps < 0 || pagemap < 0) return -1;
    for (int m = 0; m < nmaps && n < MAX_RANGES; m++)
    {
        uint64_t run_start = 0;
        for (uint64_t at = maps[m].start; at < maps[m].start + maps[m].length && n < MAX_RANGES;)
        {
            uint64_t pages = (maps[m].start + maps[m].length - at) / PAGE;
            if (pages > 512) pages = 512;
            ssize_t got = pread(pagemap, entries, pages * 8, (off_t)(at / PAGE * 8));
            if (got <= 0) break;
            for (uint64_t i = 0; i < (uint64_t)got / 8; i++, at += PAGE)
            {
                uint64_t e = entries[i];
                int own = (e & PM_PRESENT) && (e & PM_EXCLUSIVE) && !(e & PM_FILE);
                if (own && !run_start) run_start = at;
                if (!own && run_start) { found[n++] = (struct range){ run_start, at - run_start }; run_start = 0; }
                if (n >= MAX_RANGES) break;
            }
        }
        if (run_start && n < MAX_RANGES)
            found[n++] = (struct range){ run_start, maps[m].start + maps[m].length - run_start };
    }
    close(pagemap);
    ssize_t want = (ssize_t)(n * sizeof found[0]), done = 0;
    while (done < want)
    {
        ssize_t w = write(fd, (char *)found + done, (size_t)(want - done));
        if (w <= 0) return -1;
        done += w;
    }
    return n;
}

static int ring = -1;
static struct iovec pins[MAX_RANGES], runner_pins[MAX_RANGES];
static int npins, nrunner_pins;

/* Pins the ranges in a new ring of this process; the number of pages, or -errno. */
static long register_pins(const struct iovec *v, int n)
{
    long pages = 0;
    for (int i = 0; i < n; i++) pages += (long)(v[i].iov_len / PAGE);
    uint32_t params[30]; /* struct io_uring_params (120 bytes): all zero asks for defaults */
    memset(params, 0, sizeof params);
    int fd = (int)syscall(SYS_io_uring_setup, 1, params);
    if (fd < 0) return -errno;
    /* Out of the way of the low descriptors a runner puts its control socket on (3) */
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 64);
    if (high >= 0)
    {
        close(fd);
        fd = high;
    }
    if (syscall(SYS_io_uring_register, fd, 0 /* IORING_REGISTER_BUFFERS */, v, n) != 0)
    {
        int err = errno;
        close(fd);
        return -err;
    }
    ring = fd;
    return pages;
}

/* Appends to out (n used of MAX_RANGES) the ranges cut to the mappings (a learning process's new arenas are not the
 * zygote's); the new count. */
static int cut(const struct range *ranges, int count, const struct range *maps, int nmaps, struct iovec *out, int n)
{
    for (int i = 0; i < count && n < MAX_RANGES; i++)
        for (int m = 0; m < nmaps && n < MAX_RANGES; m++)
        {
            uint64_t lo = ranges[i].start > maps[m].start ? ranges[i].start : maps[m].start;
            uint64_t a = ranges[i].start + ranges[i].length, b = maps[m].start + maps[m].length;
            uint64_t hi = a < b ? a : b;
            if (lo >= hi || lo % PAGE) continue;
            out[n++] = (struct iovec){ (void *)lo, hi - lo };
        }
    return n;
}

static int by_start(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct iovec *)a)->iov_base, y = (uintptr_t)((const struct iovec *)b)->iov_base;
    return x < y ? -1 : x > y;
}

/* Sorts and merges overlapping ranges, so that no page is pinned twice; the new count. */
static int merge(struct iovec *v, int n)
{
    if (n == 0) return 0;
    qsort(v, (size_t)n, sizeof v[0], by_start);
    int k = 0;
    for (int i = 1; i < n; i++)
    {
        char *end = (char *)v[k].iov_base + v[k].iov_len;
        if ((char *)v[i].iov_base < end)
        {
            char *e = (char *)v[i].iov_base + v[i].iov_len;
            if (e > end) v[k].iov_len = (size_t)(e - (char *)v[k].iov_base);
        }
        else v[++k] = v[i];
    }
    return k + 1;
}

/*
 * In the zygote: pins the pages the learning run reported, cut to the writable private memory the zygote has mapped,
 * and notes them with those a learning runner's test reported for its warm runners (crucible_pin_hot_pages_again).
 * Returns the number of pages pinned, or -errno. Called once; the ring stays open for the zygote's life (runs close
 * every descriptor they inherit, and it is not theirs).
 */
long crucible_pin_hot_pages(const struct range *ranges, int count, const struct range *runner_ranges, int runner_count)
{
    static struct range maps[MAX_MAPS];
    if (ring >= 0) return -EALREADY;
    int nmaps = writable_mappings(maps, MAX_MAPS);
    if (nmaps < 0) return -errno;
    npins = merge(pins, cut(ranges, count, maps, nmaps, pins, 0));
    memcpy(runner_pins, pins, (size_t)npins * sizeof pins[0]); /* a runner's set: a run's, and its tests' own */
    nrunner_pins = merge(runner_pins, cut(runner_ranges, runner_count, maps, nmaps, runner_pins, npins));
    if (npins == 0) return 0;
    long pages = register_pins(pins, npins);
    if (pages < 0) npins = nrunner_pins = 0;
    return pages;
}

/*
 * In a warm runner's process (forked from the zygote, as root, before its uid and seccomp filter): pins the pages a
 * run and a runner's test write, now this process's own copies, so that the runner's fork per test copies them. A
 * test process closes every descriptor above 2, the ring's with them. Returns the number of pages pinned, or -errno;
 * nothing is pinned where the zygote pinned nothing.
 */
__attribute__((visibility("hidden"))) long crucible_pin_hot_pages_again(void)
{
    ring = -1; /* the zygote's, closed in this process */
    return nrunner_pins ? register_pins(runner_pins, nrunner_pins) : 0;
}
