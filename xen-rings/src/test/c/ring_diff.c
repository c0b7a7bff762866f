/*
 * Reference side of the differential tests: applies a script of ring operations with the real
 * <xen/io/ring.h> macros (blkif rings) or the ring.h flex-ring helpers (console page) to a page,
 * prints one result line per operation, then the private indices and the page in hex. The Java
 * test applies the same script with FrontRing/BackRing or ConsoleRing and compares everything.
 *
 *   ring_diff < script        (first line: "ring PAGES" or "console")
 *   ring_diff layout          (offsets of the console and xenstore pages)
 */
#define XEN_WANT_FLEX_CONSOLE_RING 1
#include "xen4j_ring.h"
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>

static unsigned char *page;
static size_t page_bytes;

static void fill_pattern(void)
{
    for (size_t i = 0; i < page_bytes; i++)
        page[i] = (unsigned char)(i * 7u + 3u);
}

static void dump_page(void)
{
    printf("page ");
    for (size_t i = 0; i < page_bytes; i++)
        printf("%02x", page[i]);
    printf("\n");
}

static int run_ring(unsigned pages)
{
    blkif_front_ring_t fr = {0};
    blkif_back_ring_t br = {0};
    page_bytes = (size_t)pages * XEN4J_PAGE_SIZE;
    page = aligned_alloc(XEN4J_PAGE_SIZE, page_bytes);
    fill_pattern();
    blkif_sring_t *s = (blkif_sring_t *)page;
    char op[32];
    while (scanf("%31s", op) == 1) {
        if (!strcmp(op, "shared")) {
            unsigned rp, re, sp, se;
            if (scanf("%u %u %u %u", &rp, &re, &sp, &se) != 4) return 65;
            s->req_prod = rp; s->req_event = re; s->rsp_prod = sp; s->rsp_event = se;
            printf("shared\n");
        } else if (!strcmp(op, "finit")) {
            XEN_FRONT_RING_INIT(&fr, s, page_bytes);
            printf("finit %u\n", RING_SIZE(&fr));
        } else if (!strcmp(op, "fattach")) {
            unsigned i;
            if (scanf("%u", &i) != 1) return 65;
            FRONT_RING_ATTACH(&fr, s, i, page_bytes);
            printf("fattach %u\n", RING_SIZE(&fr));
        } else if (!strcmp(op, "binit")) {
            BACK_RING_INIT(&br, s, page_bytes);
            printf("binit %u\n", RING_SIZE(&br));
        } else if (!strcmp(op, "battach")) {
            unsigned i;
            if (scanf("%u", &i) != 1) return 65;
            BACK_RING_ATTACH(&br, s, i, page_bytes);
            printf("battach %u\n", RING_SIZE(&br));
        } else if (!strcmp(op, "fproduce")) {
            unsigned n;
            if (scanf("%u", &n) != 1) return 65;
            for (unsigned k = 0; k < n; k++) {
                blkif_request_t *req = RING_GET_REQUEST(&fr, fr.req_prod_pvt);
                memset(req, 0, sizeof *req);
                xen4j_fill_request(req, fr.req_prod_pvt);
                fr.req_prod_pvt++;
            }
            printf("fproduce %u\n", n);
        } else if (!strcmp(op, "fpush")) {
            RING_PUSH_REQUESTS(&fr);
            printf("fpush\n");
        } else if (!strcmp(op, "fpushn")) {
            int notify;
            RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
            printf("fpushn %d\n", notify);
        } else if (!strcmp(op, "bconsume")) {
            unsigned n, k = 0;
            if (scanf("%u", &n) != 1) return 65;
            RING_IDX rp = br.sring->req_prod;
            xen_rmb();
            RING_IDX rc = br.req_cons;
            printf("bconsume");
            while (rc != rp && k < n && !RING_REQUEST_CONS_OVERFLOW(&br, rc)) {
                blkif_request_t req;
                RING_COPY_REQUEST(&br, rc, &req);
                printf(" %llx:%d", (unsigned long long)req.id, xen4j_check_request(&req, rc));
                rc++;
                k++;
            }
            br.req_cons = rc;
            printf("\n");
        } else if (!strcmp(op, "brespond")) {
            unsigned n;
            if (scanf("%u", &n) != 1) return 65;
            for (unsigned k = 0; k < n; k++) {
                blkif_response_t *rsp = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);
                memset(rsp, 0, sizeof *rsp);
                xen4j_fill_response(rsp, br.rsp_prod_pvt);
                br.rsp_prod_pvt++;
            }
            printf("brespond %u\n", n);
        } else if (!strcmp(op, "bpush")) {
            RING_PUSH_RESPONSES(&br);
            printf("bpush\n");
        } else if (!strcmp(op, "bpushn")) {
            int notify;
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
            printf("bpushn %d\n", notify);
        } else if (!strcmp(op, "fconsume")) {
            unsigned n, k = 0;
            if (scanf("%u", &n) != 1) return 65;
            RING_IDX rp = fr.sring->rsp_prod;
            xen_rmb();
            RING_IDX rc = fr.rsp_cons;
            printf("fconsume");
            while (rc != rp && k < n) {
                blkif_response_t rsp;
                RING_COPY_RESPONSE(&fr, rc, &rsp);
                printf(" %llx:%d", (unsigned long long)rsp.id, xen4j_check_response(&rsp, rc));
                rc++;
                k++;
            }
            fr.rsp_cons = rc;
            printf("\n");
        } else if (!strcmp(op, "ffinal")) {
            int work;
            RING_FINAL_CHECK_FOR_RESPONSES(&fr, work);
            printf("ffinal %d\n", work ? 1 : 0);
        } else if (!strcmp(op, "bfinal")) {
            int work;
            RING_FINAL_CHECK_FOR_REQUESTS(&br, work);
            printf("bfinal %d\n", work ? 1 : 0);
        } else if (!strcmp(op, "query")) {
            printf("query free=%u full=%d rsp=%u req=%u overflow=%d,%d,%d\n", RING_FREE_REQUESTS(&fr),
                   RING_FULL(&fr) ? 1 : 0, XEN_RING_NR_UNCONSUMED_RESPONSES(&fr),
                   XEN_RING_NR_UNCONSUMED_REQUESTS(&br), RING_REQUEST_PROD_OVERFLOW(&br, s->req_prod) ? 1 : 0,
                   RING_REQUEST_CONS_OVERFLOW(&br, br.req_cons) ? 1 : 0,
                   RING_RESPONSE_PROD_OVERFLOW(&fr, s->rsp_prod) ? 1 : 0);
        } else {
            fprintf(stderr, "unknown op %s\n", op);
            return 65;
        }
    }
    printf("state req_prod_pvt=%u rsp_cons=%u rsp_prod_pvt=%u req_cons=%u\n", fr.req_prod_pvt, fr.rsp_cons,
           br.rsp_prod_pvt, br.req_cons);
    dump_page();
    return 0;
}

/* One direction of the console page: private producer and consumer indices of each side. */
struct side {
    XENCONS_RING_IDX prod, published_prod; /* producer's view */
    XENCONS_RING_IDX cons, published_cons; /* consumer's view */
};

static unsigned fnv(const unsigned char *b, unsigned n)
{
    unsigned h = 2166136261u;
    for (unsigned i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static int run_console(void)
{
    page_bytes = XEN4J_PAGE_SIZE;
    page = aligned_alloc(XEN4J_PAGE_SIZE, page_bytes);
    fill_pattern();
    struct xencons_interface *intf = (struct xencons_interface *)page;
    struct side out = {0}, in = {0};
    char op[32];
    unsigned char data[4096];
    while (scanf("%31s", op) == 1) {
        if (!strcmp(op, "cset")) {
            unsigned ic, ip, oc, op_;
            if (scanf("%u %u %u %u", &ic, &ip, &oc, &op_) != 4) return 65;
            intf->in_cons = ic; intf->in_prod = ip; intf->out_cons = oc; intf->out_prod = op_;
            printf("cset\n");
        } else if (!strcmp(op, "attach")) {
            out.prod = out.published_prod = intf->out_prod;
            out.cons = out.published_cons = intf->out_cons;
            in.prod = in.published_prod = intf->in_prod;
            in.cons = in.published_cons = intf->in_cons;
            printf("attach\n");
        } else if (!strcmp(op, "gwrite") || !strcmp(op, "bwrite")) {
            int guest = op[0] == 'g';
            struct side *d = guest ? &out : &in;
            unsigned char *buf = (unsigned char *)(guest ? intf->out : intf->in);
            RING_IDX size = guest ? sizeof(intf->out) : sizeof(intf->in);
            XENCONS_RING_IDX cons = guest ? intf->out_cons : intf->in_cons;
            unsigned n, seed;
            if (scanf("%u %u", &n, &seed) != 2) return 65;
            for (unsigned j = 0; j < n; j++)
                data[j] = (unsigned char)(seed + j * 13u);
            RING_IDX free_bytes = size - xencons_queued(d->prod, cons, size);
            if (n > free_bytes) n = free_bytes;
            RING_IDX masked_prod = xencons_mask(d->prod, size);
            xencons_write_packet(buf, data, n, &masked_prod, xencons_mask(cons, size), size);
            d->prod += n;
            printf("%s %u\n", op, n);
        } else if (!strcmp(op, "gpush") || !strcmp(op, "bpush")) {
            int guest = op[0] == 'g';
            struct side *d = guest ? &out : &in;
            int notify = d->prod != d->published_prod;
            if (notify) {
                xen_wmb();
                if (guest) intf->out_prod = d->prod; else intf->in_prod = d->prod;
                d->published_prod = d->prod;
            }
            printf("%s %d\n", op, notify);
        } else if (!strcmp(op, "gread") || !strcmp(op, "bread")) {
            int guest = op[0] == 'g';
            struct side *d = guest ? &in : &out;
            const unsigned char *buf = (const unsigned char *)(guest ? intf->in : intf->out);
            RING_IDX size = guest ? sizeof(intf->in) : sizeof(intf->out);
            XENCONS_RING_IDX prod = guest ? intf->in_prod : intf->out_prod;
            xen_rmb();
            unsigned n;
            if (scanf("%u", &n) != 1) return 65;
            RING_IDX avail = xencons_queued(prod, d->cons, size);
            if (n > avail) n = avail;
            RING_IDX masked_cons = xencons_mask(d->cons, size);
            xencons_read_packet(data, buf, n, xencons_mask(prod, size), &masked_cons, size);
            d->cons += n;
            printf("%s %u %08x\n", op, n, fnv(data, n));
        } else if (!strcmp(op, "grelease") || !strcmp(op, "brelease")) {
            int guest = op[0] == 'g';
            struct side *d = guest ? &in : &out;
            int notify = d->cons != d->published_cons;
            if (notify) {
                xen_mb();
                if (guest) intf->in_cons = d->cons; else intf->out_cons = d->cons;
                d->published_cons = d->cons;
            }
            printf("%s %d\n", op, notify);
        } else {
            fprintf(stderr, "unknown op %s\n", op);
            return 65;
        }
    }
    printf("state out_prod=%u out_cons=%u in_prod=%u in_cons=%u\n", out.prod, out.cons, in.prod, in.cons);
    dump_page();
    return 0;
}

static int layout(void)
{
    printf("xencons_interface in %zu %zu\n", offsetof(struct xencons_interface, in), sizeof(((struct xencons_interface *)0)->in));
    printf("xencons_interface out %zu %zu\n", offsetof(struct xencons_interface, out), sizeof(((struct xencons_interface *)0)->out));
    printf("xencons_interface in_cons %zu\n", offsetof(struct xencons_interface, in_cons));
    printf("xencons_interface in_prod %zu\n", offsetof(struct xencons_interface, in_prod));
    printf("xencons_interface out_cons %zu\n", offsetof(struct xencons_interface, out_cons));
    printf("xencons_interface out_prod %zu\n", offsetof(struct xencons_interface, out_prod));
    printf("xencons_interface sizeof %zu\n", sizeof(struct xencons_interface));
    printf("xenstore_domain_interface req %zu %zu\n", offsetof(struct xenstore_domain_interface, req), sizeof(((struct xenstore_domain_interface *)0)->req));
    printf("xenstore_domain_interface rsp %zu %zu\n", offsetof(struct xenstore_domain_interface, rsp), sizeof(((struct xenstore_domain_interface *)0)->rsp));
    printf("xenstore_domain_interface req_cons %zu\n", offsetof(struct xenstore_domain_interface, req_cons));
    printf("xenstore_domain_interface req_prod %zu\n", offsetof(struct xenstore_domain_interface, req_prod));
    printf("xenstore_domain_interface rsp_cons %zu\n", offsetof(struct xenstore_domain_interface, rsp_cons));
    printf("xenstore_domain_interface rsp_prod %zu\n", offsetof(struct xenstore_domain_interface, rsp_prod));
    printf("xenstore_domain_interface server_features %zu\n", offsetof(struct xenstore_domain_interface, server_features));
    printf("xenstore_domain_interface connection %zu\n", offsetof(struct xenstore_domain_interface, connection));
    printf("xenstore_domain_interface error %zu\n", offsetof(struct xenstore_domain_interface, error));
    printf("xenstore_domain_interface sizeof %zu\n", sizeof(struct xenstore_domain_interface));
    printf("const XENSTORE_RING_SIZE %d\n", XENSTORE_RING_SIZE);
    printf("const XENSTORE_SERVER_FEATURE_RECONNECTION %d\n", XENSTORE_SERVER_FEATURE_RECONNECTION);
    printf("const XENSTORE_SERVER_FEATURE_ERROR %d\n", XENSTORE_SERVER_FEATURE_ERROR);
    printf("const XENSTORE_CONNECTED %d\n", XENSTORE_CONNECTED);
    printf("const XENSTORE_RECONNECT %d\n", XENSTORE_RECONNECT);
    printf("const XENSTORE_ERROR_NONE %d\n", XENSTORE_ERROR_NONE);
    printf("const XENSTORE_ERROR_COMM %d\n", XENSTORE_ERROR_COMM);
    printf("const XENSTORE_ERROR_RINGIDX %d\n", XENSTORE_ERROR_RINGIDX);
    printf("const XENSTORE_ERROR_PROTO %d\n", XENSTORE_ERROR_PROTO);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "layout"))
        return layout();
    char kind[32];
    if (scanf("%31s", kind) != 1) return 65;
    if (!strcmp(kind, "ring")) {
        unsigned pages;
        if (scanf("%u", &pages) != 1) return 65;
        return run_ring(pages);
    }
    if (!strcmp(kind, "console"))
        return run_console();
    fprintf(stderr, "unknown kind %s\n", kind);
    return 65;
}
