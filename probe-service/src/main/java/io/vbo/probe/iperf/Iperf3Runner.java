package io.vbo.probe.iperf;

import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.Validate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Runs the iperf3 client as an argument list (never through a shell), with {@code --json}, iperf3's own connect
 * timeout, and a hard deadline after which the process is killed.
 */
public class Iperf3Runner {
    private static final Logger LOG = Logger.getLogger(Iperf3Runner.class);

    private final String binary;
    private final Duration connectTimeout;
    private final Duration killAfter;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    public Iperf3Runner(String binary, Duration connectTimeout, Duration killAfter) {
        this.binary = binary;
        this.connectTimeout = connectTimeout;
        this.killAfter = killAfter;
    }

    /**
     * The exact argument list for {@code spec}. Only an IP literal may follow {@code -c}: a name would cost a DNS
     * lookup and text such as {@code -R} or {@code --logfile=x} would be read as an option.
     */
    public List<String> command(ProbeSpec spec) {
        if (!Validate.isIpLiteral(spec.address())) {
            throw new IllegalArgumentException("refusing to probe '" + Validate.printable(spec.address())
                    + "': not an IP address literal");
        }
        if (spec.protocol() == Protocol.LADDER) {
            throw new IllegalArgumentException("a ladder is several runs (LadderProbe), not one iperf3 command");
        }
        if (spec.port() < 1 || spec.port() > 65535 || spec.seconds() < 1 || spec.seconds() > 60) {
            throw new IllegalArgumentException("port must be 1..65535 and seconds 1..60, got " + spec);
        }
        List<String> args = new ArrayList<>(List.of(binary, "-c", spec.address(), "-p", Integer.toString(spec.port()),
                "-t", Integer.toString(spec.seconds()), "--json", "--connect-timeout",
                Long.toString(connectTimeout.toMillis())));
        if (spec.protocol() == Protocol.UDP) {
            if (spec.udpBitsPerSecond() <= 0 || spec.udpPacketBytes() < 16 || spec.udpPacketBytes() > 1472) {
                throw new IllegalArgumentException("UDP needs a rate > 0 and 16..1472-byte packets, got " + spec);
            }
            args.addAll(List.of("-u", "-b", Long.toString(spec.udpBitsPerSecond()), "-l",
                    Integer.toString(spec.udpPacketBytes())));
        }
        if (spec.direction() == Direction.UPLINK) {
            args.add("-R");
        }
        return args;
    }

    /** Sees each run's process while it runs ({@link EchoWatch} ends it when the link starts to queue). */
    public interface RunWatch {
        RunWatch NONE = new RunWatch() {
            @Override
            public void started(Process process) {
            }

            @Override
            public void ended() {
            }
        };

        void started(Process process);

        void ended();
    }

    /** Runs one measurement; never throws for anything iperf3 or the network did (that is the outcome). */
    public Measurement run(ProbeSpec spec) {
        return run(spec, new StopSignal());
    }

    /**
     * Runs one measurement that {@code stop} can end early: then, whatever iperf3 printed, the outcome is
     * {@code DEFERRED_ACTIVE_CALL} with the signal's reason and no figures (half a test measures nothing).
     */
    public Measurement run(ProbeSpec spec, StopSignal stop) {
        return run(spec, stop, RunWatch.NONE);
    }

    /** As {@link #run(ProbeSpec, StopSignal)}, with {@code watch} seeing the process. */
    public Measurement run(ProbeSpec spec, StopSignal stop, RunWatch watch) {
        return execute(command(spec), spec.seconds(), stop, watch, json -> Iperf3Report.parse(json, spec.protocol()),
                Measurement::outcome, m -> m);
    }

    /**
     * The argument list of one UDP run in both directions at once ({@code --bidir}, iperf3 3.7 and later): the
     * {@link #command} of {@code spec}'s downlink run, with the phone's server sending the same stream back.
     */
    public List<String> bothCommand(ProbeSpec spec) {
        if (spec.protocol() != Protocol.UDP || spec.direction() != Direction.DOWNLINK) {
            throw new IllegalArgumentException("--bidir runs a UDP downlink spec both ways, got " + spec);
        }
        List<String> args = new ArrayList<>(command(spec));
        args.add("--bidir");
        return args;
    }

    /** Runs {@code spec} (UDP, downlink) in both directions at once; {@code stop} and {@code watch} as for {@link #run}. */
    public Iperf3Report.Both runBoth(ProbeSpec spec, StopSignal stop, RunWatch watch) {
        return execute(bothCommand(spec), spec.seconds(), stop, watch, Iperf3Report::parseBoth,
                both -> both.downlink().outcome(), m -> new Iperf3Report.Both(m, m));
    }

    /**
     * Runs {@code command} to its end or its deadline and reads its report; anything that kept it from reporting
     * (no binary, the deadline, a stop) is {@code failed}'s measurement.
     */
    private <T> T execute(List<String> command, int seconds, StopSignal stop, RunWatch watch, Function<String, T> parse,
            Function<T, Outcome> outcome, Function<Measurement, T> failed) {
        if (stop.given()) {
            return failed.apply(stopped(stop));
        }
        Duration deadline = Duration.ofSeconds(seconds).plus(connectTimeout).plus(killAfter);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("iperf3-", ".json");
            err = Files.createTempFile("iperf3-", ".err");
            Process process;
            try {
                process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                LOG.errorf("cannot run iperf3 binary '%s': %s", binary, e.getMessage());
                return failed.apply(Measurement.failed(Outcome.ERROR, "cannot run iperf3 binary '" + binary + "': "
                        + e.getMessage()));
            }
            running.add(process);
            try {
                stop.attach(process);
                watch.started(process);
                if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    stop(process);
                    return failed.apply(Measurement.failed(Outcome.TIMEOUT, "iperf3 killed after "
                            + deadline.toSeconds() + " s without finishing"));
                }
            } catch (InterruptedException e) {
                stop(process);
                throw e;
            } finally {
                watch.ended();
                stop.detach();
                running.remove(process);
            }
            if (stop.given()) {
                return failed.apply(stopped(stop));
            }
            String json = Files.readString(out, StandardCharsets.UTF_8);
            T report = parse.apply(json);
            if (outcome.apply(report) == Outcome.ERROR && json.isBlank()) {
                String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
                return failed.apply(Measurement.failed(Outcome.ERROR, "iperf3 exited with " + process.exitValue()
                        + ": " + Validate.printable(stderr.isEmpty() ? "no output" : stderr)));
            }
            return report;
        } catch (IOException e) {
            return failed.apply(Measurement.failed(Outcome.ERROR, "iperf3 run failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed.apply(Measurement.failed(Outcome.ERROR, "interrupted (shutting down)"));
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static Measurement stopped(StopSignal stop) {
        return Measurement.failed(Outcome.DEFERRED_ACTIVE_CALL, "stopped: " + stop.reason());
    }

    /** iperf3's version line, or empty when the binary cannot be run. */
    public Optional<String> version() {
        try {
            Process process = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 && output.startsWith("iperf 3")
                    ? Optional.of(output.lines().findFirst().orElse("").strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public String binary() {
        return binary;
    }

    /**
     * Stops every iperf3 client still running. Called on shutdown: a client whose server vanished mid-test waits
     * forever, and once this JVM is gone nothing else would ever stop it.
     */
    public void close() {
        running.forEach(process -> {
            LOG.infof("shutting down: stopping iperf3 pid %d", process.pid());
            stop(process);
        });
    }

    /**
     * SIGTERM first, so iperf3 tells the phone's server the test is over (after a bare SIGKILL the server kept
     * waiting and refused the next probes); SIGKILL if it is still there after 2 s.
     */
    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debugf("could not delete %s: %s", file, e.getMessage());
            }
        }
    }
}
