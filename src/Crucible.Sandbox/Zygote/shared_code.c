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

/* One line of /proc/self/maps: its range, permissions ("r-xp") and the start of its path ("" for anonymous memory). */
struct mapping { unsigned long start, end; char perms[5]; char path[16]; };

/*
 * Reads /proc/self/maps into out, whole, before anything is changed (changing permissions or pinning while reading
 * could split or merge the lines still to come); also used by hot_pages.c. The number of mappings, or -1.
 */
__attribute__((visibility("hidden"))) int crucible_read_maps(struct mapping *out, int max)
{
    FILE *maps = fopen("/proc/self/maps", "re");
    if (!maps) return -1;
    char line[4096];
    int n = 0;
    while (n < max && fgets(line, sizeof line, maps))
    {
        int path_at = 0;
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &out[n].start, &out[n].end, out[n].perms, &path_at) != 3) continue;
        snprintf(out[n].path, sizeof out[n].path, "%s", path_at ? line + path_at : "");
        n++;
    }
    fclose(maps);
    return n;
}

/* Returns the number of mappings prepared (the zygote reports nothing from it: a mapping left as it was only costs faults). */
int crucible_share_code(void)
{
    static struct mapping found[MAX_MAPPINGS];
    int n = crucible_read_maps(found, MAX_MAPPINGS);
    int prepared = 0;
    for (int i = 0; i < n; i++)
    {
        /* Files only (not the stack, vdso or anonymous memory), private, readable and never writable. */
        const char *perms = found[i].perms;
        if (found[i].path[0] != '/' || perms[0] != 'r' || perms[1] != '-' || perms[3] != 'p') continue;
        int prot = PROT_READ | (perms[2] == 'x' ? PROT_EXEC : 0);
        void *at = (void *)found[i].start;
        size_t len = found[i].end - found[i].start;
        if (mprotect(at, len, prot | PROT_WRITE) != 0) continue;
        volatile char *first = (volatile char *)at;
        *first = *first;
        mprotect(at, len, prot);
        prepared++;
    }
    return prepared;
}
