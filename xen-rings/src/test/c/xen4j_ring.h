/*
 * Common prelude of xen4j's C test programs: the real <xen/io/ring.h> and <xen/io/blkif.h> with the
 * barriers Linux uses on x86 (virt_wmb/virt_rmb are compiler barriers, virt_mb is a full fence),
 * and the blkif traffic pattern that the Java tests use too (BlkifTraffic.java).
 */
#ifndef XEN4J_RING_H
#define XEN4J_RING_H

#define __XEN_TOOLS__ 1
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ring.h leaves the barriers to its user at this interface version. */
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#include <xen/xen.h>
#include <xen/io/ring.h>
#include <xen/io/blkif.h>

#define XEN4J_PAGE_SIZE 4096
#define XEN4J_ID_BASE 0x100000000ULL

/* Re-read memory in a polling loop: the ring.h macros use plain loads. */
static inline void cpu_relax(void)
{
    __builtin_ia32_pause();
    __asm__ __volatile__("" ::: "memory");
}

/* Request number seq, as BlkifTraffic.fillRequest writes it into a zeroed slot. */
static inline void xen4j_fill_request(blkif_request_t *req, uint32_t seq)
{
    unsigned n = 1 + seq % BLKIF_MAX_SEGMENTS_PER_REQUEST;
    req->operation = (uint8_t)(seq & 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ);
    req->nr_segments = (uint8_t)n;
    req->handle = (blkif_vdev_t)(seq * 7u);
    req->id = XEN4J_ID_BASE + seq;
    req->sector_number = (blkif_sector_t)seq * 8u + 3u;
    for (unsigned i = 0; i < n; i++) {
        req->seg[i].gref = (grant_ref_t)(seq * 31u + i);
        req->seg[i].first_sect = (uint8_t)(i % 8u);
        req->seg[i].last_sect = 7;
    }
}

/* 0 if req is request number seq, else the number of the first field that differs. */
static inline int xen4j_check_request(const blkif_request_t *req, uint32_t seq)
{
    unsigned n = 1 + seq % BLKIF_MAX_SEGMENTS_PER_REQUEST;
    if (req->id != XEN4J_ID_BASE + seq) return 1;
    if (req->operation != (seq & 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ)) return 2;
    if (req->nr_segments != n) return 3;
    if (req->handle != (blkif_vdev_t)(seq * 7u)) return 4;
    if (req->sector_number != (blkif_sector_t)seq * 8u + 3u) return 5;
    for (unsigned i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
        if (i < n) {
            if (req->seg[i].gref != (grant_ref_t)(seq * 31u + i) || req->seg[i].first_sect != i % 8u
                || req->seg[i].last_sect != 7) return 6;
        } else if (req->seg[i].gref != 0 || req->seg[i].first_sect != 0 || req->seg[i].last_sect != 0) {
            return 7;
        }
    }
    return 0;
}

static inline int16_t xen4j_status_of(uint32_t seq)
{
    return (int16_t)(seq % 3u == 0 ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY);
}

/* The response to request seq, as BlkifTraffic.fillResponse writes it into a zeroed slot. */
static inline void xen4j_fill_response(blkif_response_t *rsp, uint32_t seq)
{
    rsp->id = XEN4J_ID_BASE + seq;
    rsp->operation = (uint8_t)(seq & 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ);
    rsp->status = xen4j_status_of(seq);
}

static inline int xen4j_check_response(const blkif_response_t *rsp, uint32_t seq)
{
    if (rsp->id != XEN4J_ID_BASE + seq) return 1;
    if (rsp->operation != (seq & 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ)) return 2;
    if (rsp->status != xen4j_status_of(seq)) return 3;
    return 0;
}

#endif
