package io.vbo.writer.service;

import io.vbo.writer.pbx.Asterisk;
import io.vbo.writer.pbx.PbxException;
import io.vbo.writer.users.User;
import io.vbo.writer.users.UserManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * User management with the service's guarantees: under the config lock, then {@code module reload res_pjsip.so};
 * if the reload fails the change is undone (backups restored, reloaded again).
 */
@ApplicationScoped
public class UserService {
    private static final Logger LOG = Logger.getLogger(UserService.class);

    @Inject
    ConfigStore store;
    @Inject
    Asterisk asterisk;

    /** What a change did, for the API answer. */
    public record Outcome(String message, String reload) {
    }

    /** The change was written but Asterisk refused the reload: it was undone. */
    public static class ReloadFailedException extends RuntimeException {
        public ReloadFailedException(String message) {
            super(message);
        }
    }

    public List<User> list() throws IOException {
        return store.users().show();
    }

    public Optional<User> get(String extension) throws IOException {
        return store.users().show(extension);
    }

    public Outcome add(String extension, String password, List<String> codecs, String context) throws IOException {
        return change(users -> users.add(extension, password, codecs, context), ceilingOf(extension));
    }

    public Outcome edit(String extension, String password, List<String> codecs) throws IOException {
        return change(users -> users.edit(extension, password, codecs), ceilingOf(extension));
    }

    public Outcome delete(String extension) throws IOException {
        return change(users -> users.delete(extension), change -> store.ceilings().remove(extension));
    }

    private interface Op {
        UserManager.Change run(UserManager users) throws IOException;
    }

    private interface After {
        void run(UserManager.Change change) throws IOException;
    }

    /** Codecs set through the users API are the endpoint's ceiling from now on (source USERS). */
    private After ceilingOf(String extension) {
        return change -> {
            if (change.codecs() != null) {
                store.ceilings().setByUsers(extension, change.codecs());
            }
        };
    }

    /** Runs {@code op} under the lock, reloads, and runs {@code after} once Asterisk took the change. */
    private Outcome change(Op op, After after) throws IOException {
        store.lock().lock();
        try {
            UserManager.Change change = op.run(store.users());
            Outcome outcome = reload(change);
            after.run(change);
            return outcome;
        } finally {
            store.lock().unlock();
        }
    }

    private Outcome reload(UserManager.Change change) throws IOException {
        if (change.backups().isEmpty()) {
            return new Outcome(change.summary() + " (nothing changed)", "not needed");
        }
        LOG.infof("users: %s (%d file(s) written)", change.summary(), change.backups().size());
        if (!asterisk.configured()) {
            return new Outcome(change.summary(), "skipped: no Asterisk configured");
        }
        try {
            return new Outcome(change.summary(), asterisk.reloadPjsip());
        } catch (PbxException e) {
            LOG.errorf("users: reload after '%s' failed (%s); undoing it", change.summary(), e.getMessage());
            for (Map.Entry<Path, Path> b : change.backups().entrySet()) {
                if (b.getValue() != null) {
                    store.writer().restore(b.getValue(), b.getKey());
                }
            }
            String again;
            try {
                asterisk.reloadPjsip();
                again = "old files restored and reloaded";
            } catch (PbxException e2) {
                again = "old files restored; reloading them failed too: " + e2.getMessage();
            }
            throw new ReloadFailedException("reload failed: " + e.getMessage() + "; " + change.summary() + " undone, " + again);
        }
    }
}
