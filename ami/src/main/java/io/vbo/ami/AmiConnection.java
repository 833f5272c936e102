package io.vbo.ami;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * One AMI session with one PBX, on one Vert.x event loop: connect, check the banner, log in with the MD5 challenge
 * ({@code Challenge} then {@code Login} with {@code Key: md5(challenge + secret)}, so the secret never crosses the
 * wire), then actions matched to their answers by ActionID and unsolicited events handed to the {@link Listener}.
 *
 * <p>Two ways to use it: {@link #start()} keeps a long-lived session that reconnects by itself (discovery-service);
 * {@link #open(Vertx, Settings)} makes one attempt and never reconnects, for request/response users ({@link AmiClient}
 * wraps it in blocking calls).
 *
 * <p>Any socket error, refused connection, close by the PBX or unanswered action takes the session down and schedules
 * a reconnect with capped exponential backoff (with jitter, so a fleet does not reconnect in step); a refused login
 * waits {@link Settings#authFailureRetry()} instead, since retrying a wrong secret quickly only fills Asterisk's log.
 * All state is touched on the connection's event-loop context only; listeners run there too and must not block.
 */
public final class AmiConnection {
    private static final Logger LOG = Logger.getLogger(AmiConnection.class);
    private static final String BANNER_PREFIX = "Asterisk Call Manager/";
    private static final int MAX_MESSAGE_BYTES = 1 << 20;

    /** Where a session is. */
    public enum State {
        CONNECTING, CONNECTED, DOWN, STOPPED
    }

    /** Callbacks, on the connection's event loop. */
    public interface Listener {
        /** Logged in (first time or after a reconnect). */
        void connected();

        /** An event that answers no pending action. */
        void event(AmiMessage event);

        /** The session went down; a reconnect is scheduled after {@code retryIn} ({@code null}: no reconnect). */
        void down(String reason, Duration retryIn);
    }

    /**
     * Connection parameters.
     *
     * @param name             for logs and ActionIDs (the PBX id)
     * @param events           the login's {@code Events:} value ({@code off}, {@code on} or event classes)
     * @param actionTimeout    how long an action (and the banner + login) may take before the session is dropped
     */
    public record Settings(String name, String host, int port, String username, String secret, String events,
            Duration connectTimeout, Duration actionTimeout, Duration initialBackoff, Duration maxBackoff,
            Duration authFailureRetry) {
        /**
         * Events off, 5 s to connect, 15 s per action, reconnect after 1 s doubling up to 60 s, 5 min after a refused
         * login: discovery's defaults.
         */
        public static Settings of(String name, String host, int port, String username, String secret) {
            return new Settings(name, host, port, username, secret, "off", Duration.ofSeconds(5), Duration.ofSeconds(15),
                    Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5));
        }

        /** The login's {@code Events:} value. */
        public Settings withEvents(String newEvents) {
            return new Settings(name, host, port, username, secret, newEvents, connectTimeout, actionTimeout,
                    initialBackoff, maxBackoff, authFailureRetry);
        }

        public Settings withTimeouts(Duration newConnectTimeout, Duration newActionTimeout) {
            return new Settings(name, host, port, username, secret, events, newConnectTimeout, newActionTimeout,
                    initialBackoff, maxBackoff, authFailureRetry);
        }

        public Settings withBackoff(Duration newInitialBackoff, Duration newMaxBackoff, Duration newAuthFailureRetry) {
            return new Settings(name, host, port, username, secret, events, connectTimeout, actionTimeout,
                    newInitialBackoff, newMaxBackoff, newAuthFailureRetry);
        }

        // The secret stays out of every log line and exception message.
        @Override
        public String toString() {
            return "Settings[" + name + " " + username + "@" + host + ":" + port + "]";
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final NetClient client;
    private final Settings settings;
    private final Listener listener;
    private final boolean reconnect;
    private final Map<String, Pending> pending = new HashMap<>();

    private NetSocket socket;
    private RecordParser parser;
    private boolean bannerSeen;
    private boolean loggedIn;
    private boolean authFailed;
    private boolean stopped;
    private String closeReason;
    private int failures;
    private long actionCounter;
    private long reconnectTimer = -1;
    private volatile State state = State.CONNECTING;
    private volatile String reason = "connecting";

    /** A long-lived session: call {@link #start()}; it reconnects until {@link #stop()}. */
    public AmiConnection(Vertx vertx, Settings settings, Listener listener) {
        this(vertx, settings, listener, true);
    }

    private AmiConnection(Vertx vertx, Settings settings, Listener listener, boolean reconnect) {
        this.vertx = vertx;
        this.reconnect = reconnect;
        this.context = vertx.getOrCreateContext();
        this.settings = settings;
        this.listener = listener;
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setTcpKeepAlive(true)
                .setTcpNoDelay(true));
    }

    public void start() {
        context.runOnContext(v -> connect());
    }

    /**
     * One attempt, no reconnect: the future completes once logged in, or fails with the reason (refused connection,
     * {@code authentication failed (...)}, timeout). Events arriving later are ignored; close it with {@link #stop()}.
     */
    public static Future<AmiConnection> open(Vertx vertx, Settings settings) {
        Promise<AmiConnection> opened = Promise.promise();
        AmiConnection[] self = new AmiConnection[1];
        self[0] = new AmiConnection(vertx, settings, new Listener() {
            @Override
            public void connected() {
                opened.tryComplete(self[0]);
            }

            @Override
            public void event(AmiMessage event) {
                // a one-shot user asks; it does not listen
            }

            @Override
            public void down(String reason, Duration retryIn) {
                opened.tryFail(new AmiException("AMI " + settings.name() + " (" + settings.host() + ":" + settings.port()
                        + "): " + reason));
            }
        }, false);
        self[0].start();
        return opened.future();
    }

    /** Logs off politely when possible and stops reconnecting. */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            state = State.STOPPED;
            if (reconnectTimer >= 0) {
                vertx.cancelTimer(reconnectTimer);
            }
            if (socket != null) {
                if (loggedIn) {
                    socket.write(Buffer.buffer("Action: Logoff\r\n\r\n"));
                }
                socket.close();
            }
            client.close().onComplete(r -> done.complete());
        });
        return done.future();
    }

    public State state() {
        return state;
    }

    /** Why the session is not connected ({@code null} while connected). */
    public String reason() {
        return reason;
    }

    public String name() {
        return settings.name();
    }

    /** Sends an action answered by one response. */
    public Future<AmiReply> action(String action, Map<String, String> headers) {
        return send(action, headers, false);
    }

    /** Sends a list action ({@code PJSIPShowContacts}, ...) and collects its events up to {@code EventList: Complete}. */
    public Future<AmiReply> list(String action, Map<String, String> headers) {
        return send(action, headers, true);
    }

    /**
     * Runs a CLI command ({@code Action: Command}) and returns its {@code Output:} lines as the CLI prints them.
     * Asterisk answers an unknown or failing command with {@code Response: Error} and the same shape: that fails with
     * an {@link AmiException} naming the command and its output.
     */
    public Future<List<String>> command(String cli) {
        return action("Command", Map.of("Command", cli)).compose(reply -> reply.success()
                ? Future.succeededFuture(reply.output())
                : Future.failedFuture(new AmiException("'" + cli + "' answered " + reply.response().response() + ": "
                        + (reply.output().isEmpty() ? reply.message() : String.join(" / ", reply.output())))));
    }

    private Future<AmiReply> send(String action, Map<String, String> headers, boolean list) {
        Promise<AmiReply> promise = Promise.promise();
        context.runOnContext(v -> {
            if (!loggedIn) {
                promise.fail(new AmiException("not connected to " + settings.name() + ": " + reason));
                return;
            }
            write(action, headers, list, promise);
        });
        return promise.future();
    }

    private void write(String action, Map<String, String> headers, boolean list, Promise<AmiReply> promise) {
        StringBuilder text = new StringBuilder("Action: ").append(action).append("\r\n");
        String id = settings.name() + "-" + (++actionCounter);
        text.append("ActionID: ").append(id).append("\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getValue().indexOf('\r') >= 0 || header.getValue().indexOf('\n') >= 0) {
                promise.fail(new IllegalArgumentException("AMI header " + header.getKey() + " must not contain CR or LF"));
                return;
            }
            text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        text.append("\r\n");
        Pending entry = new Pending(action, list, promise);
        entry.timer = vertx.setTimer(settings.actionTimeout().toMillis(), t -> {
            if (pending.remove(id) != null) {
                String why = "timeout: " + action + " unanswered after " + settings.actionTimeout().toMillis() + " ms";
                promise.tryFail(new AmiException(why));
                closeWith(why);
            }
        });
        pending.put(id, entry);
        socket.write(Buffer.buffer(text.toString(), StandardCharsets.ISO_8859_1.name()));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        reconnectTimer = -1;
        authFailed = false;
        state = State.CONNECTING;
        client.connect(settings.port(), settings.host()).onComplete(result -> {
            if (stopped) {
                if (result.succeeded()) {
                    result.result().close();
                }
                return;
            }
            if (result.failed()) {
                down(describe(result.cause()));
            } else {
                attach(result.result());
            }
        });
    }

    private void attach(NetSocket newSocket) {
        socket = newSocket;
        bannerSeen = false;
        loggedIn = false;
        authFailed = false;
        closeReason = null;
        parser = RecordParser.newDelimited("\r\n", this::onRecord);
        parser.maxRecordSize(MAX_MESSAGE_BYTES);
        parser.exceptionHandler(e -> closeWith("protocol error: " + e.getMessage()));
        newSocket.handler(parser);
        newSocket.exceptionHandler(e -> closeWith(describe(e)));
        newSocket.closeHandler(v -> onClosed(newSocket));
        vertx.setTimer(settings.actionTimeout().toMillis(), t -> {
            if (socket == newSocket && !loggedIn) {
                closeWith("timeout: no AMI banner and login answer within " + settings.actionTimeout().toMillis() + " ms");
            }
        });
    }

    private void onRecord(Buffer record) {
        String text = record.toString(StandardCharsets.ISO_8859_1);
        if (!bannerSeen) {
            String line = text.strip();
            if (!line.startsWith(BANNER_PREFIX)) {
                closeWith("not an AMI server (first line '" + printable(line) + "')");
                return;
            }
            bannerSeen = true;
            parser.delimitedMode("\r\n\r\n");
            login();
            return;
        }
        // Asterisk starts every message with Response: or Event:; bytes before that are noise glued to it.
        int start = messageStart(text);
        if (start < 0 && text.isBlank()) {
            return;
        }
        if (start < 0 || !text.substring(0, start).isBlank()) {
            LOG.warnf("AMI %s: ignored %d bytes that are not an AMI message: '%s'", settings.name(),
                    start < 0 ? text.length() : start, printable(start < 0 ? text : text.substring(0, start)));
            if (start < 0) {
                return;
            }
        }
        AmiMessage message = AmiMessage.parse(text.substring(start));
        dispatch(message);
    }

    private static int messageStart(String text) {
        int response = text.indexOf("Response:");
        int event = text.indexOf("Event:");
        if (response < 0 || event < 0) {
            return Math.max(response, event);
        }
        return Math.min(response, event);
    }

    private void login() {
        Promise<AmiReply> challenge = Promise.promise();
        write("Challenge", Map.of("AuthType", "MD5"), false, challenge);
        challenge.future().onSuccess(reply -> {
            String nonce = reply.response().get("Challenge");
            if (!reply.success() || nonce == null || nonce.isEmpty()) {
                authFailed = true;
                closeWith("authentication failed (MD5 challenge refused: "
                        + printable(String.valueOf(reply.message())) + ")");
                return;
            }
            loginWithKey(nonce);
        });
    }

    private void loginWithKey(String nonce) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("AuthType", "MD5");
        headers.put("Username", settings.username());
        headers.put("Key", md5Hex(nonce + settings.secret()));
        headers.put("Events", settings.events());
        Promise<AmiReply> promise = Promise.promise();
        write("Login", headers, false, promise);
        promise.future().onSuccess(reply -> {
            if (reply.success()) {
                loggedIn = true;
                failures = 0;
                state = State.CONNECTED;
                reason = null;
                safely(listener::connected);
            } else {
                authFailed = true;
                closeWith("authentication failed (" + printable(String.valueOf(reply.message())) + ")");
            }
        });
    }

    private void dispatch(AmiMessage message) {
        String id = message.actionId();
        Pending entry = id == null ? null : pending.get(id);
        if (message.response() != null) {
            if (entry == null) {
                LOG.debugf("AMI %s: response to no pending action (ActionID %s)", settings.name(), id);
                return;
            }
            entry.response = message;
            if (!entry.list || !message.isSuccess() || !"start".equalsIgnoreCase(message.get("EventList"))) {
                complete(id, entry);
            }
        } else if (entry != null) {
            if ("Complete".equalsIgnoreCase(message.get("EventList"))) {
                complete(id, entry);
            } else {
                entry.events.add(message);
            }
        } else {
            safely(() -> listener.event(message));
        }
    }

    private void complete(String id, Pending entry) {
        pending.remove(id);
        vertx.cancelTimer(entry.timer);
        // A list whose response was lost to noise on the socket still completes, as a failed reply.
        AmiMessage response = entry.response != null ? entry.response : AmiMessage.parse("Response: Error\nMessage: response lost");
        entry.promise.tryComplete(new AmiReply(response, entry.events));
    }

    private void closeWith(String why) {
        if (closeReason == null) {
            closeReason = why;
        }
        if (socket != null) {
            socket.close();
        }
    }

    private void onClosed(NetSocket closed) {
        if (closed != socket) {
            return;
        }
        socket = null;
        loggedIn = false;
        String why = closeReason != null ? closeReason
                : bannerSeen ? "connection closed by the PBX" : "connection closed by the PBX before the AMI banner";
        List<Pending> waiting = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending entry : waiting) {
            vertx.cancelTimer(entry.timer);
            entry.promise.tryFail(new AmiException(entry.action + " aborted: " + why));
        }
        if (stopped) {
            state = State.STOPPED;
            return;
        }
        down(why);
    }

    private void down(String why) {
        state = State.DOWN;
        reason = why;
        if (!reconnect) {
            stopped = true;
            client.close();
            safely(() -> listener.down(why, null));
            return;
        }
        Duration retryIn = authFailed ? settings.authFailureRetry() : backoff(failures++);
        reconnectTimer = vertx.setTimer(Math.max(1, retryIn.toMillis()), t -> connect());
        safely(() -> listener.down(why, retryIn));
    }

    private Duration backoff(int attempt) {
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long base = attempt >= 30 ? max : Math.min(max, initial << attempt);
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.min(max, (long) (base * jitter)));
    }

    private void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "AMI %s: listener failed", settings.name());
        }
    }

    private String describe(Throwable cause) {
        String where = settings.host() + ":" + settings.port();
        if (cause.getClass().getSimpleName().contains("Timeout")) {
            return "timeout connecting to " + where;
        }
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).toLowerCase().contains("refused")) {
            return "connection refused by " + where;
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + settings.host();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Asterisk's MD5 login key: lower-case hex of MD5(challenge + secret), bytes as ISO-8859-1 like the wire. */
    static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    static String printable(String text) {
        String flat = text.replaceAll("[^\\x20-\\x7E]", "?");
        return flat.length() > 80 ? flat.substring(0, 80) + "..." : flat;
    }

    /** An action waiting for its answer. */
    private static final class Pending {
        final String action;
        final boolean list;
        final Promise<AmiReply> promise;
        final List<AmiMessage> events = new ArrayList<>();
        AmiMessage response;
        long timer;

        Pending(String action, boolean list, Promise<AmiReply> promise) {
            this.action = action;
            this.list = list;
            this.promise = promise;
        }
    }
}
