/*
 * One side of a blkif ring in its own process, built from the <xen/io/ring.h> macros, for the
 * cross-language tests: the other side is Java (FrontRing or BackRing) in the test JVM.
 *
 *   ring_peer front|back SHM_FILE PAGES NOTIFY_OUT NOTIFY_IN COUNT DEPTH SPIN
 *
 * The ring lives in SHM_FILE (mapped shared); events travel as one byte per notification over two
 * FIFOs. The frontend initialises the ring and then sends one byte; the backend waits for it.
 * Each side polls SPIN times before it re-arms the event index (RING_FINAL_CHECK_FOR_*) and
 * blocks on its FIFO. Every request and response is checked field by field; the program prints
 * one summary line and exits 0, or prints what went wrong and exits 2.
 */
#define _GNU_SOURCE
#include "xen4j_ring.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

static int notify_out, notify_in;
static unsigned long notifies, waits;

static void notify(void)
{
    char b = 'e';
    notifies++;
    while (write(notify_out, &b, 1) != 1) {
        if (errno != EINTR) { perror("write notify"); exit(2); }
    }
}

static void wait_event(void)
{
    char buf[64];
    waits++;
    while (read(notify_in, buf, sizeof buf) <= 0) {
        if (errno != EINTR) { perror("read event"); exit(2); }
    }
}

static int run_front(blkif_sring_t *s, size_t bytes, uint32_t count, uint32_t depth, unsigned spin)
{
    blkif_front_ring_t fr;
    XEN_FRONT_RING_INIT(&fr, s, bytes);
    notify(); /* the ring is initialised: the backend may attach */
    uint32_t sent = 0, done = 0;
    unsigned idle = 0;
    while (done < count) {
        int produced = 0;
        while (sent < count && sent - done < depth && !RING_FULL(&fr)) {
            blkif_request_t *req = RING_GET_REQUEST(&fr, fr.req_prod_pvt);
            memset(req, 0, sizeof *req);
            xen4j_fill_request(req, sent++);
            fr.req_prod_pvt++;
            produced = 1;
        }
        if (produced) {
            int do_notify;
            RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, do_notify);
            if (do_notify) notify();
        }
        RING_IDX rp = fr.sring->rsp_prod;
        xen_rmb();
        if (RING_RESPONSE_PROD_OVERFLOW(&fr, rp)) {
            fprintf(stderr, "front: rsp_prod overflow rp=%u rsp_cons=%u\n", rp, fr.rsp_cons);
            return 2;
        }
        if (rp != fr.rsp_cons) {
            for (RING_IDX i = fr.rsp_cons; i != rp; i++) {
                blkif_response_t rsp;
                RING_COPY_RESPONSE(&fr, i, &rsp);
                int bad = xen4j_check_response(&rsp, done);
                if (bad) {
                    fprintf(stderr, "front: response %u field %d wrong: id=%llu op=%u status=%d\n", done, bad,
                            (unsigned long long)rsp.id, rsp.operation, rsp.status);
                    return 2;
                }
                done++;
            }
            fr.rsp_cons = rp;
            idle = 0;
            continue;
        }
        if (produced) continue;
        if (++idle < spin) { cpu_relax(); continue; }
        idle = 0;
        int work;
        RING_FINAL_CHECK_FOR_RESPONSES(&fr, work);
        if (!work) wait_event();
    }
    printf("role=front requests=%u notifies=%lu waits=%lu\n", done, notifies, waits);
    return 0;
}

static int run_back(blkif_sring_t *s, size_t bytes, uint32_t count, unsigned spin)
{
    blkif_back_ring_t br;
    wait_event(); /* until the frontend initialised the ring */
    waits = 0;
    BACK_RING_INIT(&br, s, bytes);
    uint32_t handled = 0;
    unsigned idle = 0;
    while (handled < count) {
        RING_IDX rp = br.sring->req_prod;
        xen_rmb();
        if (RING_REQUEST_PROD_OVERFLOW(&br, rp)) {
            fprintf(stderr, "back: req_prod overflow rp=%u rsp_prod_pvt=%u\n", rp, br.rsp_prod_pvt);
            return 2;
        }
        RING_IDX rc = br.req_cons;
        int consumed = 0;
        while (rc != rp && !RING_REQUEST_CONS_OVERFLOW(&br, rc)) {
            blkif_request_t req;
            RING_COPY_REQUEST(&br, rc, &req);
            br.req_cons = ++rc;
            int bad = xen4j_check_request(&req, handled);
            if (bad) {
                fprintf(stderr, "back: request %u field %d wrong: id=%llu\n", handled, bad,
                        (unsigned long long)req.id);
                return 2;
            }
            blkif_response_t *rsp = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);
            memset(rsp, 0, sizeof *rsp);
            xen4j_fill_response(rsp, handled);
            br.rsp_prod_pvt++;
            handled++;
            consumed = 1;
        }
        if (consumed) {
            int do_notify;
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, do_notify);
            if (do_notify) notify();
            idle = 0;
            continue;
        }
        if (++idle < spin) { cpu_relax(); continue; }
        idle = 0;
        int work;
        RING_FINAL_CHECK_FOR_REQUESTS(&br, work);
        if (!work) wait_event();
    }
    printf("role=back requests=%u notifies=%lu waits=%lu\n", handled, notifies, waits);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: %s front|back SHM_FILE PAGES NOTIFY_OUT NOTIFY_IN COUNT DEPTH SPIN\n", argv[0]);
        return 64;
    }
    alarm(600); /* never outlive a hung test */
    size_t bytes = (size_t)atoi(argv[3]) * XEN4J_PAGE_SIZE;
    uint32_t count = (uint32_t)strtoul(argv[6], NULL, 10);
    uint32_t depth = (uint32_t)strtoul(argv[7], NULL, 10);
    unsigned spin = (unsigned)strtoul(argv[8], NULL, 10);
    int fd = open(argv[2], O_RDWR);
    if (fd < 0) { perror(argv[2]); return 2; }
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 2; }
    notify_out = open(argv[4], O_RDWR);
    notify_in = open(argv[5], O_RDWR);
    if (notify_out < 0 || notify_in < 0) { perror("open fifo"); return 2; }
    int rc = strcmp(argv[1], "front") == 0 ? run_front(p, bytes, count, depth, spin)
                                           : run_back(p, bytes, count, spin);
    fflush(stdout);
    return rc;
}
