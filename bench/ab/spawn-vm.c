/*
 * Tried for issue 13 (docs/hot-path.md "Session 15", exec runs without a fork): the CPU of starting a program from a
 * process that holds 6 MB of its own memory, by fork + execve against clone(CLONE_VM | CLONE_VFORK) + execve, as the
 * zygote's exec runs now start. 500 spawns of a static no-op each; the parent writes one of its pages per spawn, as
 * the zygote's loop does.
 * Usage: cc -O2 -o /tmp/spawn-vm bench/ab/spawn-vm.c && /tmp/spawn-vm 0 (fork) && /tmp/spawn-vm 1 (clone)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A static program that only exits: x86-64 machine code for exit(0), written to a file at start. */
static const unsigned char nop_elf_code[] = { 0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05 };
static char nop_path[] = "/tmp/spawn-vm-nop-XXXXXX";

static int child(void *unused)
{
    (void)unused;
    char *argv[] = { nop_path, NULL };
    execv(nop_path, argv);
    _exit(127);
}

static double ms(struct rusage a, struct rusage b)
{
    return (b.ru_utime.tv_sec - a.ru_utime.tv_sec + b.ru_stime.tv_sec - a.ru_stime.tv_sec) * 1e3 +
           (b.ru_utime.tv_usec - a.ru_utime.tv_usec + b.ru_stime.tv_usec - a.ru_stime.tv_usec) / 1e3;
}

/* Writes a minimal ELF executable (one PT_LOAD segment holding nop_elf_code) to nop_path. */
static void write_nop(void)
{
    unsigned char elf[120 + sizeof nop_elf_code];
    memset(elf, 0, sizeof elf);
    unsigned long long entry = 0x400000 + 120, size = sizeof elf, vaddr = 0x400000, phoff = 64;
    memcpy(elf, "\x7f" "ELF\x02\x01\x01", 7);
    elf[16] = 2; elf[18] = 62; elf[20] = 1;                     /* ET_EXEC, x86-64, version 1 */
    memcpy(elf + 24, &entry, 8); memcpy(elf + 32, &phoff, 8);
    elf[52] = 64; elf[54] = 56; elf[56] = 1;                    /* header size, phentsize, phnum */
    unsigned char *ph = elf + 64;
    ph[0] = 1; ph[4] = 5;                                       /* PT_LOAD, R+X */
    memcpy(ph + 16, &vaddr, 8); memcpy(ph + 24, &vaddr, 8);
    memcpy(ph + 32, &size, 8); memcpy(ph + 40, &size, 8);
    memcpy(elf + 120, nop_elf_code, sizeof nop_elf_code);
    int fd = mkstemp(nop_path);
    if (fd < 0 || write(fd, elf, sizeof elf) != (ssize_t)sizeof elf) { perror("write"); exit(1); }
    fchmod(fd, 0755);
    close(fd);
}

int main(int argc, char **argv)
{
    int mode = argc > 1 ? atoi(argv[1]) : 0, n = 500;
    size_t anon = 6u << 20;
    char *memory = malloc(anon);
    memset(memory, 1, anon);
    write_nop();
    char *stack = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct rusage self0, self1, kids0, kids1;
    getrusage(RUSAGE_SELF, &self0);
    getrusage(RUSAGE_CHILDREN, &kids0);
    for (int i = 0; i < n; i++)
    {
        pid_t pid;
        if (mode == 0) { if ((pid = fork()) == 0) child(NULL); }
        else pid = clone(child, stack + (1 << 16), CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
        memory[(size_t)i * 4096 % anon] = 2;
        waitpid(pid, NULL, 0);
    }
    getrusage(RUSAGE_SELF, &self1);
    getrusage(RUSAGE_CHILDREN, &kids1);
    unlink(nop_path);
    printf("%s: parent %.3f ms, child %.3f ms per spawn, child faults %.1f\n", mode ? "clone_vm" : "fork",
           ms(self0, self1) / n, ms(kids0, kids1) / n, (double)(kids1.ru_minflt - kids0.ru_minflt) / n);
    return 0;
}
