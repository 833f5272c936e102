package io.vbo.lab.ami;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * Stand-in for Asterisk 22's manager interface (AMI) on 127.0.0.1: answers with the bytes of the real captures in
 * {@link Transcripts} (ActionID substituted) and lets a test change the PBX's state and misbehave on purpose.
 *
 * <p>Behaviour, as captured from Asterisk: the banner on connect; {@code Login} (plain {@code Secret} or
 * {@code Challenge}/MD5 {@code Key}) accepted or refused — a refused login gets {@code Authentication failed} and
 * the socket is closed; any other action before login gets {@code Permission denied} and the socket stays open;
 * sessions that log in with events on (any {@code Events} value but {@code off}) first get {@code FullyBooted} and
 * then every {@link #emitEvent emitted} event ({@link #emitReload} and {@link #emitFullyBooted} replay the captured
 * reload and restart events). {@code PJSIPShowAors} and
 * {@code PJSIPShowRegistrationInboundContactStatuses} replay their captures as they are (they do not follow
 * {@link #setContacts}). {@code Ping} and {@code Challenge} have no capture and use Asterisk's documented shape;
 * neither have {@code dialplan reload}, {@code dialplan show <context>} and {@code Getvar} ({@link #dialplan}), whose
 * answers are built from the format strings of Asterisk 22.10.1's source (pbx_config.c, pbx.c, manager.c).
 * Calls ({@link AmiCall}): {@link #startCall}, {@link #emitRtcp}, {@link #endCall} (or {@link #playCall}) emit the
 * captured call and RTCP event shapes with the values a test chooses; live calls are listed by
 * {@code CoreShowChannels}, counted in {@code ActiveChannels} and answered by {@code core show channel}.
 *
 * <pre>{@code
 * try (AmiTestServer ami = AmiTestServer.start()) {
 *     ami.removeContact("1002");
 *     ami.emitContactStatus("1003", "Unreachable");
 * }
 * }</pre>
 */
public final class AmiTestServer implements AutoCloseable {
    private static final String BANNER = "ami-banner.txt";
    private static final Pattern SHOW_ENDPOINT = Pattern.compile("pjsip show endpoint (\\S+)");
    private static final Pattern CLI_PARAMETER = Pattern.compile("^(\\s(\\S+)\\s+: ).*$");
    private static final Map<String, Pattern> FIELD_PATTERNS = new ConcurrentHashMap<>();

    /**
     * How to start the server.
     *
     * @param port     TCP port on 127.0.0.1, 0 for a free one
     * @param username the AMI user that may log in
     * @param secret   its secret
     */
    public record Options(int port, String username, String secret) {
        /** A free port, user {@code vbo}, secret {@code vbo-secret} (the captures' credentials). */
        public static Options defaults() {
            return new Options(0, "vbo", "vbo-secret");
        }

        public Options withPort(int newPort) {
            return new Options(newPort, username, secret);
        }

        public Options withCredentials(String newUsername, String newSecret) {
            return new Options(port, newUsername, newSecret);
        }
    }

    private final Options options;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final List<AmiRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger loginAttempts = new AtomicInteger();
    private final List<AmiContact> contacts = new ArrayList<>();
    private final Set<String> endpoints = new LinkedHashSet<>(List.of("1001", "1002", "1003"));
    private final Map<String, Integer> activeChannels = new ConcurrentHashMap<>();
    private final Map<String, AmiCall> liveCalls = new ConcurrentHashMap<>();
    private volatile boolean refuseLogins;
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile Function<String, CommandReply> onCommand = command -> null;
    private volatile Function<String, EndpointSettings> endpointSettings = endpoint -> null;
    private volatile Function<String, String> reloadError = module -> null;
    private volatile java.nio.file.Path extensionsConf;
    private volatile Dialplan dialplan = Dialplan.empty();
    private volatile boolean dialplanReloadTakes = true;

    private AmiTestServer(Options options) throws IOException {
        this.options = options;
        Transcripts.dir();
        this.contacts.addAll(AmiContact.allFrom(AmiContact.REGISTERED));
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 200);
        this.acceptor = new Thread(this::acceptLoop, "ami-test-server-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Starts with {@link Options#defaults()}: the three registered contacts of the captures. */
    public static AmiTestServer start() {
        return start(Options.defaults());
    }

    public static AmiTestServer start(Options options) {
        try {
            return new AmiTestServer(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the AMI test server on port " + options.port(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public Options options() {
        return options;
    }

    // ---- scripting -------------------------------------------------------------------------------------------

    /** Login actions received so far (accepted or not). */
    public int loginAttempts() {
        return loginAttempts.get();
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** While true every login is answered {@code Authentication failed} and the socket closed. */
    public void refuseLogins(boolean refuse) {
        this.refuseLogins = refuse;
    }

    /** Drops every open connection at once, as an Asterisk restart or a network cut would. */
    public void closeConnections() {
        sessions.forEach(Session::close);
    }

    /** Waits this long before each response (not before the banner, not before events). */
    public void responseDelay(Duration delay) {
        this.responseDelay = Objects.requireNonNull(delay);
    }

    /**
     * Replies to {@code Action: Command}. A null reply means the default: {@code pjsip show endpoint <name>} from the
     * endpoint's settings, anything else {@link #defaultCommandReply}.
     */
    public void onCommand(Function<String, CommandReply> handler) {
        this.onCommand = Objects.requireNonNull(handler);
    }

    /**
     * The codecs {@code PJSIPShowEndpoint} and {@code pjsip show endpoint} report for an endpoint; null keeps the
     * captured {@code (ulaw|alaw|g722|gsm)}. The offer preferences stay Asterisk's defaults.
     */
    public void endpointAllow(Function<String, List<String>> allow) {
        Objects.requireNonNull(allow);
        endpointSettings(endpoint -> {
            List<String> codecs = allow.apply(endpoint);
            return codecs == null ? null : EndpointSettings.allow(codecs);
        });
    }

    /**
     * What {@code PJSIPShowEndpoint} and {@code pjsip show endpoint} report for an endpoint (allow list and offer
     * preferences); null keeps the capture. An endpoint with settings is known even without a contact.
     */
    public void endpointSettings(Function<String, EndpointSettings> settings) {
        this.endpointSettings = Objects.requireNonNull(settings);
    }

    /** For {@code Action: Reload}: an error message for the module, or null for the captured success. */
    public void reloadError(Function<String, String> error) {
        this.reloadError = Objects.requireNonNull(error);
    }

    /**
     * The dialplan this Asterisk loads: {@code extensionsConf} (and the files it {@code #include}s) is read now, as
     * at Asterisk's start, and again at every {@code dialplan reload}; {@code dialplan show <context>} and
     * {@code Getvar} of a global answer from what was loaded ({@link Dialplan}: built from Asterisk's source, no
     * capture exists).
     */
    public void dialplan(java.nio.file.Path extensionsConf) {
        this.extensionsConf = Objects.requireNonNull(extensionsConf);
        this.dialplan = Dialplan.empty().reload(extensionsConf);
    }

    /**
     * While false, {@code dialplan reload} still answers {@code Dialplan reloaded.} but keeps the dialplan loaded
     * before (a reload that did not take), so a read-back of what was written fails.
     */
    public void dialplanReloadTakes(boolean takes) {
        this.dialplanReloadTakes = takes;
    }

    /** {@code dialplan reload} commands received so far. */
    public long dialplanReloads() {
        return requests("Command").stream().filter(r -> "dialplan reload".equals(String.valueOf(r.header("Command")).strip()))
                .count();
    }

    /** Every action received, in order. */
    public List<AmiRequest> requests() {
        return List.copyOf(requests);
    }

    /** The received actions named {@code action} (case-insensitive). */
    public List<AmiRequest> requests(String action) {
        return requests.stream().filter(r -> action.equalsIgnoreCase(r.action())).toList();
    }

    public synchronized List<AmiContact> contacts() {
        return List.copyOf(contacts);
    }

    public synchronized void setContacts(Collection<AmiContact> newContacts) {
        contacts.clear();
        newContacts.forEach(this::addContact);
    }

    /** Adds a contact (its endpoint becomes known to {@code PJSIPShowEndpoint(s)} too). */
    public synchronized void addContact(AmiContact contact) {
        contacts.add(contact);
        endpoints.add(contact.endpoint());
    }

    /** Removes the contacts of {@code aor}; returns them. Emits nothing: use {@link #emitContactStatus} for that. */
    public synchronized List<AmiContact> removeContact(String aor) {
        List<AmiContact> removed = contacts.stream().filter(c -> c.aor().equals(aor)).toList();
        contacts.removeAll(removed);
        return removed;
    }

    /** Sets the {@code Status} of the contacts of {@code aor} ({@code Reachable}, {@code Unreachable}, ...). */
    public void setContactStatus(String aor, String status) {
        updateContacts(aor, c -> c.withStatus(status));
    }

    public synchronized void updateContacts(String aor, UnaryOperator<AmiContact> change) {
        contacts.replaceAll(c -> c.aor().equals(aor) ? change.apply(c) : c);
    }

    /** {@code ActiveChannels} that {@code PJSIPShowEndpoints} reports for an endpoint (default 0). */
    public void setActiveChannels(String endpoint, int channels) {
        activeChannels.put(endpoint, channels);
    }

    /**
     * A call starts: the channel is listed by {@code CoreShowChannels}, counted in {@code ActiveChannels}, answered by
     * {@code core show channel}, and {@code Newchannel}, {@code Newstate} Ringing and Up are emitted.
     */
    public void startCall(AmiCall call) {
        liveCalls.put(call.uniqueId(), call);
        emitEvent(call.newchannel() + call.newstate("Ringing") + call.newstate("Up"));
    }

    /** One report each way: the phone's {@code RTCPReceived} ({@code downlink}) then Asterisk's {@code RTCPSent}. */
    public void emitRtcp(AmiCall call, AmiCall.Report downlink, AmiCall.Report uplink) {
        emitEvent(call.rtcpReceived(downlink) + call.rtcpSent(uplink));
    }

    /** The call ends: {@code Hangup} (cause 16, Normal Clearing) and the channel is no longer listed. */
    public void endCall(AmiCall call) {
        liveCalls.remove(call.uniqueId());
        emitEvent(call.hangup(16, "Normal Clearing"));
    }

    /** A whole call: start, one {@link #emitRtcp} per pair of reports, hang-up. */
    public void playCall(AmiCall call, List<AmiCall.Report> downlink, List<AmiCall.Report> uplink) {
        startCall(call);
        for (int i = 0; i < Math.max(downlink.size(), uplink.size()); i++) {
            if (i < downlink.size()) {
                emitEvent(call.rtcpReceived(downlink.get(i)));
            }
            if (i < uplink.size()) {
                emitEvent(call.rtcpSent(uplink.get(i)));
            }
        }
        endCall(call);
    }

    /** The calls started and not ended. */
    public List<AmiCall> liveCalls() {
        return List.copyOf(liveCalls.values());
    }

    /** Sessions logged in with events on (wait for one before emitting). */
    public int eventSessions() {
        return (int) sessions.stream().filter(s -> s.loggedIn && s.eventsOn).count();
    }

    /** Waits until {@code count} sessions receive events; fails after {@code timeout}. */
    public void awaitEventSessions(int count, Duration timeout) {
        Awaitility.await(count + " AMI sessions with events on").atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> eventSessions() >= count);
    }

    /** Sends raw bytes (one or more complete AMI messages) to every session with events on; returns how many. */
    public int emitEvent(String rawMessage) {
        int reached = 0;
        for (Session session : sessions) {
            if (session.loggedIn && session.eventsOn && session.send(rawMessage)) {
                reached++;
            }
        }
        return reached;
    }

    /**
     * Emits the {@code Event: Reload} Asterisk sent after {@code module reload res_pjsip.so}
     * ({@code ami-session-reload-events.received.raw.txt}) with {@code Module:} set; returns the sessions reached.
     */
    public int emitReload(String module) {
        return emitEvent(replaceField(Transcripts.message("ami-session-reload-events.received.raw.txt", "Event: Reload"),
                "Module", module));
    }

    /**
     * Emits the {@code Event: FullyBooted} of a freshly restarted Asterisk ({@code Uptime: 0},
     * {@code ami-session-fullybooted-after-restart.received.raw.txt}); returns the sessions reached.
     */
    public int emitFullyBooted() {
        return emitEvent(Transcripts.message("ami-session-fullybooted-after-restart.received.raw.txt", "Event: FullyBooted"));
    }

    /** Emits a {@code ContactStatus} event for the current contact of {@code aor}; returns the sessions reached. */
    public int emitContactStatus(String aor, String status) {
        AmiContact contact = contacts().stream().filter(c -> c.aor().equals(aor)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no contact of AOR " + aor));
        String rtt = "Reachable".equals(status) ? contact.get("RoundtripUsec") : "0";
        return emitEvent(contactStatusEvent(contact.uri(), status, contact.aor(), contact.endpoint(), rtt));
    }

    /** A {@code ContactStatus} event shaped like the captured ones (field order and {@code Privilege} kept). */
    public static String contactStatusEvent(String uri, String status, String aor, String endpoint, String roundtripUsec) {
        String event = Transcripts.message("ami-events-contact-status.txt", "Event: ContactStatus");
        event = replaceField(event, "URI", uri);
        event = replaceField(event, "ContactStatus", status);
        event = replaceField(event, "AOR", aor);
        event = replaceField(event, "EndpointName", endpoint);
        return replaceField(event, "RoundtripUsec", roundtripUsec);
    }

    /** Writes arbitrary bytes to every open connection (logged in or not). */
    public void sendGarbage(String bytes) {
        sessions.forEach(s -> s.send(bytes));
    }

    /**
     * The captured reply of a CLI command: {@code module reload res_pjsip.so}, {@code pjsip show contacts},
     * {@code pjsip show endpoint 1001}, {@code core show version}, {@code core reload} (no output),
     * {@code core show translation} and {@code module show like codec_} (a stock Asterisk 22: no opus, no g729);
     * anything else is answered like the unknown {@code pjsip reload}. A test changes the translator table with
     * {@link #onCommand}, e.g. {@code onCommand(c -> c.equals("core show translation") ? CommandReply.ok(lines) : null)}.
     */
    public static CommandReply defaultCommandReply(String command) {
        return switch (command.strip()) {
            case "module reload res_pjsip.so" -> CommandReply.transcript("ami-command-module-reload-res_pjsip.response.txt");
            case "pjsip show contacts" -> CommandReply.transcript("ami-command-pjsip-show-contacts.response.txt");
            case "pjsip show endpoint 1001" -> CommandReply.transcript("ami-command-pjsip-show-endpoint-1001.response.txt");
            case "core show version" -> new CommandReply(true, Transcripts.lines("cli-core-show-version.txt"));
            case "core reload" -> CommandReply.ok();
            case "core show translation" -> CommandReply.transcript("ami-command-core-show-translation.response.txt");
            case "module show like codec_" -> CommandReply.transcript("ami-command-module-show-like-codec.response.txt");
            default -> CommandReply.unknownCommand(command.strip());
        };
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing a listening socket we own: nothing left to release
        }
        closeConnections();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- protocol --------------------------------------------------------------------------------------------

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Session session = new Session(socket, connections.incrementAndGet());
                sessions.add(session);
                Thread thread = new Thread(session::run, "ami-test-server-" + port() + "-conn-" + session.id);
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    sleep(Duration.ofMillis(10));
                }
            }
        }
    }

    private void handle(Session session, AmiRequest request) {
        requests.add(request);
        String id = request.actionId();
        if (request.action() == null) {
            respond(session, "Response: Error\r\n" + actionIdLine(id) + "Message: Missing action in request\r\n\r\n");
            return;
        }
        String action = request.action().toLowerCase(Locale.ROOT);
        switch (action) {
            case "login" -> login(session, request);
            case "challenge" -> {
                session.challenge = Integer.toString(ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
                respond(session, "Response: Success\r\n" + actionIdLine(id) + "Challenge: " + session.challenge + "\r\n\r\n");
            }
            case "logoff" -> {
                respond(session, Transcripts.withActionId(Transcripts.text("ami-logoff.response.txt"), id));
                session.close();
            }
            default -> {
                if (!session.loggedIn) {
                    respond(session, Transcripts.withActionId(Transcripts.text("ami-action-before-login.response.txt"), id));
                    return;
                }
                switch (action) {
                    case "pjsipshowcontacts" -> respond(session, showContacts(id));
                    case "pjsipshowendpoints" -> respond(session, showEndpoints(id));
                    case "pjsipshowendpoint" -> respond(session, showEndpoint(request.header("Endpoint"), id));
                    case "pjsipshowaors" -> respond(session, Transcripts.withActionId(Transcripts.text("ami-pjsipshowaors.response.txt"), id));
                    case "pjsipshowregistrationinboundcontactstatuses" -> respond(session, Transcripts.withActionId(
                            Transcripts.text("ami-pjsipshowregistrationinboundcontactstatuses.response.txt"), id));
                    case "command" -> command(session, request.header("Command"), id);
                    case "coreshowchannels" -> respond(session, coreShowChannels(id));
                    case "reload" -> reload(session, request.header("Module"), id);
                    case "getvar" -> respond(session, getvar(request, id));
                    case "ping" -> respond(session, "Response: Success\r\n" + actionIdLine(id) + "Ping: Pong\r\nTimestamp: "
                            + String.format(Locale.ROOT, "%.6f", System.currentTimeMillis() / 1000.0) + "\r\n\r\n");
                    default -> respond(session, Transcripts.withActionId(Transcripts.text("ami-unknown-action.response.txt"), id)
                            .replace("command: NoSuchAction.", "command: " + request.action() + "."));
                }
            }
        }
    }

    private void login(Session session, AmiRequest request) {
        loginAttempts.incrementAndGet();
        String id = request.actionId();
        boolean userOk = options.username().equals(request.header("Username"));
        boolean secretOk = options.secret().equals(request.header("Secret"))
                || (session.challenge != null && "md5".equalsIgnoreCase(request.header("AuthType"))
                        && md5(session.challenge + options.secret()).equalsIgnoreCase(String.valueOf(request.header("Key"))));
        if (refuseLogins || !userOk || !secretOk) {
            respond(session, Transcripts.withActionId(Transcripts.text("ami-login-failure.response.txt"), id));
            session.close();
            return;
        }
        session.eventsOn = !"off".equalsIgnoreCase(String.valueOf(request.header("Events")).strip());
        String reply = Transcripts.withActionId(Transcripts.text("ami-login-success.response.txt"), id);
        if (session.eventsOn) {
            reply += Transcripts.message("ami-events-session.received.raw.txt", "Event: FullyBooted");
        }
        respond(session, reply);
        session.loggedIn = true;
    }

    private String showContacts(String id) {
        List<AmiContact> current = contacts();
        if (current.isEmpty()) {
            return Transcripts.withActionId(Transcripts.text("ami-pjsipshowcontacts-empty.response.txt"), id);
        }
        StringBuilder out = new StringBuilder(Transcripts.withActionId(
                Transcripts.message(AmiContact.REGISTERED, "Response: Success"), id));
        current.forEach(c -> out.append(c.render(id)));
        return out.append("Event: ContactListComplete\r\n").append(actionIdLine(id))
                .append("EventList: Complete\r\nListItems: ").append(current.size()).append("\r\n\r\n").toString();
    }

    private String showEndpoints(String id) {
        String file = "ami-pjsipshowendpoints.response.txt";
        List<String> names;
        List<AmiContact> current;
        synchronized (this) {
            names = List.copyOf(endpoints);
            current = List.copyOf(contacts);
        }
        StringBuilder out = new StringBuilder(Transcripts.withActionId(Transcripts.message(file, "Response: Success"), id));
        String template = Transcripts.messages(file).stream()
                .filter(m -> m.startsWith("Event: EndpointList\r\n") && m.contains("\r\nObjectName: 1001\r\n"))
                .findFirst().orElseThrow();
        Map<String, StringBuilder> contactLists = new HashMap<>();
        current.forEach(c -> contactLists.computeIfAbsent(c.endpoint(), e -> new StringBuilder())
                .append(c.aor()).append('/').append(c.uri()).append(','));
        for (String name : names) {
            StringBuilder contactList = contactLists.getOrDefault(name, new StringBuilder());
            int channels = activeChannels.getOrDefault(name, 0)
                    + (int) liveCalls.values().stream().filter(c -> c.endpoint().equals(name)).count();
            String state = channels > 0 ? "In use" : contactList.length() == 0 ? "Unavailable" : "Not in use";
            String block = replaceField(template, "ObjectName", name);
            block = replaceField(block, "Aor", name);
            block = replaceField(block, "Auths", name + "-auth");
            block = replaceField(block, "Contacts", contactList.toString());
            block = replaceField(block, "DeviceState", state);
            block = replaceField(block, "ActiveChannels", Integer.toString(channels));
            out.append(Transcripts.withActionId(block, id));
        }
        return out.append("Event: EndpointListComplete\r\n").append(actionIdLine(id))
                .append("EventList: Complete\r\nListItems: ").append(names.size()).append("\r\n\r\n").toString();
    }

    private EndpointSettings settingsOf(String name) {
        boolean known;
        synchronized (this) {
            known = endpoints.contains(name);
        }
        EndpointSettings settings = endpointSettings.apply(name);
        return settings != null ? settings : known ? new EndpointSettings(null, null, null) : null;
    }

    private String showEndpoint(String name, String id) {
        EndpointSettings settings = name == null ? null : settingsOf(name);
        if (settings == null) {
            return Transcripts.withActionId(Transcripts.text("ami-pjsipshowendpoint-unknown.response.txt"), id)
                    .replace("endpoint 9999", "endpoint " + name);
        }
        String detail = switch (name) {
            case "1001" -> Transcripts.text("ami-pjsipshowendpoint-1001.response.txt");
            case "1002" -> Transcripts.text("codec-change-1002-ami-showendpoint-before.response.txt");
            default -> Transcripts.text("ami-pjsipshowendpoint-1001.response.txt").replace("1001", name);
        };
        for (String[] change : changes(settings)) {
            detail = replaceField(detail, change[0], change[2]);
        }
        return Transcripts.withActionId(detail, id);
    }

    /** {@code pjsip show endpoint <name>}: the captured 1001 text, renamed, with the endpoint's settings. */
    private CommandReply showEndpointCli(String name) {
        EndpointSettings settings = settingsOf(name);
        if (settings == null) {
            return new CommandReply(true, Transcripts.lines("cli-pjsip-show-endpoint-9999-unknown.txt").stream()
                    .map(l -> l.replace("9999", name)).toList());
        }
        List<String> out = new ArrayList<>();
        for (String line : CommandReply.transcript("ami-command-pjsip-show-endpoint-1001.response.txt").output()) {
            line = line.replace("1001", name);
            for (String[] change : changes(settings)) {
                line = cliParameter(line, change[1], change[2]);
            }
            out.add(line);
        }
        return new CommandReply(true, out);
    }

    /** The settings that differ from the capture: {AMI field, CLI parameter, value} each. */
    private static List<String[]> changes(EndpointSettings settings) {
        List<String[]> out = new ArrayList<>();
        if (settings.allow() != null) {
            out.add(new String[] {"Allow", "allow", "(" + String.join("|", settings.allow()) + ")"});
        }
        if (settings.outgoingCallOfferPref() != null) {
            out.add(new String[] {"OutgoingCallOfferPref", "outgoing_call_offer_pref", settings.outgoingCallOfferPref()});
        }
        if (settings.incomingCallOfferPref() != null) {
            out.add(new String[] {"IncomingCallOfferPref", "incoming_call_offer_pref", settings.incomingCallOfferPref()});
        }
        return out;
    }

    /** A parameter line {@code " name<padding>: value"} with a new value, the padding kept; other lines as they are. */
    private static String cliParameter(String line, String name, String value) {
        Matcher m = CLI_PARAMETER.matcher(line);
        return m.matches() && m.group(2).equals(name) ? m.group(1) + value : line;
    }

    private void command(Session session, String command, String id) {
        String cli = command == null ? "" : command;
        CommandReply reply = onCommand.apply(cli);
        Matcher showEndpoint = SHOW_ENDPOINT.matcher(cli.strip());
        if (reply == null && showEndpoint.matches()) {
            reply = showEndpointCli(showEndpoint.group(1));
        }
        if (reply == null) {
            reply = dialplanCli(cli.strip());
        }
        if (reply == null && cli.strip().startsWith("core show channel ")) {
            reply = coreShowChannelCli(cli.strip().substring("core show channel ".length()).strip());
        }
        if (reply == null) {
            reply = defaultCommandReply(cli);
        }
        String[] words = cli.strip().split("\\s+");
        if (reply.success() && words.length == 3 && words[0].equals("module") && words[1].equals("reload")) {
            reloaded(session, reply.render(id), reloadEvent(words[2]));
        } else {
            respond(session, reply.render(id));
        }
    }

    /**
     * {@code dialplan reload} (pbx_config.c: {@code "Dialplan reloaded.\n"}) and {@code dialplan show <context>}
     * (pbx.c); null for any other command.
     */
    private CommandReply dialplanCli(String cli) {
        if (cli.equals("dialplan reload")) {
            java.nio.file.Path file = extensionsConf;
            if (file != null && dialplanReloadTakes) {
                dialplan = dialplan.reload(file);
            }
            return CommandReply.ok("Dialplan reloaded.");
        }
        String[] words = cli.split("\\s+");
        if (words.length == 3 && words[0].equals("dialplan") && words[1].equals("show") && !words[2].contains("@")
                && !words[2].equals("globals")) {
            return dialplan.show(words[2]);
        }
        return null;
    }

    /**
     * {@code Getvar} without {@code Channel}: a global (manager.c {@code action_getvar}: {@code Variable:} and
     * {@code Value:} after the ack, the value empty when unset).
     */
    private String getvar(AmiRequest request, String id) {
        String name = request.header("Variable");
        if (name == null || name.isEmpty()) {
            return "Response: Error\r\n" + actionIdLine(id) + "Message: No variable specified\r\n\r\n";
        }
        if (request.header("Channel") != null && !request.header("Channel").isEmpty()) {
            return "Response: Error\r\n" + actionIdLine(id) + "Message: No such channel\r\n\r\n";
        }
        return "Response: Success\r\n" + actionIdLine(id) + "Variable: " + name + "\r\nValue: " + dialplan.global(name)
                + "\r\n\r\n";
    }

    /** {@code CoreShowChannels}: the captured reply with one item per live call. */
    private String coreShowChannels(String id) {
        String file = "ami-coreshowchannels-call.response.txt";
        List<AmiCall> calls = liveCalls();
        StringBuilder out = new StringBuilder(Transcripts.withActionId(Transcripts.message(file, "Response: Success"), id));
        calls.forEach(c -> out.append(c.coreShowChannel(id)));
        String complete = Transcripts.withActionId(Transcripts.message(file, "Event: CoreShowChannelsComplete"), id);
        return out.append(replaceField(complete, "ListItems", Integer.toString(calls.size()))).toString();
    }

    /** {@code core show channel <name>} of a live call; Asterisk's one-line answer for any other name. */
    private CommandReply coreShowChannelCli(String name) {
        return liveCalls.values().stream().filter(c -> c.channel().equals(name)).findFirst()
                .map(c -> new CommandReply(true, c.coreShowChannelCli()))
                .orElseGet(() -> CommandReply.ok(name + " is not a known channel"));
    }

    private void reload(Session session, String module, String id) {
        String error = reloadError.apply(module);
        if (error != null) {
            respond(session, "Response: Error\r\n" + actionIdLine(id) + "Message: " + error + "\r\n\r\n");
            return;
        }
        reloaded(session, Transcripts.withActionId(Transcripts.text("ami-reload-module-res_pjsip.response.txt"), id),
                reloadEvent(module == null ? "res_pjsip.so" : module));
    }

    /**
     * Asterisk raises {@code Reload} during the reload: another session's thread sends it at once, before the
     * issuing session has its answer; the issuing session gets it after its answer (as captured).
     */
    private void reloaded(Session issuer, String response, String event) {
        for (Session other : sessions) {
            if (other != issuer && other.loggedIn && other.eventsOn) {
                other.send(event);
            }
        }
        respond(issuer, response);
        if (issuer.loggedIn && issuer.eventsOn) {
            issuer.send(event);
        }
    }

    private static String reloadEvent(String module) {
        return replaceField(Transcripts.message("ami-events-reload-session.received.raw.txt", "Event: Reload"), "Module", module);
    }

    private void respond(Session session, String message) {
        Duration delay = responseDelay;
        if (!delay.isZero()) {
            sleep(delay);
        }
        session.send(message);
    }

    static String replaceField(String message, String field, String value) {
        Pattern pattern = FIELD_PATTERNS.computeIfAbsent(field,
                f -> Pattern.compile("(?m)^" + Pattern.quote(f) + ": [^\r\n]*\r\n"));
        return pattern.matcher(message).replaceFirst(Matcher.quoteReplacement(field + ": " + value + "\r\n"));
    }

    private static String actionIdLine(String id) {
        return id == null ? "" : "ActionID: " + id + "\r\n";
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One accepted connection. */
    private final class Session {
        private final Socket socket;
        private final int id;
        private volatile boolean loggedIn;
        private volatile boolean eventsOn;
        private volatile String challenge;

        Session(Socket socket, int id) {
            this.socket = socket;
            this.id = id;
        }

        void run() {
            try (socket) {
                send(Transcripts.text(BANNER));
                InputStream in = new BufferedInputStream(socket.getInputStream());
                AmiRequest request;
                while ((request = read(in)) != null) {
                    handle(this, request);
                    if (socket.isClosed()) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the peer went away or the test dropped the connection: that ends the session
            } finally {
                sessions.remove(this);
            }
        }

        private AmiRequest read(InputStream in) throws IOException {
            Map<String, String> headers = new LinkedHashMap<>();
            String action = null;
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return null;
                }
                if (line.isEmpty()) {
                    if (headers.isEmpty()) {
                        continue;
                    }
                    return new AmiRequest(id, action, headers);
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).strip();
                    String value = line.substring(colon + 1).strip();
                    headers.put(name, value);
                    if (name.equalsIgnoreCase("Action")) {
                        action = value;
                    }
                }
            }
        }

        private String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
            return null;
        }

        synchronized boolean send(String bytes) {
            if (socket.isClosed()) {
                return false;
            }
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return true;
            } catch (IOException e) {
                close();
                return false;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
            sessions.remove(this);
        }
    }
}
