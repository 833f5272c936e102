package io.vbo.probe;

import io.vbo.lab.netns.Phone;
import java.io.IOException;
import java.net.InetAddress;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches one lab phone's link while something runs on it: a ping every 100 ms to the phone (the probed address, in
 * its namespace; {@link InetAddress#isReachable}, which as root is an ICMP echo — each in its own thread, so a slow
 * answer never delays the next ping), and both directions' qdisc byte counters every 250 ms. Test and benchmark code
 * only.
 */
public final class LinkMonitor implements AutoCloseable {
    private static final Pattern SENT = Pattern.compile("Sent (\\d+) bytes");
    private static final long SAMPLE_MS = 250;

    private final Phone phone;
    private final long downBps;
    private final long upBps;
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService pings = Executors.newCachedThreadPool();
    private final List<Double> rtts = new ArrayList<>();
    private final List<long[]> counters = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private LinkMonitor(Phone phone, long downBps, long upBps) throws IOException {
        this.phone = phone;
        this.downBps = downBps;
        this.upBps = upBps;
        InetAddress address = InetAddress.getByName(phone.address());
        pinger.scheduleAtFixedRate(() -> ping(address), 0, 100, TimeUnit.MILLISECONDS);
        sampler = new Thread(this::sample, "tc-" + phone.name());
        sampler.start();
    }

    /** Starts watching {@code phone}, whose link is shaped to {@code downBps}/{@code upBps}. */
    public static LinkMonitor start(Phone phone, long downBps, long upBps) {
        try {
            return new LinkMonitor(phone, downBps, upBps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was seen between start and {@link #close()}. */
    public record Report(List<Double> rttsMs, long bytes, int secondsAbove80Percent) {
        public double p95() {
            if (rttsMs.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = rttsMs.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
        }
    }

    /** Stops the pings (those in flight get 5 s to answer) and the sampler; the report covers everything seen. */
    public Report stop() {
        running = false;
        pinger.shutdown();
        try {
            pinger.awaitTermination(1, TimeUnit.SECONDS);
            pings.shutdown();
            pings.awaitTermination(6, TimeUnit.SECONDS);
            sampler.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            long bytes = counters.size() < 2 ? 0 : counters.get(counters.size() - 1)[0] - counters.get(0)[0]
                    + counters.get(counters.size() - 1)[1] - counters.get(0)[1];
            return new Report(List.copyOf(rtts), bytes, busySeconds());
        }
    }

    @Override
    public void close() {
        if (running) {
            stop();
        }
    }

    /** Whole seconds (from the first sample) in which either direction carried more than 80 % of its rate. */
    private int busySeconds() {
        int perSecond = (int) (1000 / SAMPLE_MS);
        int busy = 0;
        for (int i = 0; i + perSecond < counters.size(); i += perSecond) {
            long[] a = counters.get(i);
            long[] b = counters.get(i + perSecond);
            double seconds = (b[2] - a[2]) / 1000.0;
            if ((b[0] - a[0]) * 8 / seconds > 0.8 * downBps || (b[1] - a[1]) * 8 / seconds > 0.8 * upBps) {
                busy++;
            }
        }
        return busy;
    }

    private void ping(InetAddress address) {
        // Each ping in a thread of its own: the scheduler's thread only hands it over.
        if (!running) {
            return;
        }
        pings.execute(() -> {
            long start = System.nanoTime();
            try {
                if (address.isReachable(5000)) {
                    synchronized (this) {
                        rtts.add((System.nanoTime() - start) / 1e6);
                    }
                }
            } catch (IOException e) {
                // no answer: not an RTT
            }
        });
    }

    private void sample() {
        while (running) {
            long down = sent(List.of("tc", "-s", "qdisc", "show", "dev", phone.hostDevice()));
            long up = sent(List.of("ip", "netns", "exec", phone.namespace(), "tc", "-s", "qdisc", "show", "dev",
                    phone.phoneDevice()));
            synchronized (this) {
                counters.add(new long[] { down, up, System.currentTimeMillis() });
            }
            try {
                Thread.sleep(SAMPLE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long sent(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = SENT.matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
