/* fresh-pages: what the first touch of fresh anonymous memory costs on this machine, in 4 KiB pages
 * and in transparent huge pages; the measurement behind the native qapigen's HugePageHeap.
 * Built with `cc -O2 -o fresh-pages fresh-pages.c`:
 *
 *   fresh-pages MIB [ROUNDS]
 *
 * Each round maps MIB MiB of fresh memory twice, as the .NET GC does (reserved inaccessible, then made
 * readable and writable), once as it is and once advised MADV_HUGEPAGE, writes every byte of each and
 * unmaps it; it prints the milliseconds of the writes (the faults are most of them) and the page faults
 * taken, then the medians of the rounds and their ratio. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long faults(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt + usage.ru_majflt;
}

/* Touches size bytes of fresh memory aligned to 2 MiB; huge: advised MADV_HUGEPAGE first. */
static double touch(size_t size, int huge, long *taken)
{
    const size_t align = 2UL << 20;
    char *reserved = mmap(NULL, size + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (reserved == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    char *start = (char *)(((unsigned long)reserved + align - 1) & ~(align - 1));
    if (mprotect(start, size, PROT_READ | PROT_WRITE) != 0 || (huge && madvise(start, size, MADV_HUGEPAGE) != 0)) {
        perror("mprotect/madvise");
        exit(1);
    }
    long before = faults();
    double began = now_ms();
    memset(start, 1, size);
    double ms = now_ms() - began;
    *taken = faults() - before;
    munmap(reserved, size + align);
    return ms;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fresh-pages MIB [ROUNDS]\n");
        return 2;
    }
    size_t size = (size_t)atol(argv[1]) << 20;
    int rounds = argc > 2 ? atoi(argv[2]) : 11;
    if (size == 0 || rounds < 1 || rounds > 1000) {
        fprintf(stderr, "usage: fresh-pages MIB [ROUNDS]\n");
        return 2;
    }
    double *small = calloc(rounds, sizeof *small), *huge = calloc(rounds, sizeof *huge);
    for (int i = 0; i < rounds; i++) {
        long small_faults, huge_faults;
        small[i] = touch(size, 0, &small_faults);
        huge[i] = touch(size, 1, &huge_faults);
        printf("round %2d: 4 KiB pages %7.2f ms %6ld faults; huge pages %7.2f ms %6ld faults\n",
               i + 1, small[i], small_faults, huge[i], huge_faults);
    }
    qsort(small, rounds, sizeof *small, by_value);
    qsort(huge, rounds, sizeof *huge, by_value);
    printf("medians: 4 KiB pages %.2f ms, huge pages %.2f ms: %.1fx\n", small[rounds / 2], huge[rounds / 2],
           small[rounds / 2] / huge[rounds / 2]);
    return 0;
}
