package io.vbo.probe.iperf;

import io.vbo.events.Validate;
import io.vbo.events.VoiceLadder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Ends a ladder step at the first sign that its link queues, instead of at the step's end: iperf3 3.12 reports only
 * when a test is over, so the step is watched from outside. While a step runs, an echo goes to the phone every
 * {@code interval} ({@link InetAddress#isReachable}: an ICMP echo where the process may open raw sockets — root or an
 * effective CAP_NET_RAW — else, as the image's unprivileged user, a TCP SYN to port 7 that the phone answers with a
 * reset).
 * The lowest round trip seen during the ladder is its baseline. A stream that fits its link delays an echo by one of
 * its packets' time on the wire at most, while a stream above the link's rate makes every echo wait longer than the
 * one before; so two echoes in a row that stay out longer than baseline + {@code limit} (or one packet interval of
 * the step, whichever is more), from 0.3 s into the run, stop the step (SIGTERM to iperf3), and the step has failed. Measured: the overloading
 * step of a thin link then ends within ≈ 0.3 s of its queue passing the limit instead of after its 2 s, and the drain
 * is short (docs/benchmarks.md).
 * <p>
 * A phone that answers no echo is probed without the watch, as before (logged once per ladder). The echoes are part
 * of the step's load: iperf3 sends the rung's rate less what they put on the wire ({@link #streamBitsPerSecond}), so
 * a step puts exactly its rung's rate on the link.
 */
public final class EchoWatch {
    private static final Logger LOG = Logger.getLogger(EchoWatch.class);
    /** How long the echo that arms the watch may take; an answer after that is no baseline worth having. */
    private static final int FIRST_ECHO_TIMEOUT_MS = 1000;
    /**
     * How long into a run no echo counts as late (it may still set the baseline): iperf3's own start (the process, its
     * control connection and parameters) takes those moments, on a loaded host it delays echoes too (measured: two
     * 30 ms-late echoes at the start of an iLBC step that fitted), and a stream's queue cannot show before the
     * shaper's burst is spent.
     */
    private static final long GRACE_NANOS = 300_000_000;
    /**
     * An ICMP echo as {@link InetAddress#isReachable} sends it, and its reply: 20 bytes IP, 8 ICMP, 16 data (measured
     * with tc's counters: 100 echoes put 5,842 bytes on an Ethernet veth each way, 58 per frame). The TCP SYN of the
     * unprivileged fallback is 60 bytes, its reset 40.
     */
    static final int ECHO_IP_BYTES = 44;

    /** One round trip: true when {@code target} answered within {@code timeoutMs}. */
    @FunctionalInterface
    public interface Echo {
        boolean answered(InetAddress target, int timeoutMs) throws IOException, InterruptedException;
    }

    private final Echo echo;
    private final Duration interval;
    private final double limitMs;
    private final int layer2Bytes;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-watch");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param interval    time between two echoes; {@link Duration#ZERO} turns the watch off
     * @param limitMs     how much longer than the baseline an echo may take
     * @param layer2Bytes bytes per frame below IP (the policy's {@code vbo.policy.layer2-bytes}), for the echoes'
     *                    share of a step
     */
    public EchoWatch(Echo echo, Duration interval, double limitMs, int layer2Bytes) {
        if (interval.isNegative() || limitMs <= 0) {
            throw new IllegalArgumentException("vbo.probe.ladder.echo-interval must be 0 or more and echo-limit-ms "
                    + "more than 0, got " + interval + " and " + limitMs);
        }
        this.echo = echo;
        this.interval = interval;
        this.limitMs = limitMs;
        this.layer2Bytes = layer2Bytes;
    }

    /** The production watch: {@link InetAddress#isReachable}. */
    public static EchoWatch reachability(Duration interval, double limitMs, int layer2Bytes) {
        return new EchoWatch((target, timeoutMs) -> target.isReachable(timeoutMs), interval, limitMs, layer2Bytes);
    }

    /** No watch: every step runs its full time. */
    public static EchoWatch off() {
        return new EchoWatch((target, timeoutMs) -> false, Duration.ZERO, 1, 0);
    }

    public boolean on() {
        return !interval.isZero();
    }

    /**
     * The iperf3 {@code -b} for {@code rung} × {@code calls} with the echoes sent alongside: the datagrams that fit in
     * the rung's wire rate once the echoes' frames are counted, never fewer than half of the rung's.
     */
    public long streamBitsPerSecond(VoiceLadder.Rung rung, int calls) {
        long full = rung.udpBitsPerSecond(calls);
        if (!on()) {
            return full;
        }
        double echoWireBps = 8.0 * (ECHO_IP_BYTES + layer2Bytes) * 1000.0 / interval.toMillis();
        double packetWireBits = 8.0 * (rung.packetBytes() + VoiceLadder.IP_UDP_BYTES + layer2Bytes);
        double packetsPerSecond = calls * 1000.0 / rung.packetizationMs();
        double left = Math.max(packetsPerSecond / 2, packetsPerSecond - echoWireBps / packetWireBits);
        return Math.round(left * 8 * rung.packetBytes());
    }

    /** The watch for one ladder (or check) against {@code address}: its baseline lasts as long as the ladder. */
    public Target target(String address) {
        // As Iperf3Runner: a name would cost a DNS lookup, and only IP literals are probed.
        if (!Validate.isIpLiteral(address)) {
            throw new IllegalArgumentException("refusing to probe '" + Validate.printable(address)
                    + "': not an IP address literal");
        }
        try {
            return new Target(InetAddress.getByName(address), address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + Validate.printable(address), e);
        }
    }

    /** One ladder's target: the lowest round trip seen so far. */
    public final class Target {
        private final InetAddress address;
        private final String name;
        private double baselineMs = Double.NaN;
        private boolean silenceLogged;

        private Target(InetAddress address, String name) {
            this.address = address;
            this.name = name;
        }

        /** Watches one run of {@code rung} × {@code calls}; {@link Iperf3Runner} hands it the process. */
        public Run run(VoiceLadder.Rung rung, int calls) {
            return new Run(this, Math.max(limitMs, (double) rung.packetizationMs() / calls));
        }

        synchronized OptionalDouble baseline() {
            return Double.isNaN(baselineMs) ? OptionalDouble.empty() : OptionalDouble.of(baselineMs);
        }

        synchronized void seen(double rttMs) {
            baselineMs = Double.isNaN(baselineMs) ? rttMs : Math.min(baselineMs, rttMs);
        }

        synchronized void silent() {
            if (!silenceLogged && Double.isNaN(baselineMs)) {
                silenceLogged = true;
                LOG.debugf("%s answers no echo: its ladder steps run their full time", name);
            }
        }
    }

    /**
     * A run the echoes stopped.
     *
     * @param riseMs  how much longer than the baseline the echo that stopped it took
     * @param afterMs how long the run had run by then
     */
    public record Queued(double riseMs, long afterMs) {
    }

    /** One watched run. */
    public final class Run implements Iperf3Runner.RunWatch {
        private final Target target;
        private final double limitMs;
        private volatile boolean running;
        private volatile Queued queued;
        private long startedAt;
        private Future<?> sampler;

        private Run(Target target, double limitMs) {
            this.target = target;
            this.limitMs = limitMs;
        }

        @Override
        public synchronized void started(Process process) {
            if (!on()) {
                return;
            }
            running = true;
            startedAt = System.nanoTime();
            sampler = threads.submit(() -> watch(process));
        }

        @Override
        public synchronized void ended() {
            running = false;
            if (sampler != null) {
                sampler.cancel(true);
            }
        }

        /** How the echoes stopped the run, if they did. */
        public Optional<Queued> queued() {
            return Optional.ofNullable(queued);
        }

        private void watch(Process process) {
            int late = 0;
            try {
                while (running && process.isAlive()) {
                    long sent = System.nanoTime();
                    Future<Boolean> answer = threads.submit(() -> echo.answered(target.address, FIRST_ECHO_TIMEOUT_MS));
                    OptionalDouble baseline = target.baseline();
                    double allowedMs = baseline.isPresent() ? baseline.getAsDouble() + limitMs : FIRST_ECHO_TIMEOUT_MS;
                    boolean back = answeredWithin(answer, allowedMs);
                    double tookMs = (System.nanoTime() - sent) / 1e6;
                    if (back) {
                        target.seen(tookMs);
                    } else if (baseline.isEmpty()) {
                        target.silent();
                    }
                    boolean judged = sent - startedAt >= GRACE_NANOS;
                    late = judged && baseline.isPresent() && (!back || tookMs > allowedMs) ? late + 1 : 0;
                    if (late >= 2 && running) {
                        // An echo not back is at least as late as the limit (a full queue drops it).
                        queued = new Queued(Math.max(tookMs, allowedMs) - baseline.getAsDouble(),
                                (System.nanoTime() - startedAt) / 1_000_000);
                        process.destroy();
                        return;
                    }
                    long next = sent + interval.toNanos() - System.nanoTime();
                    if (next > 0) {
                        TimeUnit.NANOSECONDS.sleep(next);
                    }
                }
            } catch (InterruptedException e) {
                // the run ended
            }
        }

        private boolean answeredWithin(Future<Boolean> answer, double ms) throws InterruptedException {
            try {
                return answer.get(Math.max(1, Math.round(ms * 1000)), TimeUnit.MICROSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                return false;
            }
        }
    }
}
