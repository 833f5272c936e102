package io.vbo.writer.pbx;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vbo.ami.AmiConnection;
import io.vbo.writer.config.WriterConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * The Asterisk this writer serves, through AMI (default) or {@code asterisk -rx} (cli mode), or none at all when
 * no AMI host is configured (a local run): then files are written and nothing is reloaded. Connection failures are
 * retried briefly; an Asterisk that answers with an error is not. Created at start-up, so a missing AMI secret stops
 * the service at once instead of at the first decision. Every {@link PbxChange} (reachable again, AMI event session
 * (re)connected, {@code FullyBooted}, a reload by this writer or by anyone else) is fired as an asynchronous CDI event.
 */
@ApplicationScoped
@Startup
public class Asterisk implements PbxClient {
    private static final Logger LOG = Logger.getLogger(Asterisk.class);

    @Inject
    WriterConfig config;
    @Inject
    MeterRegistry meters;
    @Inject
    jakarta.enterprise.event.Event<PbxChange> changed;
    @Inject
    Vertx vertx;

    private PbxClient client;
    private final AtomicInteger connected = new AtomicInteger();

    @PostConstruct
    void init() {
        WriterConfig.Reload reload = config.reload();
        client = switch (reload.mode()) {
            case CLI -> new CliClient(config.cli().command(), reload.timeout());
            case NONE -> null;
            case AMI -> config.ami().host().map(this::ami).orElse(null);
        };
        meters.gauge("vbo.ami.connected", List.of(io.micrometer.core.instrument.Tag.of("pbx", config.pbxId())), connected);
        LOG.infof("pbx %s: %s", config.pbxId(), client == null
                ? "no Asterisk configured (vbo.writer.ami.host unset or reload.mode=none): files are written, not reloaded"
                : "reloads through " + client);
    }

    private PbxClient ami(String host) {
        WriterConfig.Ami ami = config.ami();
        Duration timeout = config.reload().timeout();
        AmiPbx pbx = new AmiPbx(vertx, AmiConnection.Settings.of(config.pbxId(), host, ami.port(), ami.username(), secret())
                .withTimeouts(timeout, timeout)
                .withBackoff(Duration.ofSeconds(1), ami.reconnectMax(), ami.refusedLoginRetry()));
        pbx.listen(change -> {
            LOG.infof("pbx %s: %s (%s)", config.pbxId(), change.detail(), change.cause().trigger());
            changed.fireAsync(change);
        });
        return pbx;
    }

    private String secret() {
        WriterConfig.Ami ami = config.ami();
        if (ami.secret().isPresent()) {
            return ami.secret().get();
        }
        if (ami.secretFile().isPresent()) {
            try {
                return Files.readString(ami.secretFile().get()).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read vbo.writer.ami.secret-file " + ami.secretFile().get(), e);
            }
        }
        throw new IllegalStateException("vbo.writer.ami.host is set but neither vbo.writer.ami.secret "
                + "(VBO_WRITER_AMI_SECRET) nor vbo.writer.ami.secret-file is");
    }

    @Override
    public boolean configured() {
        return client != null;
    }

    /** What this writer talks to, for health data and logs (never the secret). */
    public String describe() {
        return client == null ? "not configured" : client.toString();
    }

    @Override
    @Retry(retryOn = PbxUnreachableException.class, maxRetries = 2, delay = 500)
    public String reloadPjsip() throws PbxException {
        String words = track(() -> client.reloadPjsip());
        changed.fireAsync(new PbxChange(PbxChange.Cause.OWN_RELOAD, "reloaded by this writer"));
        return words;
    }

    @Override
    @Retry(retryOn = PbxUnreachableException.class, maxRetries = 2, delay = 500)
    public LoadedEndpoint endpoint(String endpoint) throws PbxException {
        return track(() -> client.endpoint(endpoint));
    }

    @Override
    @Retry(retryOn = PbxUnreachableException.class, maxRetries = 2, delay = 500)
    public List<String> command(String cli) throws PbxException {
        return track(() -> client.command(cli));
    }

    @Override
    @Retry(retryOn = PbxUnreachableException.class, maxRetries = 2, delay = 500)
    public String reloadDialplan() throws PbxException {
        return track(() -> client.reloadDialplan());
    }

    @Override
    @Retry(retryOn = PbxUnreachableException.class, maxRetries = 2, delay = 500)
    public String global(String name) throws PbxException {
        return track(() -> client.global(name));
    }

    @Override
    @Retry(retryOn = PbxUnreachableException.class, maxRetries = 1, delay = 500)
    public void ping() throws PbxException {
        track(() -> {
            client.ping();
            return null;
        });
    }

    private interface Call<T> {
        T run() throws PbxException;
    }

    private <T> T track(Call<T> call) throws PbxException {
        if (client == null) {
            throw new PbxException("no Asterisk configured");
        }
        try {
            T value = call.run();
            if (connected.getAndSet(1) == 0) {
                LOG.infof("pbx %s: %s reachable", config.pbxId(), client);
                // A (re)connected Asterisk may have been restarted with other codec modules: read them again.
                changed.fireAsync(new PbxChange(PbxChange.Cause.REACHABLE, client + " reachable"));
            }
            return value;
        } catch (PbxUnreachableException e) {
            if (connected.getAndSet(0) == 1) {
                LOG.errorf("pbx %s: lost %s: %s", config.pbxId(), client, e.getMessage());
            } else {
                LOG.warnf("pbx %s: %s unreachable: %s", config.pbxId(), client, e.getMessage());
            }
            throw e;
        } catch (PbxException e) {
            connected.set(1);
            throw e;
        }
    }

    @Override
    @PreDestroy
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
