package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.ring.SringHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests: one random operation sequence is applied by Java ({@link FrontRing} and
 * {@link BackRing} on one page, or the two sides of a {@link ConsoleRing}) and by the C macros of
 * {@code <xen/io/ring.h>} ({@code ring_diff.c}); every result and the final pages must be equal
 * byte for byte. Sequences start at index 0 and near 2^31 and 2^32 so that every index wraps, on
 * rings of 1 to 16 pages.
 */
final class RingDifferentialTest {
    /** Absent start index: the ring starts with XEN_FRONT_RING_INIT and BACK_RING_INIT at 0. */
    private static final long INIT = -1;

    static Stream<Arguments> ringScenarios() {
        final List<Arguments> scenarios = new ArrayList<>();
        final long[] starts = {INIT, 0x7FFF_FFF0L, 0xFFFF_FFF0L, 0xFFFF_FF00L, 0x8000_0000L - 3};
        long seed = 1;
        for (final int pages : new int[] {1, 2, 4, 8, 16}) {
            for (final long start : starts) {
                scenarios.add(Arguments.of(pages, start, seed++));
            }
        }
        return scenarios.stream();
    }

    @ParameterizedTest(name = "pages={0} start={1} seed={2}")
    @MethodSource("ringScenarios")
    void javaRingsAndCMacrosLeaveTheSamePage(final int pages, final long start, final long seed) throws IOException {
        final var ring = new JavaRingScript(pages, seed);
        ring.run(start, 600);
        final String c = NativeTools.run(List.of(NativeTools.program("ring_diff").toString()),
            ring.script.toString(), 60);
        final String[] cLines = c.split("\n");
        final String[] javaLines = ring.output.toString().split("\n");
        for (int i = 0; i < Math.min(cLines.length, javaLines.length); i++) {
            assertEquals(cLines[i], javaLines[i], "line " + (i + 1) + " of pages=" + pages + " start=" + start
                + " seed=" + seed + " (script line " + (i + 2) + ")");
        }
        assertEquals(cLines.length, javaLines.length, "number of result lines");
        assertTrue(ring.wrapped || start == INIT || start == 0x8000_0000L - 3 || start == 0x7FFF_FFF0L,
            "a sequence near 2^32 must wrap");
    }

    /** Applies the script's operations with the Java rings as it writes the script. */
    private static final class JavaRingScript {
        final StringBuilder script = new StringBuilder();
        final StringBuilder output = new StringBuilder();
        final UnsafeBuffer page;
        final FrontRing front = new FrontRing("diff.front", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE);
        final BackRing back = new BackRing("diff.back", BlkifTraffic.REQUEST, BlkifTraffic.RESPONSE);
        final BlkifTraffic traffic = new BlkifTraffic();
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[BlkifTraffic.SLOT]);
        final SplittableRandom random;
        final int pages;
        boolean wrapped;

        JavaRingScript(final int pages, final long seed) {
            this.pages = pages;
            this.page = new UnsafeBuffer(BufferUtil.allocateDirectAligned(pages * 4096, 4096));
            for (int i = 0; i < page.capacity(); i++) {
                page.putByte(i, (byte) (i * 7 + 3));
            }
            this.random = new SplittableRandom(seed);
            script.append("ring ").append(pages).append('\n');
        }

        void run(final long start, final int operations) {
            if (start == INIT) {
                op("finit", "finit " + front.init(page).size());
                op("binit", "binit " + back.init(page).size());
            } else {
                final int s = (int) start;
                final String event = Integer.toUnsignedString(s + 1);
                final String index = Integer.toUnsignedString(s);
                new SringHeader().wrap(page, 0).reqProd(s).reqEvent(s + 1).rspProd(s).rspEvent(s + 1);
                op("shared " + index + " " + event + " " + index + " " + event, "shared");
                op("fattach " + index, "fattach " + front.attach(page, s).size());
                op("battach " + index, "battach " + back.attach(page, s).size());
            }
            final int first = front.requestProducer();
            for (int i = 0; i < operations; i++) {
                step();
                if (Integer.compareUnsigned(front.requestProducer(), first) < 0) {
                    wrapped = true;
                }
            }
            op("query", query());
            output.append("state req_prod_pvt=").append(Integer.toUnsignedString(front.requestProducer()))
                .append(" rsp_cons=").append(Integer.toUnsignedString(front.responseConsumer()))
                .append(" rsp_prod_pvt=").append(Integer.toUnsignedString(back.responseProducer()))
                .append(" req_cons=").append(Integer.toUnsignedString(back.requestConsumer())).append('\n');
            final byte[] bytes = new byte[page.capacity()];
            page.getBytes(0, bytes);
            output.append("page ").append(HexFormat.of().formatHex(bytes)).append('\n');
            assertNotEquals(true, front.isBroken() || back.isBroken(), front.brokenReason() + back.brokenReason());
        }

        private void op(final String command, final String result) {
            script.append(command).append('\n');
            output.append(result).append('\n');
        }

        private String query() {
            final int prod = SringHeader.reqProd(page, 0);
            final int rspProd = SringHeader.rspProd(page, 0);
            return "query free=" + front.freeRequests() + " full=" + (front.isFull() ? 1 : 0)
                + " rsp=" + front.unconsumedResponses() + " req=" + back.unconsumedRequests()
                + " overflow=" + (back.requestProdOverflow(prod) ? 1 : 0) + "," + (back.requestConsOverflow(
                back.requestConsumer()) ? 1 : 0) + "," + (front.responseProdOverflow(rspProd) ? 1 : 0);
        }

        private void step() {
            final int choice = random.nextInt(100);
            if (choice < 22) {
                final int free = front.freeRequests();
                final int n = random.nextInt(4) == 0 ? free : random.nextInt(free + 1);
                for (int k = 0; k < n; k++) {
                    final int seq = front.requestProducer();
                    final int slot = front.claimRequest();
                    assertNotEquals(FrontRing.NO_SLOT, slot);
                    traffic.fillRequest(page, slot, seq);
                }
                op("fproduce " + n, "fproduce " + n);
            } else if (choice < 28) {
                front.pushRequests();
                op("fpush", "fpush");
            } else if (choice < 36) {
                op("fpushn", "fpushn " + (front.pushRequestsAndCheckNotify() ? 1 : 0));
            } else if (choice < 50) {
                final int n = random.nextInt(front.size() + 3);
                back.unconsumedRequests();
                final StringBuilder line = new StringBuilder("bconsume");
                for (int k = 0; k < n; k++) {
                    final int seq = back.requestConsumer();
                    if (!back.copyRequest(copy, 0)) {
                        break;
                    }
                    line.append(' ').append(Long.toHexString(BlkifTraffic.id(seq)))
                        .append(':').append(BlkifTraffic.checkRequest(copy, 0, seq));
                }
                op("bconsume " + n, line.toString());
            } else if (choice < 62) {
                final int owed = back.requestConsumer() - back.responseProducer();
                final int n = random.nextInt(3) == 0 ? owed : random.nextInt(owed + 1);
                for (int k = 0; k < n; k++) {
                    final int seq = back.responseProducer();
                    final int slot = back.claimResponse();
                    assertNotEquals(BackRing.NO_SLOT, slot);
                    traffic.fillResponse(page, slot, seq);
                }
                op("brespond " + n, "brespond " + n);
            } else if (choice < 67) {
                back.pushResponses();
                op("bpush", "bpush");
            } else if (choice < 75) {
                op("bpushn", "bpushn " + (back.pushResponsesAndCheckNotify() ? 1 : 0));
            } else if (choice < 87) {
                final int n = random.nextInt(front.size() + 3);
                front.unconsumedResponses();
                final StringBuilder line = new StringBuilder("fconsume");
                for (int k = 0; k < n; k++) {
                    final int seq = front.responseConsumer();
                    if (!front.copyResponse(copy, 0)) {
                        break;
                    }
                    line.append(' ').append(Long.toHexString(BlkifTraffic.id(seq)))
                        .append(':').append(BlkifTraffic.checkResponse(copy, 0, seq));
                }
                op("fconsume " + n, line.toString());
            } else if (choice < 91) {
                op("ffinal", "ffinal " + (front.finalCheckForResponses() ? 1 : 0));
            } else if (choice < 95) {
                op("bfinal", "bfinal " + (back.finalCheckForRequests() ? 1 : 0));
            } else {
                op("query", query());
            }
        }
    }

    static Stream<Arguments> consoleScenarios() {
        final List<Arguments> scenarios = new ArrayList<>();
        final long[] starts = {0, 0x7FFF_FF00L, 0xFFFF_FC00L, 0xFFFF_FFFFL, 12345};
        long seed = 100;
        for (final long start : starts) {
            scenarios.add(Arguments.of(start, seed++));
            scenarios.add(Arguments.of(start, seed++));
        }
        return scenarios.stream();
    }

    @ParameterizedTest(name = "start={0} seed={1}")
    @MethodSource("consoleScenarios")
    void consoleRingsAndTheFlexRingHelpersLeaveTheSamePage(final long start, final long seed) throws IOException {
        final var console = new JavaConsoleScript(seed);
        console.run((int) start, 800);
        final String c = NativeTools.run(List.of(NativeTools.program("ring_diff").toString()),
            console.script.toString(), 60);
        final String[] cLines = c.split("\n");
        final String[] javaLines = console.output.toString().split("\n");
        for (int i = 0; i < Math.min(cLines.length, javaLines.length); i++) {
            assertEquals(cLines[i], javaLines[i], "line " + (i + 1) + " of start=" + start + " seed=" + seed);
        }
        assertEquals(cLines.length, javaLines.length, "number of result lines");
    }

    /** The console page: the guest writes out and reads in, the backend the other way round. */
    private static final class JavaConsoleScript {
        final StringBuilder script = new StringBuilder("console\n");
        final StringBuilder output = new StringBuilder();
        final UnsafeBuffer page = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        final ConsoleRing guest = ConsoleRing.frontend("diff.console", page);
        final ConsoleRing backend = ConsoleRing.backend("diff.console", page);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[4096]);
        final SplittableRandom random;

        JavaConsoleScript(final long seed) {
            for (int i = 0; i < page.capacity(); i++) {
                page.putByte(i, (byte) (i * 7 + 3));
            }
            random = new SplittableRandom(seed);
        }

        void run(final int start, final int operations) {
            final int inUsed = random.nextInt(ConsoleRing.IN_SIZE + 1);
            final int outUsed = random.nextInt(ConsoleRing.OUT_SIZE + 1);
            page.putInt(ConsoleRing.IN_CONS_OFFSET, start);
            page.putInt(ConsoleRing.IN_PROD_OFFSET, start + inUsed);
            page.putInt(ConsoleRing.OUT_CONS_OFFSET, start - 5);
            page.putInt(ConsoleRing.OUT_PROD_OFFSET, start - 5 + outUsed);
            op("cset " + Integer.toUnsignedString(start) + " " + Integer.toUnsignedString(start + inUsed) + " "
                + Integer.toUnsignedString(start - 5) + " " + Integer.toUnsignedString(start - 5 + outUsed), "cset");
            guest.attach();
            backend.attach();
            op("attach", "attach");
            for (int i = 0; i < operations; i++) {
                final int choice = random.nextInt(8);
                final boolean isGuest = random.nextBoolean();
                final ConsoleRing side = isGuest ? guest : backend;
                final String who = isGuest ? "g" : "b";
                switch (choice) {
                    case 0, 1, 2 -> {
                        final int n = random.nextInt(random.nextBoolean() ? 64 : 2100);
                        final int seed = random.nextInt(256);
                        for (int j = 0; j < n; j++) {
                            data.putByte(j, (byte) (seed + j * 13));
                        }
                        op(who + "write " + n + " " + seed, who + "write " + side.producer().write(data, 0, n));
                    }
                    case 3 -> op(who + "push", who + "push " + (side.producer().pushAndCheckNotify() ? 1 : 0));
                    case 4, 5, 6 -> {
                        final int n = random.nextInt(random.nextBoolean() ? 64 : 2100);
                        final int got = side.consumer().read(data, 0, n);
                        op(who + "read " + n, who + "read " + got + " " + String.format("%08x", fnv(data, got)));
                    }
                    default -> op(who + "release", who + "release " + (side.consumer().releaseAndCheckNotify() ? 1 : 0));
                }
            }
            assertTrue(!guest.isBroken() && !backend.isBroken(), guest.brokenReason() + backend.brokenReason());
            output.append("state out_prod=").append(Integer.toUnsignedString(guest.producer().producer()))
                .append(" out_cons=").append(Integer.toUnsignedString(backend.consumer().consumer()))
                .append(" in_prod=").append(Integer.toUnsignedString(backend.producer().producer()))
                .append(" in_cons=").append(Integer.toUnsignedString(guest.consumer().consumer())).append('\n');
            final byte[] bytes = new byte[page.capacity()];
            page.getBytes(0, bytes);
            output.append("page ").append(HexFormat.of().formatHex(bytes)).append('\n');
        }

        private static int fnv(final UnsafeBuffer b, final int n) {
            int h = 0x811C9DC5;
            for (int i = 0; i < n; i++) {
                h = (h ^ (b.getByte(i) & 0xFF)) * 16777619;
            }
            return h;
        }

        private void op(final String command, final String result) {
            script.append(command).append('\n');
            output.append(result).append('\n');
        }
    }
}
