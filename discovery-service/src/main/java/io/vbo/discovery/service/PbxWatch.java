package io.vbo.discovery.service;

import io.vbo.ami.AmiConnection;
import io.vbo.ami.AmiMessage;
import io.vbo.ami.AmiReply;
import io.vbo.ami.CallEvents;
import io.vbo.ami.CodecCapabilities;
import io.vbo.discovery.ami.AmiParsers;
import io.vbo.discovery.cli.CliParsers;
import io.vbo.discovery.cli.CliRunner;
import io.vbo.events.PbxCapabilities;
import io.vbo.events.Validate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One configured PBX: its AMI session (or CLI runner), its {@link PbxDiscovery}, its {@link CapabilityTracker}, and
 * its state for health and metrics. The transcodable codecs are read at every AMI (re)connect, after
 * {@code FullyBooted} and after every {@code Reload} event; in CLI mode at every listing. With call events, its
 * {@link CallTracker} follows the live channels (resynchronised by {@code CoreShowChannels} at every listing, the one
 * right after connecting included) and their RTCP.
 */
public final class PbxWatch implements AmiConnection.Listener {
    private static final Logger LOG = Logger.getLogger(PbxWatch.class);
    private static final String NO_CONTACTS = "No Contacts found";

    private final String id;
    private final PbxDiscovery discovery;
    private final Vertx vertx;
    private final Consumer<Duration> cycleTimer;
    private final CapabilityTracker capabilities;
    private final AtomicBoolean polling = new AtomicBoolean();
    // AMI capability reads, on the connection's event loop: one at a time, a trigger during one runs another after it.
    private boolean reading;
    private String nextTrigger;
    private boolean nextForced;
    private AmiConnection connection;
    private CallTracker calls;
    private CliRunner cli;
    private volatile boolean up;
    private volatile String reason = "not started";

    PbxWatch(String id, PbxDiscovery discovery, CapabilityTracker capabilities, Vertx vertx, Consumer<Duration> cycleTimer) {
        this.id = id;
        this.discovery = discovery;
        this.capabilities = capabilities;
        this.vertx = vertx;
        this.cycleTimer = cycleTimer;
    }

    /** {@code calls}: the call tracker when the session receives call events, else {@code null}. */
    void useAmi(AmiConnection ami, CallTracker tracker) {
        this.connection = ami;
        this.calls = tracker;
        this.reason = "connecting";
        ami.start();
    }

    void useCli(CliRunner runner) {
        this.cli = runner;
        this.reason = "waiting for the first run of asterisk -rx";
        poll();
    }

    /** A PBX that cannot be watched at all (e.g. its secret is missing). */
    void disable(String why) {
        this.reason = why;
    }

    public String id() {
        return id;
    }

    public boolean up() {
        return up;
    }

    /** Why the PBX is not up, {@code null} when it is. */
    public String reason() {
        return up ? null : reason;
    }

    public int contacts() {
        return discovery.contactCount();
    }

    /** Live PJSIP channels tracked from call events (0 without them). */
    public int liveChannels() {
        return calls == null ? 0 : calls.liveChannels();
    }

    /** The audio codec of a live channel: {@code NativeFormats} of {@code core show channel}. */
    Future<Optional<String>> codecOf(String channel) {
        return connection.command("core show channel " + channel).map(CallEvents::nativeFormat);
    }

    /** The transcodable codecs last published for this PBX. */
    public Optional<PbxCapabilities> capabilities() {
        return capabilities.latest();
    }

    Future<Void> stop() {
        return connection != null ? connection.stop() : Future.succeededFuture();
    }

    /**
     * Lists endpoints and contacts once, unless a previous listing of this PBX is still running or its AMI session is
     * down (the session lists at once when it is back, and its state is already logged and in health).
     */
    public void poll() {
        boolean amiDown = connection != null && connection.state() != AmiConnection.State.CONNECTED;
        if ((connection == null && cli == null) || amiDown || !polling.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        Future<Void> cycle = connection != null ? pollAmi() : pollCli();
        cycle.onComplete(result -> {
            polling.set(false);
            if (result.succeeded()) {
                cycleTimer.accept(Duration.ofNanos(System.nanoTime() - started));
            } else {
                LOG.warnf("PBX %s: listing failed: %s", id, result.cause().getMessage());
            }
        });
    }

    private Future<Void> pollAmi() {
        return connection.list("PJSIPShowEndpoints", Map.of()).compose(endpoints -> connection
                .list("PJSIPShowContacts", Map.of()).compose(contacts -> {
                    if (!contacts.success() && !NO_CONTACTS.equalsIgnoreCase(String.valueOf(contacts.message()))) {
                        return Future.failedFuture("PJSIPShowContacts answered Error: " + contacts.message());
                    }
                    // An endpoint list error (none configured) simply means no active channels anywhere.
                    Map<String, Integer> channels = endpoints.success() ? AmiParsers.activeChannels(endpoints.events()) : Map.of();
                    List<Contact> listed = parseContacts(contacts);
                    if (calls == null) {
                        discovery.snapshot(listed, channels);
                        return Future.succeededFuture();
                    }
                    return resyncCalls().map(counts -> {
                        discovery.snapshot(listed, counts.map(c -> withCalls(channels, c)).orElse(channels));
                        return null;
                    });
                }));
    }

    /**
     * Lists the channels ({@code CoreShowChannels}) into the call tracker; its counts, or empty when the listing
     * failed (then the endpoint listing's {@code ActiveChannels} stand).
     */
    private Future<Optional<Map<String, Integer>>> resyncCalls() {
        long token = calls.beginListing();
        return connection.list("CoreShowChannels", Map.of()).map(reply -> {
            if (!reply.success()) {
                LOG.warnf("PBX %s: CoreShowChannels answered Error: %s", id, reply.message());
                return Optional.empty();
            }
            calls.listed(token, CallEvents.channels(reply.events()));
            return Optional.of(calls.activeCalls());
        });
    }

    /** The tracker knows every live channel: an endpoint it has none for has no call. */
    private static Map<String, Integer> withCalls(Map<String, Integer> listing, Map<String, Integer> tracked) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        listing.keySet().forEach(endpoint -> counts.put(endpoint, 0));
        counts.putAll(tracked);
        return counts;
    }

    private List<Contact> parseContacts(AmiReply reply) {
        List<Contact> contacts = new ArrayList<>();
        for (AmiMessage event : reply.events()) {
            if ("ContactList".equalsIgnoreCase(event.event())) {
                Optional<Contact> contact = AmiParsers.contact(event);
                contact.ifPresentOrElse(contacts::add, () -> LOG.warnf(
                        "PBX %s: contact %s skipped: no IP address in its URI or Via", id, event.get("Uri")));
            }
        }
        return contacts;
    }

    private Future<Void> pollCli() {
        return vertx.<Void>executeBlocking(() -> {
            try {
                List<CliParsers.CliEndpoint> endpoints = CliParsers.endpoints(cli.run("pjsip show endpoints"));
                String output = cli.run("pjsip show contacts");
                // Anything else (an error printed with exit 0) must not read as "no contacts": that would mark
                // every phone of the PBX gone.
                if (!output.contains("Objects found:") && !output.contains("No objects found.")) {
                    throw new IOException("unrecognised 'pjsip show contacts' output: '"
                            + output.strip().lines().findFirst().orElse("") + "'");
                }
                List<CliParsers.CliContact> contacts = CliParsers.contacts(output);
                Map<String, Integer> channels = new LinkedHashMap<>();
                endpoints.forEach(e -> channels.put(e.name(), e.channels()));
                boolean cameUp = markUp();
                discovery.snapshot(CliParsers.resolve(contacts, endpoints), channels);
                readCliCapabilities(cameUp);
                return null;
            } catch (IOException e) {
                markDown(e.getMessage());
                throw e;
            }
        }, false);
    }

    /** Without events, a CLI PBX is re-read at every listing; coming up counts as a reconnect. */
    private void readCliCapabilities(boolean cameUp) {
        String trigger = cameUp ? "connect" : "listing";
        CodecCapabilities.read(command -> {
            try {
                return Future.succeededFuture(cli.run(command).lines().toList());
            } catch (IOException e) {
                return Future.failedFuture(e);
            }
        }).onSuccess(reading -> capabilities.reading(reading, cameUp, trigger))
                .onFailure(e -> capabilities.failed(e.getMessage(), trigger));
    }

    /** Reads over AMI now, or right after the read in flight. */
    private void readAmiCapabilities(String trigger, boolean force) {
        if (reading) {
            nextTrigger = trigger;
            nextForced |= force;
            return;
        }
        reading = true;
        CodecCapabilities.read(connection::command).onComplete(result -> {
            if (result.succeeded()) {
                capabilities.reading(result.result(), force, trigger);
            } else {
                capabilities.failed(result.cause().getMessage(), trigger);
            }
            reading = false;
            if (nextTrigger != null) {
                String again = nextTrigger;
                boolean forced = nextForced;
                nextTrigger = null;
                nextForced = false;
                readAmiCapabilities(again, forced);
            }
        });
    }

    /** Returns whether the PBX was down before. */
    private boolean markUp() {
        boolean cameUp = !up;
        if (cameUp) {
            LOG.infof("PBX %s: up", id);
        }
        up = true;
        return cameUp;
    }

    private void markDown(String why) {
        up = false;
        reason = why;
    }

    @Override
    public void connected() {
        LOG.infof("PBX %s: AMI connected and logged in", id);
        up = true;
        reason = null;
        poll();
        readAmiCapabilities("connect", true);
    }

    @Override
    public void event(AmiMessage event) {
        String name = String.valueOf(event.event());
        if (calls != null && calls.event(name, event)) {
            return;
        }
        if ("ContactStatus".equalsIgnoreCase(name)) {
            discovery.contactStatus(event);
        } else if ("FullyBooted".equalsIgnoreCase(name)) {
            readAmiCapabilities("FullyBooted", false);
        } else if ("Reload".equalsIgnoreCase(name)) {
            readAmiCapabilities("Reload of " + Validate.printable(String.valueOf(event.get("Module"))), false);
        }
    }

    @Override
    public void down(String why, Duration retryIn) {
        up = false;
        reason = why;
        LOG.warnf("PBX %s: AMI down: %s; next attempt in %d ms", id, why, retryIn.toMillis());
    }
}
