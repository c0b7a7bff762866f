package io.xen4j.examples;

import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifRequestDiscard;
import io.xen4j.abi.blkif.BlkifRequestDiscardX86_32;
import io.xen4j.abi.blkif.BlkifRequestIndirect;
import io.xen4j.abi.blkif.BlkifRequestIndirectX86_32;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.blkif.BlkifRequestX86_32;
import io.xen4j.abi.blkif.BlkifResponse;
import io.xen4j.abi.blkif.BlkifResponseX86_32;
import java.util.List;

/**
 * The structures the demo lists, with their size in each ABI ({@code -1} where xen4j has only the
 * x86_64 layout because the structure never crosses to a 32-bit domain).
 */
final class AbiCatalog {
    record Entry(String cName, int x86_64, int x86_32) {
    }

    static final List<Entry> ENTRIES = List.of(
        new Entry("blkif_request_segment", BlkifRequestSegment.LENGTH, BlkifRequestSegment.LENGTH),
        new Entry("blkif_request", BlkifRequest.LENGTH, BlkifRequestX86_32.LENGTH),
        new Entry("blkif_request_discard", BlkifRequestDiscard.LENGTH, BlkifRequestDiscardX86_32.LENGTH),
        new Entry("blkif_request_indirect", BlkifRequestIndirect.LENGTH, BlkifRequestIndirectX86_32.LENGTH),
        new Entry("blkif_response", BlkifResponse.LENGTH, BlkifResponseX86_32.LENGTH));

    private AbiCatalog() {
    }
}
