/*
 * Crucible zygote: its code and read-only data handed to every run's process already mapped.
 *
 * fork() copies no page-table entries of a mapping that has no anonymous page (the kernel's vma_needs_copy): a file
 * mapping that was never written, such as the interpreter's and libc's code and read-only data, starts empty in the
 * child, which then faults again on each page of it that it touches, though the page is in memory and mapped in the
 * zygote. A trivial Python run took ~60 of its ~260 page faults there, the same pages in every run (perf record -e
 * page-faults -d over 200 runs); on a VM where a fault costs ~15 us (PVM) that is about a millisecond of each run.
 * Once in a Python zygote, before its loop, each read-only private file mapping is given one anonymous page (its first
 * byte written back as it was, under a moment's write permission); from then on fork copies the entries the zygote
 * has, which are the pages its own start-up and preloading used: 260 -> 200 faults per run. Mapping every page of
 * them beforehand (MADV_POPULATE_READ) took no further fault away and made each fork copy ~2,300 entries more.
 * Only for zygotes whose runs go on in the interpreter: a run that execs another program drops them unused.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>

#define MAX_MAPPINGS 512

/* Returns the number of mappings prepared (the zygote reports nothing from it: a mapping left as it was only costs faults). */
int crucible_share_code(void)
{
    static struct { unsigned long start, end; int prot; } found[MAX_MAPPINGS];
    int n = 0;
    FILE *maps = fopen("/proc/self/maps", "re");
    if (!maps) return 0;
    char line[4096];
    /* Read whole first: changing permissions while reading could split or merge the lines still to come. */
    while (n < MAX_MAPPINGS && fgets(line, sizeof line, maps))
    {
        unsigned long start, end;
        char perms[5];
        int path_at = 0;
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &start, &end, perms, &path_at) != 3 || path_at == 0) continue;
        /* Files only (not the stack, vdso or anonymous memory), private, readable and never writable. */
        if (line[path_at] != '/' || perms[0] != 'r' || perms[1] != '-' || perms[3] != 'p') continue;
        found[n].start = start;
        found[n].end = end;
        found[n].prot = PROT_READ | (perms[2] == 'x' ? PROT_EXEC : 0);
        n++;
    }
    fclose(maps);
    int prepared = 0;
    for (int i = 0; i < n; i++)
    {
        void *at = (void *)found[i].start;
        size_t len = found[i].end - found[i].start;
        if (mprotect(at, len, found[i].prot | PROT_WRITE) != 0) continue;
        volatile char *first = (volatile char *)at;
        *first = *first;
        mprotect(at, len, found[i].prot);
        prepared++;
    }
    return prepared;
}
