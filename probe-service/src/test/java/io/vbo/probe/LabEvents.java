package io.vbo.probe;

import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.lab.netns.Phone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;

/** What the service tests and benchmarks say to the probe-service about lab phones, and how they see its iperf3 runs. */
public final class LabEvents {
    private LabEvents() {
    }

    public static EndpointObserved observed(String pbx, String endpoint, Phone phone, ContactStatus status, int calls) {
        return observed(pbx, endpoint, phone.address(), status, calls);
    }

    public static EndpointObserved observed(String pbx, String endpoint, String address, ContactStatus status, int calls) {
        return observed(pbx, endpoint, address, status, calls, null);
    }

    /** An observation of an endpoint of {@code site} ({@code null}: its own). */
    public static EndpointObserved observed(String pbx, String endpoint, String address, ContactStatus status, int calls,
            String site) {
        return new EndpointObserved(EndpointObserved.SCHEMA, pbx, endpoint, endpoint,
                "sip:" + endpoint + "@[" + address + "]:5060", address, 5060, "udp", status, 1500L, "netns-phone", calls,
                Instant.now(), site);
    }

    /** The iperf3 client this JVM runs against {@code phone} ({@code iperf3 -c <address>}), if one runs now. */
    public static Optional<ProcessHandle> client(Phone phone) {
        return ProcessHandle.current().descendants().filter(p -> p.info().arguments().map(List::of)
                .map(args -> args.indexOf("-c") >= 0 && args.indexOf("-c") + 1 < args.size()
                        && args.get(args.indexOf("-c") + 1).equals(phone.address()))
                .orElse(false)).findFirst();
    }

    /** Waits (at most {@code within}) until an iperf3 client runs against {@code phone}. */
    public static ProcessHandle awaitClient(Phone phone, Duration within) {
        return Awaitility.await("an iperf3 client runs against " + phone.address()).atMost(within)
                .pollInterval(Duration.ofMillis(10)).until(() -> client(phone), Optional::isPresent).orElseThrow();
    }
}
