package io.xen4j.examples;

import io.xen4j.abi.SharedInfo;
import io.xen4j.abi.SharedInfoX86_32;
import io.xen4j.abi.VcpuInfo;
import io.xen4j.abi.VcpuInfoX86_32;
import io.xen4j.abi.VcpuTimeInfo;
import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifRequestDiscard;
import io.xen4j.abi.blkif.BlkifRequestDiscardX86_32;
import io.xen4j.abi.blkif.BlkifRequestIndirect;
import io.xen4j.abi.blkif.BlkifRequestIndirectX86_32;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.blkif.BlkifRequestX86_32;
import io.xen4j.abi.blkif.BlkifResponse;
import io.xen4j.abi.blkif.BlkifResponseX86_32;
import io.xen4j.abi.console.XenconsInterface;
import io.xen4j.abi.event.EvtchnAllocUnbound;
import io.xen4j.abi.grant.GnttabCopy;
import io.xen4j.abi.grant.GnttabMapGrantRef;
import io.xen4j.abi.grant.GrantEntryV1;
import io.xen4j.abi.grant.GrantEntryV2;
import io.xen4j.abi.linux.IoctlGntdevMapGrantRef;
import io.xen4j.abi.linux.PrivcmdHypercall;
import io.xen4j.abi.linux.PrivcmdMmapbatchV2;
import io.xen4j.abi.netif.NetifCtrlRequest;
import io.xen4j.abi.netif.NetifExtraInfo;
import io.xen4j.abi.netif.NetifRxRequest;
import io.xen4j.abi.netif.NetifRxResponse;
import io.xen4j.abi.netif.NetifTxRequest;
import io.xen4j.abi.netif.NetifTxResponse;
import io.xen4j.abi.platform.XenpfSetProcessorPminfo;
import io.xen4j.abi.xenstore.XenstoreDomainInterface;
import io.xen4j.abi.xenstore.XsWireHeader;
import java.util.List;

/**
 * The structures the demo lists, with their size in each ABI. {@link #X86_64_ONLY} marks those
 * xen4j has only in the x86_64 layout: hypercall and ioctl arguments, which a 64-bit JVM passes to
 * its own kernel and hypervisor and which never cross to a 32-bit domain.
 */
final class AbiCatalog {
    static final int X86_64_ONLY = -1;

    record Entry(String cName, int x86_64, int x86_32) {
    }

    static final List<Entry> ENTRIES = List.of(
        new Entry("blkif_request_segment", BlkifRequestSegment.LENGTH, BlkifRequestSegment.LENGTH),
        new Entry("blkif_request", BlkifRequest.LENGTH, BlkifRequestX86_32.LENGTH),
        new Entry("blkif_request_discard", BlkifRequestDiscard.LENGTH, BlkifRequestDiscardX86_32.LENGTH),
        new Entry("blkif_request_indirect", BlkifRequestIndirect.LENGTH, BlkifRequestIndirectX86_32.LENGTH),
        new Entry("blkif_response", BlkifResponse.LENGTH, BlkifResponseX86_32.LENGTH),
        new Entry("netif_tx_request", NetifTxRequest.LENGTH, NetifTxRequest.LENGTH),
        new Entry("netif_tx_response", NetifTxResponse.LENGTH, NetifTxResponse.LENGTH),
        new Entry("netif_rx_request", NetifRxRequest.LENGTH, NetifRxRequest.LENGTH),
        new Entry("netif_rx_response", NetifRxResponse.LENGTH, NetifRxResponse.LENGTH),
        new Entry("netif_extra_info", NetifExtraInfo.LENGTH, NetifExtraInfo.LENGTH),
        new Entry("xen_netif_ctrl_request", NetifCtrlRequest.LENGTH, NetifCtrlRequest.LENGTH),
        new Entry("xencons_interface", XenconsInterface.LENGTH, XenconsInterface.LENGTH),
        new Entry("xsd_sockmsg", XsWireHeader.LENGTH, XsWireHeader.LENGTH),
        new Entry("xenstore_domain_interface", XenstoreDomainInterface.LENGTH, XenstoreDomainInterface.LENGTH),
        new Entry("grant_entry_v1", GrantEntryV1.LENGTH, GrantEntryV1.LENGTH),
        new Entry("grant_entry_v2", GrantEntryV2.LENGTH, GrantEntryV2.LENGTH),
        new Entry("gnttab_map_grant_ref", GnttabMapGrantRef.LENGTH, GnttabMapGrantRef.LENGTH),
        new Entry("gnttab_copy", GnttabCopy.LENGTH, X86_64_ONLY),
        new Entry("shared_info", SharedInfo.LENGTH, SharedInfoX86_32.LENGTH),
        new Entry("vcpu_info", VcpuInfo.LENGTH, VcpuInfoX86_32.LENGTH),
        new Entry("vcpu_time_info", VcpuTimeInfo.LENGTH, VcpuTimeInfo.LENGTH),
        new Entry("evtchn_alloc_unbound", EvtchnAllocUnbound.LENGTH, EvtchnAllocUnbound.LENGTH),
        new Entry("xenpf_set_processor_pminfo", XenpfSetProcessorPminfo.LENGTH, X86_64_ONLY),
        new Entry("privcmd_hypercall", PrivcmdHypercall.LENGTH, X86_64_ONLY),
        new Entry("privcmd_mmapbatch_v2", PrivcmdMmapbatchV2.LENGTH, X86_64_ONLY),
        new Entry("ioctl_gntdev_map_grant_ref", IoctlGntdevMapGrantRef.LENGTH, X86_64_ONLY));

    private AbiCatalog() {
    }
}
