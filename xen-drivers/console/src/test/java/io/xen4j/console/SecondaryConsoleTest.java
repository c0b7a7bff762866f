package io.xen4j.console;

import static io.xen4j.console.ConsoleWorld.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.console.ConsoleStatus.State;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusStates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secondary consoles through XenBus: the guest's frontend against the backend. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SecondaryConsoleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aSecondaryConsoleConnectsCarriesBothWaysAndCloses() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            w.backend.serveSecondaryConsoles();
            w.run();
            final SimulatedDomain d = w.xen.createDomain("agent");
            final DevicePaths device = new DevicePaths(ConsoleNodes.DEVICE_TYPE, d.domid(), 0, 1);
            w.toolstack.addSecondary(device, "org.example.agent");
            try (XenStoreClient store = XenStoreClient.connect(w.xenstore.connect(d))) {
                final SecondaryConsoleFront front = new SecondaryConsoleFront(d.host(), store, device);
                front.start();
                final AgentRunner r = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 200_000),
                    Throwable::printStackTrace, null, front);
                AgentRunner.startOnThread(r);
                try {
                    final GuestConsole console = front.connected().get(20, TimeUnit.SECONDS);
                    assertEquals(XenbusState.XENBUS_STATE_CONNECTED, XenbusStates.read(w.dom0, device.backend()));
                    assertEquals("vt100", w.dom0.read(device.backend(ConsoleNodes.PROTOCOL)));
                    console.write("agent ready\n".getBytes(StandardCharsets.US_ASCII), 0, 12, WAIT);
                    final ConsoleId id = new ConsoleId(d.domid(), 1);
                    await(() -> w.lines(id).equals(List.of("agent ready")), "the line");
                    assertEquals(3, w.backend.sendInput(id, "hi\n".getBytes(StandardCharsets.US_ASCII)));
                    final byte[] got = new byte[3];
                    int n = 0;
                    while (n < 3) {
                        n += console.read(got, n, 3 - n, WAIT);
                    }
                    assertEquals("hi\n", new String(got, StandardCharsets.US_ASCII));
                    // The toolstack detaches: the backend closes, the frontend follows and its console is closed.
                    new io.xen4j.xenbus.XenbusToolstack(w.dom0).requestClose(device);
                    await(() -> XenbusStates.read(w.dom0, device.frontend()) == XenbusState.XENBUS_STATE_CLOSED, "front closed");
                    await(console::isClosed, "console closed");
                    assertThrows(IOException.class, () -> console.tryWrite(new byte[1], 0, 1));
                } finally {
                    r.close();
                    front.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "ring-ref={0} port={1}")
    @CsvSource(delimiter = '|', value = {"garbage|5", "-1|5", "4294967296|5", "8|0", "8|-5", "8|99999999999", "''|''", "999|5"})
    void hostileFrontendNodesCloseTheDevice(final String ref, final String port) throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            w.backend.serveSecondaryConsoles();
            w.run();
            final SimulatedDomain d = w.xen.createDomain("evil");
            final DevicePaths device = new DevicePaths(ConsoleNodes.DEVICE_TYPE, d.domid(), 0, 3);
            w.toolstack.addSecondary(device, "evil");
            try (XenStoreClient store = XenStoreClient.connect(w.xenstore.connect(d))) {
                // A raw frontend: whatever it likes in its own directory, then Initialised.
                await(() -> XenbusStates.read(store, device.backend()) == XenbusState.XENBUS_STATE_INIT_WAIT, "backend waits");
                store.write(device.frontend(ConsoleNodes.RING_REF), ref);
                store.write(device.frontend(ConsoleNodes.PORT), port);
                XenbusStates.write(store, device.frontend(), XenbusState.XENBUS_STATE_INITIALISED);
                final ConsoleId id = new ConsoleId(d.domid(), 3);
                await(() -> XenbusStates.read(store, device.backend()) == XenbusState.XENBUS_STATE_CLOSED, "backend closed");
                final ConsoleStatus s = w.status(id);
                assertEquals(State.WAITING, s.state());
                assertTrue(s.detail().contains("device closed"), s.detail());
            }
        }
    }
}
