package io.vbo.writer.pbx;

import io.vbo.ami.AmiClient;
import io.vbo.ami.AmiConnection;
import io.vbo.ami.AmiException;
import io.vbo.ami.AmiMessage;
import io.vbo.ami.AmiReply;
import io.vbo.events.Validate;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Asterisk through the shared {@code io.vbo.ami} client (MD5 challenge login, the secret never on the wire).
 * Commands ({@code module reload res_pjsip.so}, {@code pjsip show endpoint <name>}, ...) go over one blocking
 * {@link AmiClient} logged in with {@code Events: off}, opened on first use and again after any failure. A second,
 * long-lived {@link AmiConnection} logged in with {@code Events: system} reconnects by itself and reports every
 * (re)connect, {@code FullyBooted} and {@code Reload}; a {@code Reload} of res_pjsip that follows one of this
 * client's own reloads is its own and not reported, so only the others count as a change made behind the writer's back.
 */
public final class AmiPbx implements PbxClient {
    private static final Logger LOG = Logger.getLogger(AmiPbx.class);
    private static final String PJSIP_MODULE = "res_pjsip.so";

    private final Vertx vertx;
    private final AmiConnection.Settings settings;
    private final long ownReloadWindowNanos;
    /** One action at a time on the command connection. */
    private final ReentrantLock lock = new ReentrantLock();
    /** When each of this client's reloads was sent, oldest first, until its {@code Reload} event arrives. */
    private final Deque<Long> ownReloads = new ArrayDeque<>();
    private AmiClient client;
    private AmiConnection events;

    /**
     * @param settings login and timeouts; the event session uses them with {@code Events: system}
     */
    public AmiPbx(Vertx vertx, AmiConnection.Settings settings) {
        this.vertx = vertx;
        this.settings = settings.withEvents("off");
        // Asterisk sends the Reload event right after its answer; a late one still counts as ours within this window.
        this.ownReloadWindowNanos = settings.actionTimeout().plusSeconds(5).toNanos();
    }

    /** Starts the event session; {@code changes} is called on its event loop and must not block. */
    public void listen(Consumer<PbxChange> changes) {
        events = new AmiConnection(vertx, settings.withEvents("system"), new AmiConnection.Listener() {
            @Override
            public void connected() {
                // Reloads sent while this session was down announced themselves to nobody: none can be matched now.
                forgetOwnReloads();
                changes.accept(new PbxChange(PbxChange.Cause.CONNECTED, "AMI event session logged in"));
            }

            @Override
            public void event(AmiMessage event) {
                String name = String.valueOf(event.event());
                if ("FullyBooted".equalsIgnoreCase(name)) {
                    changes.accept(new PbxChange(PbxChange.Cause.FULLY_BOOTED, "FullyBooted, uptime " + event.get("Uptime") + " s"));
                } else if ("Reload".equalsIgnoreCase(name)) {
                    String module = Validate.printable(String.valueOf(event.get("Module")));
                    // Our own reloads are reported by the caller (Asterisk), in CLI mode too.
                    if (!PJSIP_MODULE.equals(module) || !ownReload()) {
                        changes.accept(new PbxChange(PbxChange.Cause.OTHER_RELOAD, "Reload of " + module));
                    }
                }
            }

            @Override
            public void down(String reason, Duration retryIn) {
                LOG.warnf("%s: event session down (%s); next attempt in %d ms", AmiPbx.this, reason,
                        retryIn == null ? -1 : retryIn.toMillis());
            }
        });
        events.start();
    }

    private synchronized boolean ownReload() {
        long now = System.nanoTime();
        while (!ownReloads.isEmpty() && now - ownReloads.peekFirst() > ownReloadWindowNanos) {
            ownReloads.pollFirst();
        }
        return ownReloads.pollFirst() != null;
    }

    private synchronized void forgetOwnReloads() {
        ownReloads.clear();
    }

    private synchronized void sentReload() {
        ownReloads.addLast(System.nanoTime());
    }

    @Override
    public String reloadPjsip() throws PbxException {
        lock.lock();
        try {
            sentReload();
            AmiReply reply = send("Command", Map.of("Command", RELOAD_COMMAND));
            List<String> output = reply.output();
            String words = output.isEmpty() ? String.valueOf(reply.message()) : String.join(" / ", output);
            if (!reply.success() || !PbxClient.reloadConfirmed(output)) {
                throw new PbxException("Asterisk did not confirm '" + RELOAD_COMMAND + "': " + words);
            }
            return words;
        } finally {
            lock.unlock();
        }
    }

    /** {@code pjsip show endpoint}: {@code PJSIPShowEndpoint} has the allow list but not every offer preference. */
    @Override
    public LoadedEndpoint endpoint(String endpoint) throws PbxException {
        Validate.endpoint("endpoint", endpoint);
        return LoadedEndpoint.parse(command("pjsip show endpoint " + endpoint));
    }

    @Override
    public List<String> command(String cli) throws PbxException {
        lock.lock();
        try {
            AmiReply reply = send("Command", Map.of("Command", cli));
            if (!reply.success()) {
                throw new PbxException("Asterisk: '" + cli + "': " + String.join(" / ", reply.output()));
            }
            return reply.output();
        } finally {
            lock.unlock();
        }
    }

    /** {@code Getvar} without a channel: the global ({@code Value:} is empty when unset). */
    @Override
    public String global(String name) throws PbxException {
        lock.lock();
        try {
            AmiReply reply = send("Getvar", Map.of("Variable", name));
            if (!reply.success()) {
                throw new PbxException("Asterisk: Getvar " + name + ": " + reply.message());
            }
            String value = reply.response().get("Value");
            return value == null ? "" : value;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pings, unless another action is running: then that action already proves (or disproves) the link, and a
     * readiness probe must not wait behind a batch of 1,000 verifications.
     */
    @Override
    public void ping() throws PbxException {
        if (!lock.tryLock()) {
            return;
        }
        try {
            AmiReply reply = send("Ping", Map.of());
            if (!reply.success()) {
                throw new PbxException("Asterisk: Ping answered " + reply.response().response() + ": " + reply.message());
            }
        } finally {
            lock.unlock();
        }
    }

    private AmiReply send(String action, Map<String, String> headers) throws PbxUnreachableException {
        AmiClient open = open();
        try {
            return open.action(action, headers);
        } catch (AmiException e) {
            drop();
            throw new PbxUnreachableException(this + " failed during " + action + ": " + e.getMessage(), e);
        }
    }

    private AmiClient open() throws PbxUnreachableException {
        if (client != null && client.isOpen()) {
            return client;
        }
        drop();
        try {
            client = AmiClient.open(vertx, settings);
            return client;
        } catch (AmiException e) {
            String why = e.getMessage().contains("authentication failed")
                    ? "AMI login as '" + settings.username() + "' on " + where() + " refused: "
                    : "AMI " + where() + " unreachable: ";
            throw new PbxUnreachableException(why + e.getMessage(), e);
        }
    }

    private void drop() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            drop();
        } finally {
            lock.unlock();
        }
        if (events != null) {
            events.stop();
        }
    }

    private String where() {
        return settings.host() + ":" + settings.port();
    }

    @Override
    public String toString() {
        return "AMI " + settings.username() + "@" + where();
    }
}
