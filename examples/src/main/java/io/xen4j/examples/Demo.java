package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.abi.XenAbi;
import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifRequestX86_32;
import io.xen4j.abi.blkif.BlkifResponse;
import io.xen4j.abi.blkif.BlkifResponseX86_32;
import java.io.PrintStream;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The xen4j demo. It prints the ABI summary: the structures xen4j knows with their sizes in both
 * x86 ABIs, and a block request encoded in each layout, as a frontend of each kind would put it
 * on the ring. Then it runs domains on the simulated Xen host: a shared page, an event channel
 * and a lost notification the receiver survives; a disk served by blkback to blkfront; a guest
 * and dom0 talking through xenstore (a watch, a transaction retried after a conflict, a
 * permission denied); a guest console logged by the back end and a shutdown acknowledged; a
 * balloon target reached; and two guests pinging each other through netfront, netback and an
 * in-memory switch.
 */
public final class Demo {
    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param args unused
     */
    public static void main(final String[] args) {
        JvmFlags.requireAgronaAccess();
        run(System.out);
    }

    static void run(final PrintStream out) {
        out.println("xen4j ABI summary: sizes in bytes, checked against the Xen headers with gcc -m64 and -m32");
        out.printf("  %-32s %10s %10s%n", "struct", XenAbi.X86_64.protocol(), XenAbi.X86_32.protocol());
        for (final AbiCatalog.Entry e : AbiCatalog.ENTRIES) {
            out.printf("  %-32s %10s %10s%n", e.cName(), size(e.x86_64()), size(e.x86_32()));
        }

        out.println();
        out.println("A blkif read of sectors 2048..2055 into grant 42, id 7, as each ABI lays it out:");
        final UnsafeBuffer page = new UnsafeBuffer(new byte[BlkifRequest.LENGTH]);
        new BlkifRequest().wrap(page, 0)
            .operation(Blkif.BLKIF_OP_READ).nrSegments(1).handle(0x300).id(7).sectorNumber(2048)
            .segment(0, 42, 0, 7);
        out.println("  " + XenAbi.X86_64.protocol() + ": " + hex(page, BlkifRequest.SEG_OFFSET + 8));
        final UnsafeBuffer page32 = new UnsafeBuffer(new byte[BlkifRequestX86_32.LENGTH]);
        new BlkifRequestX86_32().wrap(page32, 0)
            .operation(Blkif.BLKIF_OP_READ).nrSegments(1).handle(0x300).id(7).sectorNumber(2048)
            .segment(0, 42, 0, 7);
        out.println("  " + XenAbi.X86_32.protocol() + ": " + hex(page32, BlkifRequestX86_32.SEG_OFFSET + 8));
        out.printf("  response status field: offset %d in both ABIs, size %d vs %d bytes%n",
            BlkifResponse.STATUS_OFFSET, BlkifResponse.LENGTH, BlkifResponseX86_32.LENGTH);

        out.println();
        HalDemo.run(out);

        out.println();
        BlkDemo.run(out);

        out.println();
        XenstoreDemo.run(out);

        out.println();
        ConsoleControlDemo.run(out);

        out.println();
        BalloonDemo.run(out);

        out.println();
        NetDemo.run(out);
    }

    private static String size(final int length) {
        return length < 0 ? "-" : Integer.toString(length);
    }

    private static String hex(final UnsafeBuffer buffer, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
