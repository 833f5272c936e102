package io.vbo.writer.service;

import io.quarkus.runtime.StartupEvent;
import io.vbo.writer.config.WriterConfig;
import io.vbo.writer.editor.OfferPrefs;
import io.vbo.writer.files.SafeFileWriter;
import io.vbo.writer.users.BaseFiles;
import io.vbo.writer.users.UserManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The config folder this writer owns: one lock for every change, the safe writer, the ceilings of the managed
 * endpoints, user management and init.
 */
@ApplicationScoped
public class ConfigStore {
    private static final Logger LOG = Logger.getLogger(ConfigStore.class);

    @Inject
    WriterConfig config;

    @Inject
    EventPublisher publisher;

    private final ReentrantLock lock = new ReentrantLock();
    private SafeFileWriter writer;
    private Ceilings ceilings;

    void onStart(@Observes StartupEvent event) throws IOException {
        io.vbo.events.Validate.pbxId("vbo.writer.pbx-id", config.pbxId());
        offerPrefs();
        Path dir = config.configDir();
        if (config.initOnStart()) {
            BaseFiles.Result result = init();
            LOG.infof("init of %s: created %s, kept %s", dir, result.created(), result.kept());
        }
        if (Files.isDirectory(backupDir())) {
            SafeFileWriter.removeStaleTemporaries(backupDir());
        }
        if (Files.isDirectory(dir)) {
            int stale = SafeFileWriter.removeStaleTemporaries(dir);
            if (stale > 0) {
                LOG.warnf("removed %d temporary file(s) left in %s by an interrupted write (the files themselves are whole)", stale, dir);
            }
        } else {
            LOG.warnf("config folder %s does not exist yet: run init (POST /api/v1/config/init or ./vbo users init)", dir);
        }
    }

    public synchronized SafeFileWriter writer() {
        if (writer == null) {
            writer = new SafeFileWriter(backupDir(), config.backups());
        }
        return writer;
    }

    /** The offer preferences to write, refused at start-up when Asterisk 22 would not accept them. */
    public OfferPrefs offerPrefs() {
        return new OfferPrefs(config.outgoingCallOfferPref(), config.incomingCallOfferPref());
    }

    /** The managed endpoints' ceilings, in {@link Ceilings#FILE_NAME} next to the backups. */
    public synchronized Ceilings ceilings() {
        if (ceilings == null) {
            ceilings = new Ceilings(backupDir().resolve(Ceilings.FILE_NAME), config.pbxId(), writer(), Clock.systemUTC(),
                    publisher::publish);
        }
        return ceilings;
    }

    private Path backupDir() {
        return config.backupDir().orElse(config.configDir().resolve(".vbo-backups"));
    }

    public ReentrantLock lock() {
        return lock;
    }

    public UserManager users() {
        return new UserManager(config.configDir(), writer());
    }

    public BaseFiles.Result init() throws IOException {
        lock.lock();
        try {
            return BaseFiles.create(config.configDir(), writer());
        } finally {
            lock.unlock();
        }
    }
}
