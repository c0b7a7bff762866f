/*
 * The C side of the ring benchmarks: the same loops as RingRoundTripBenchmark.java, built from the
 * <xen/io/ring.h> macros, with two unpinned pthreads on one one-page blkif ring.
 *
 *   ring_bench busy|event|inline 1|32 WARMUP_ITERATIONS ITERATIONS SECONDS [whole|segments|kept]
 *
 * busy: both sides poll; event: the event-suppression protocol (RING_FINAL_CHECK_FOR_* before
 * sleeping, RING_PUSH_*_AND_CHECK_NOTIFY before waking) with a blocking eventfd per side, as the
 * Java benchmark does through FFM; inline: no second thread, the main thread sends, serves and
 * receives in turn (the CPU cost of the ring code, without cache-line transfers). Prints one line
 * per measured iteration: round trips per second, and the benchmark thread's CPU nanoseconds per
 * round trip (in inline mode the whole CPU cost, the figure to compare with RingCpuProbe's).
 *
 * What the backend does with each request (the last argument, run-ring-bench.sh passes COPY):
 * whole (the default, and the only behaviour before round 7): RING_COPY_REQUEST into a local, then
 * id and operation echoed with status OKAY; gcc keeps only the loads of those two fields (9 bytes).
 * segments: what the Java backend's COPY=segments handler does: RING_COPY_REQUEST into a local,
 * nr_segments read from that copy and checked (0 or more than 11 is answered BLKIF_RSP_ERROR, as
 * Linux's blkback does), then gref, first_sect and last_sect of exactly those segments used (folded
 * into a sum printed at the end, so that gcc keeps their loads), id and operation echoed.
 * kept: as whole, but an empty asm statement that takes the copy's address makes gcc keep the
 * whole RING_COPY_REQUEST (all 112 bytes read from the slot and stored to the local), which is
 * what the Java backend's COPY=whole handler does; the counterpart of Java's whole row.
 */
#define _GNU_SOURCE
#define __XEN_TOOLS__ 1
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#include <xen/xen.h>
#include <xen/io/ring.h>
#include <xen/io/blkif.h>

static blkif_sring_t *sring;
static blkif_front_ring_t fr;
static blkif_back_ring_t br;
static int event_mode, inline_mode;
static int to_back, to_front;
static volatile int running = 1;
static uint64_t next_id, expected_id, failures;
/* What the backend does with a request: COPY_WHOLE, COPY_SEGMENTS or COPY_KEPT (see above). */
enum { COPY_WHOLE, COPY_SEGMENTS, COPY_KEPT };
static int copy_mode;
/* The segments' fields of every request served in segments mode, summed: printed, so used. */
static uint64_t segment_sum;

static inline void relax(void)
{
    __builtin_ia32_pause();
    __asm__ __volatile__("" ::: "memory");
}

static void signal_fd(int fd)
{
    uint64_t one = 1;
    if (write(fd, &one, sizeof one) != sizeof one) { perror("write eventfd"); exit(2); }
}

static void await_fd(int fd)
{
    uint64_t v;
    if (read(fd, &v, sizeof v) != sizeof v) { perror("read eventfd"); exit(2); }
}

/*
 * Answers every waiting request and pushes the responses; returns how many. Inlined once per copy
 * mode with a constant `mode`, so no mode tests the mode per request.
 */
static inline __attribute__((always_inline)) int serve_requests(int mode)
{
    const int segments = mode == COPY_SEGMENTS;
    RING_IDX rp = br.sring->req_prod;
    xen_rmb();
    if (RING_REQUEST_PROD_OVERFLOW(&br, rp)) { fprintf(stderr, "req_prod overflow\n"); exit(2); }
    RING_IDX rc = br.req_cons;
    int served = 0;
    uint64_t sum = 0;
    while (rc != rp && !RING_REQUEST_CONS_OVERFLOW(&br, rc)) {
        blkif_request_t req;
        RING_COPY_REQUEST(&br, rc, &req);
        if (mode == COPY_KEPT)
            __asm__ __volatile__("" : : "r"(&req) : "memory");
        br.req_cons = ++rc;
        int16_t status = BLKIF_RSP_OKAY;
        if (segments) {
            /* Decisions on the private copy only (R2): the count, then the segments it names. */
            unsigned n = req.nr_segments;
            if (n == 0 || n > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
                status = BLKIF_RSP_ERROR;
            } else {
                for (unsigned s = 0; s < n; s++)
                    sum += req.seg[s].gref + ((uint64_t)req.seg[s].first_sect << 32)
                        + ((uint64_t)req.seg[s].last_sect << 40);
            }
        }
        blkif_response_t *rsp = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);
        memset(rsp, 0, sizeof *rsp);
        rsp->id = req.id;
        rsp->operation = req.operation;
        rsp->status = status;
        br.rsp_prod_pvt++;
        served++;
    }
    if (segments)
        segment_sum += sum;
    if (served) {
        if (event_mode) {
            int notify;
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
            if (notify) signal_fd(to_front);
        } else {
            RING_PUSH_RESPONSES(&br);
        }
    }
    return served;
}

static int serve_available(void)
{
    switch (copy_mode) {
    case COPY_SEGMENTS: return serve_requests(COPY_SEGMENTS);
    case COPY_KEPT: return serve_requests(COPY_KEPT);
    default: return serve_requests(COPY_WHOLE);
    }
}

static void *backend(void *arg)
{
    (void)arg;
    while (running) {
        if (serve_available())
            continue;
        if (event_mode) {
            int work;
            RING_FINAL_CHECK_FOR_REQUESTS(&br, work);
            if (!work) await_fd(to_back);
        } else {
            relax();
        }
    }
    return NULL;
}

static void send_requests(unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        blkif_request_t *req = RING_GET_REQUEST(&fr, fr.req_prod_pvt);
        memset(req, 0, sizeof *req);
        req->operation = BLKIF_OP_READ;
        req->nr_segments = 1;
        req->id = next_id;
        req->sector_number = next_id << 3;
        req->seg[0].gref = (grant_ref_t)next_id;
        req->seg[0].last_sect = 7;
        next_id++;
        fr.req_prod_pvt++;
    }
    if (event_mode) {
        int notify;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
        if (notify) signal_fd(to_back);
    } else {
        RING_PUSH_REQUESTS(&fr);
    }
}

static void receive_responses(unsigned count)
{
    unsigned received = 0;
    while (received < count) {
        RING_IDX rp = fr.sring->rsp_prod;
        xen_rmb();
        if (RING_RESPONSE_PROD_OVERFLOW(&fr, rp)) { fprintf(stderr, "rsp_prod overflow\n"); exit(2); }
        if (rp != fr.rsp_cons) {
            for (RING_IDX i = fr.rsp_cons; i != rp; i++) {
                blkif_response_t rsp;
                RING_COPY_RESPONSE(&fr, i, &rsp);
                if (rsp.id != expected_id++ || rsp.status != BLKIF_RSP_OKAY) failures++;
                received++;
            }
            fr.rsp_cons = rp;
            continue;
        }
        if (event_mode) {
            int work;
            RING_FINAL_CHECK_FOR_RESPONSES(&fr, work);
            if (!work) await_fd(to_front);
        } else {
            relax();
        }
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* CPU time of the calling thread: in inline mode the whole cost of a round trip, which other
 * processes on the machine stretch much less than they stretch wall-clock throughput. */
static double thread_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: %s busy|event|inline DEPTH WARMUP_ITERATIONS ITERATIONS SECONDS [whole|segments|kept]\n",
                argv[0]);
        return 64;
    }
    const char *copy = argc == 7 ? argv[6] : "whole";
    if (strcmp(copy, "whole") == 0) {
        copy_mode = COPY_WHOLE;
    } else if (strcmp(copy, "segments") == 0) {
        copy_mode = COPY_SEGMENTS;
    } else if (strcmp(copy, "kept") == 0) {
        copy_mode = COPY_KEPT;
    } else {
        fprintf(stderr, "copy %s: whole, segments or kept\n", copy);
        return 64;
    }
    event_mode = strcmp(argv[1], "event") == 0;
    inline_mode = strcmp(argv[1], "inline") == 0;
    unsigned depth = (unsigned)atoi(argv[2]);
    int warmups = atoi(argv[3]), iterations = atoi(argv[4]);
    double seconds = atof(argv[5]);
    sring = aligned_alloc(4096, 4096);
    XEN_FRONT_RING_INIT(&fr, sring, 4096);
    BACK_RING_INIT(&br, sring, 4096);
    if (depth > RING_SIZE(&fr)) { fprintf(stderr, "depth %u > ring size %u\n", depth, RING_SIZE(&fr)); return 64; }
    to_back = eventfd(0, 0);
    to_front = eventfd(0, 0);
    pthread_t thread;
    if (!inline_mode)
        pthread_create(&thread, NULL, backend, NULL);
    for (int it = -warmups; it < iterations; it++) {
        unsigned long trips = 0;
        double start = now(), end = start + seconds, t, cpu_start = thread_cpu();
        do {
            for (int k = 0; k < 64; k++) {
                send_requests(depth);
                if (inline_mode)
                    serve_available();
                receive_responses(depth);
                trips += depth;
            }
            t = now();
        } while (t < end);
        if (it >= 0)
            printf("%s depth=%u copy=%s iteration=%d thread_cpu_ns_per_op=%.2f ops_per_s=%.1f\n", argv[1], depth,
                   copy, it, (thread_cpu() - cpu_start) * 1e9 / trips,
                   trips / (t - start));
        fflush(stdout);
    }
    running = 0;
    if (!inline_mode) {
        signal_fd(to_back);
        pthread_join(thread, NULL);
    }
    if (failures) { fprintf(stderr, "failures=%llu\n", (unsigned long long)failures); return 2; }
    if (copy_mode == COPY_SEGMENTS)
        printf("segment_sum=%llu\n", (unsigned long long)segment_sum);
    return 0;
}
