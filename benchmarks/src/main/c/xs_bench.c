/*
 * xs_bench: round trips per second of libxenstore against a xenstored, the C reference for
 * XenStoreClientBenchmark. It connects where XENSTORED_PATH says (as every libxenstore program
 * does), writes /xen4j-bench/c/<thread> once, then loops xs_read or xs_write for a fixed time.
 *
 *   XENSTORED_PATH=/tmp/xs/socket ./xs_bench read|write <seconds> [threads]
 *
 * With threads > 1 each thread has its own connection (libxenstore serialises the requests of
 * one handle), which is how a C program gets several requests in flight. Prints one line:
 *   mode=<mode> threads=<n> ops=<count> seconds=<s> ops_per_sec=<rate>
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

struct worker {
    int id;
    bool write;
    double seconds;
    long ops;
    int failed;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
    struct worker *w = arg;
    char path[64];
    struct xs_handle *h = xs_open(0);
    if (!h) {
        perror("xs_open");
        w->failed = 1;
        return NULL;
    }
    snprintf(path, sizeof(path), "/xen4j-bench/c/%d", w->id);
    if (!xs_write(h, XBT_NULL, path, "value-0123456789", 16)) {
        perror("xs_write (setup)");
        w->failed = 1;
        xs_close(h);
        return NULL;
    }
    const double end = now() + w->seconds;
    long ops = 0;
    while ((ops & 63) != 0 || now() < end) {
        if (w->write) {
            if (!xs_write(h, XBT_NULL, path, "value-0123456789", 16)) {
                perror("xs_write");
                w->failed = 1;
                break;
            }
        } else {
            unsigned int len;
            void *v = xs_read(h, XBT_NULL, path, &len);
            if (!v) {
                perror("xs_read");
                w->failed = 1;
                break;
            }
            free(v);
        }
        ops++;
    }
    w->ops = ops;
    xs_close(h);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "read") != 0 && strcmp(argv[1], "write") != 0)) {
        fprintf(stderr, "usage: XENSTORED_PATH=<socket> %s read|write <seconds> [threads]\n", argv[0]);
        return 2;
    }
    const bool write = strcmp(argv[1], "write") == 0;
    const double seconds = atof(argv[2]);
    const int threads = argc > 3 ? atoi(argv[3]) : 1;
    if (threads < 1 || threads > 256 || seconds <= 0) {
        fprintf(stderr, "xs_bench: threads must be 1..256 and seconds > 0\n");
        return 2;
    }
    struct worker *workers = calloc(threads, sizeof(*workers));
    pthread_t *tids = calloc(threads, sizeof(*tids));
    const double start = now();
    for (int i = 0; i < threads; i++) {
        workers[i] = (struct worker){ .id = i, .write = write, .seconds = seconds };
        pthread_create(&tids[i], NULL, run, &workers[i]);
    }
    long total = 0;
    int failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(tids[i], NULL);
        total += workers[i].ops;
        failed |= workers[i].failed;
    }
    const double elapsed = now() - start;
    printf("mode=%s threads=%d ops=%ld seconds=%.3f ops_per_sec=%.0f\n", argv[1], threads, total, elapsed,
           total / elapsed);
    free(workers);
    free(tids);
    return failed;
}
