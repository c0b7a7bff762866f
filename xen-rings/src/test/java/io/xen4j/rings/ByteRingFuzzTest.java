package io.xen4j.rings;

import static io.xen4j.rings.FuzzSupport.above;
import static io.xen4j.rings.FuzzSupport.check;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fuzzes the console and xenstore byte rings against a hostile peer: arbitrary indices (also at
 * attach), arbitrary data, and every producer and consumer operation of either side, against a
 * model. {@code prod - cons > size} and a consumer index outside [last seen, published] must be
 * detected; reads return exactly the ring's bytes; nothing is read or written outside the page and
 * nothing throws. A second target drives the xenstore reconnection and error fields at random.
 */
final class ByteRingFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void hostilePeerOnAByteRing(final FuzzedDataProvider data) {
        final FuzzSupport memory = new FuzzSupport(4096, data);
        final UnsafeBuffer page = memory.area;
        final int kind = data.consumeInt(0, 3);
        final boolean console = kind < 2;
        final boolean firstSide = (kind & 1) == 0;
        final ByteRingProducer producer;
        final ByteRingConsumer consumer;
        final int producerData;
        final int producerCons;
        final int producerProd;
        final int consumerData;
        final int consumerCons;
        final int consumerProd;
        if (console) {
            final ConsoleRing ring = firstSide ? ConsoleRing.frontend("fuzz", page) : ConsoleRing.backend("fuzz", page);
            producer = ring.producer();
            consumer = ring.consumer();
            producerData = firstSide ? ConsoleRing.OUT_OFFSET : ConsoleRing.IN_OFFSET;
            producerCons = firstSide ? ConsoleRing.OUT_CONS_OFFSET : ConsoleRing.IN_CONS_OFFSET;
            producerProd = firstSide ? ConsoleRing.OUT_PROD_OFFSET : ConsoleRing.IN_PROD_OFFSET;
            consumerData = firstSide ? ConsoleRing.IN_OFFSET : ConsoleRing.OUT_OFFSET;
            consumerCons = firstSide ? ConsoleRing.IN_CONS_OFFSET : ConsoleRing.OUT_CONS_OFFSET;
            consumerProd = firstSide ? ConsoleRing.IN_PROD_OFFSET : ConsoleRing.OUT_PROD_OFFSET;
        } else {
            page.putInt(XenstoreRing.SERVER_FEATURES_OFFSET, 0);
            final XenstoreRing ring = firstSide ? XenstoreRing.client("fuzz", page) : XenstoreRing.server("fuzz", page);
            producer = ring.producer();
            consumer = ring.consumer();
            producerData = firstSide ? XenstoreRing.REQ_OFFSET : XenstoreRing.RSP_OFFSET;
            producerCons = firstSide ? XenstoreRing.REQ_CONS_OFFSET : XenstoreRing.RSP_CONS_OFFSET;
            producerProd = firstSide ? XenstoreRing.REQ_PROD_OFFSET : XenstoreRing.RSP_PROD_OFFSET;
            consumerData = firstSide ? XenstoreRing.RSP_OFFSET : XenstoreRing.REQ_OFFSET;
            consumerCons = firstSide ? XenstoreRing.RSP_CONS_OFFSET : XenstoreRing.REQ_CONS_OFFSET;
            consumerProd = firstSide ? XenstoreRing.RSP_PROD_OFFSET : XenstoreRing.REQ_PROD_OFFSET;
        }
        final int pSize = producer.size();
        final int cSize = consumer.size();
        final ProducerModel pm = new ProducerModel();
        final ConsumerModel cm = new ConsumerModel();
        producer.attach();
        pm.attach(page.getInt(producerProd), page.getInt(producerCons), pSize);
        consumer.attach();
        cm.attach(page.getInt(consumerCons), page.getInt(consumerProd), cSize);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[5000]);
        for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
            switch (data.consumeInt(0, 9)) {
                case 0 -> page.putInt(producerCons, FuzzSupport.hostileIndex(data, pm.consSeen));
                case 1 -> page.putInt(consumerProd, FuzzSupport.hostileIndex(data, cm.cons));
                case 2 -> page.putInt(data.pickValue(new int[] {producerProd, consumerCons}), data.consumeInt());
                case 3 -> {
                    final int length = data.consumeInt(0, 2100);
                    final byte[] bytes = data.consumeBytes(length);
                    buffer.putBytes(0, bytes);
                    final int expected = Math.min(bytes.length, pm.free(page.getInt(producerCons), pSize));
                    final int prodBefore = pm.prod;
                    final int got = producer.write(buffer, 0, bytes.length);
                    check(got == expected, "write " + got + " expected " + expected);
                    for (int i = 0; i < got; i++) {
                        check(page.getByte(producerData + ((prodBefore + i) & (pSize - 1))) == bytes[i], "byte written");
                    }
                    pm.prod += got;
                }
                case 4 -> {
                    final boolean notify = producer.pushAndCheckNotify();
                    check(notify == (!pm.broken && pm.prod != pm.published), "push notify");
                    if (notify) {
                        pm.published = pm.prod;
                        check(page.getInt(producerProd) == pm.prod, "prod published");
                    }
                }
                case 5 -> {
                    final int length = data.consumeInt(0, 2100);
                    final int expected = Math.min(length, cm.available(page.getInt(consumerProd), cSize));
                    final int got = consumer.read(buffer, 0, length);
                    check(got == expected, "read " + got + " expected " + expected);
                    for (int i = 0; i < got; i++) {
                        check(buffer.getByte(i) == page.getByte(consumerData + ((cm.cons + i) & (cSize - 1))), "byte read");
                    }
                    cm.cons += got;
                }
                case 6 -> {
                    final boolean notify = consumer.releaseAndCheckNotify();
                    check(notify == (!cm.broken && cm.cons != cm.published), "release notify");
                    if (notify) {
                        cm.published = cm.cons;
                        check(page.getInt(consumerCons) == cm.cons, "cons published");
                    }
                }
                case 7 -> check(producer.freeBytes() == pm.free(page.getInt(producerCons), pSize), "free bytes");
                case 8 -> check(consumer.available() == cm.available(page.getInt(consumerProd), cSize), "available");
                default -> {
                    if (data.consumeBoolean()) {
                        producer.attach();
                        pm.attach(page.getInt(producerProd), page.getInt(producerCons), pSize);
                    } else {
                        consumer.attach();
                        cm.attach(page.getInt(consumerCons), page.getInt(consumerProd), cSize);
                    }
                }
            }
            check(producer.isBroken() == pm.broken, "producer broken state: " + producer.brokenReason());
            check(consumer.isBroken() == cm.broken, "consumer broken state: " + consumer.brokenReason());
            check(producer.producer() == pm.prod && consumer.consumer() == cm.cons, "private indices");
            check(!pm.broken || producer.violation() == RingViolation.BYTE_RING_INDEX_OVERFLOW, "violation");
            check(!cm.broken || consumer.brokenReason().contains("ring=fuzz."), "reason");
            memory.assertGuardsIntact();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void xenstoreConnectionFields(final FuzzedDataProvider data) {
        final FuzzSupport memory = new FuzzSupport(4096, data);
        final UnsafeBuffer page = memory.area;
        final XenstoreRing client = XenstoreRing.client("fuzz.client", page);
        final XenstoreRing server = XenstoreRing.server("fuzz.server", page);
        client.attach();
        server.attach();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
            switch (data.consumeInt(0, 11)) {
                case 0 -> page.putInt(data.pickValue(new int[] {XenstoreRing.REQ_CONS_OFFSET, XenstoreRing.REQ_PROD_OFFSET,
                    XenstoreRing.RSP_CONS_OFFSET, XenstoreRing.RSP_PROD_OFFSET, XenstoreRing.SERVER_FEATURES_OFFSET,
                    XenstoreRing.CONNECTION_OFFSET, XenstoreRing.ERROR_OFFSET}), data.consumeInt());
                case 1 -> server.advertiseFeatures(data.consumeInt(0, 3));
                case 2 -> {
                    final boolean reconnectable = (client.serverFeatures() & 1) != 0;
                    check(client.requestReconnect() == reconnectable, "reconnect request");
                    check(!reconnectable || page.getInt(XenstoreRing.CONNECTION_OFFSET) == 1, "connection = 1");
                }
                case 3 -> {
                    final boolean done = client.pollReconnected();
                    check(done == !client.isReconnecting(), "reconnecting flag");
                }
                case 4 -> {
                    if (server.reconnectRequested()) {
                        check(server.completeReconnect(), "notify owed");
                        check(page.getInt(XenstoreRing.CONNECTION_OFFSET) == 0 && page.getInt(XenstoreRing.ERROR_OFFSET) == 0,
                            "reset");
                        check(!server.isBroken() && server.consumer().available() == 0, "empty after reset");
                    }
                }
                case 5 -> server.reportError(data.consumeInt(1, 3));
                case 6 -> {
                    final int n = client.producer().write(buffer, 0, data.consumeInt(0, 2048));
                    check(n >= 0 && n <= 1024, "client write");
                    client.producer().pushAndCheckNotify();
                }
                case 7 -> {
                    final int n = server.consumer().read(buffer, 0, data.consumeInt(0, 2048));
                    check(n >= 0 && n <= 1024, "server read");
                    server.consumer().releaseAndCheckNotify();
                }
                case 8 -> {
                    final int n = server.producer().write(buffer, 0, data.consumeInt(0, 2048));
                    check(n >= 0 && n <= 1024, "server write");
                    server.producer().pushAndCheckNotify();
                }
                case 9 -> {
                    final int n = client.consumer().read(buffer, 0, data.consumeInt(0, 2048));
                    check(n >= 0 && n <= 1024, "client read");
                    check(!client.isReconnecting() || n == 0, "a reconnecting client reads nothing");
                    client.consumer().releaseAndCheckNotify();
                }
                case 10 -> client.attach();
                default -> server.attach();
            }
            check(client.isBroken() == !client.brokenReason().isEmpty(), "client reason");
            check(server.isBroken() == !server.brokenReason().isEmpty(), "server reason");
            memory.assertGuardsIntact();
        }
    }

    private static final class ProducerModel {
        int prod;
        int published;
        int consSeen;
        boolean broken;

        void attach(final int sharedProd, final int sharedCons, final int size) {
            prod = sharedProd;
            published = sharedProd;
            consSeen = sharedCons;
            broken = above(sharedProd - sharedCons, size);
        }

        int free(final int cons, final int size) {
            if (broken) {
                return 0;
            }
            if (above(cons - consSeen, published - consSeen)) {
                broken = true;
                return 0;
            }
            consSeen = cons;
            return size - (prod - cons);
        }
    }

    private static final class ConsumerModel {
        int cons;
        int published;
        boolean broken;

        void attach(final int sharedCons, final int sharedProd, final int size) {
            cons = sharedCons;
            published = sharedCons;
            broken = false;
            available(sharedProd, size);
        }

        int available(final int prod, final int size) {
            if (broken) {
                return 0;
            }
            if (above(prod - cons, size)) {
                broken = true;
                return 0;
            }
            return prod - cons;
        }
    }
}
