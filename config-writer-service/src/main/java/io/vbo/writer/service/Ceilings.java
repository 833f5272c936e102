package io.vbo.writer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vbo.events.Codecs;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.files.SafeFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The ceiling of every endpoint this writer manages: its audio allow list as found in the files before the writer's
 * first edit ({@code FILE}), or as last set through the users API ({@code USERS}). Kept in a small JSON file of
 * the writer's own (written atomically) so that a restart never mistakes the writer's own edit for the
 * administrator's list; every new or changed one is published as an {@link EndpointCeiling}.
 */
public final class Ceilings {
    /** The state file's name, in the backup folder. */
    public static final String FILE_NAME = "endpoint-ceilings.json";

    private final Path file;
    private final String pbxId;
    private final SafeFileWriter writer;
    private final Clock clock;
    private final Consumer<EndpointCeiling> publish;
    private Map<String, Recorded> byEndpoint;

    /**
     * One endpoint's record.
     *
     * @param endpoint   endpoint name
     * @param codecs     its audio codecs; empty when its section allowed none (then nothing is published)
     * @param source     {@code FILE} or {@code USERS}
     * @param recordedAt when; kept when republished, so a consumer can order it against its own edits
     */
    public record Recorded(String endpoint, List<String> codecs, EndpointCeiling.Source source, Instant recordedAt) {
        public Recorded {
            codecs = List.copyOf(codecs);
        }
    }

    /** The file's content. */
    record State(int schema, String pbxId, List<Recorded> endpoints) {
    }

    public Ceilings(Path file, String pbxId, SafeFileWriter writer, Clock clock, Consumer<EndpointCeiling> publish) {
        this.file = file;
        this.pbxId = pbxId;
        this.writer = writer;
        this.clock = clock;
        this.publish = publish;
    }

    public synchronized Optional<Recorded> get(String endpoint) throws IOException {
        return Optional.ofNullable(records().get(endpoint));
    }

    /**
     * Records, for each of {@code endpoints} defined in {@code config} and not recorded yet, its audio allow list as
     * Asterisk resolves it from {@code config} (templates included); saves, then publishes them. Called with the
     * files as read before the writer changes them. Returns the new records.
     */
    public synchronized List<Recorded> recordFirst(PjsipConfig config, Collection<String> endpoints) throws IOException {
        Map<String, Recorded> all = records();
        Instant now = clock.instant();
        List<Recorded> added = new ArrayList<>();
        for (String endpoint : endpoints) {
            if (!all.containsKey(endpoint) && !config.find(endpoint, "endpoint").isEmpty()) {
                Recorded r = new Recorded(endpoint, config.audioAllow(endpoint), EndpointCeiling.Source.FILE, now);
                all.put(endpoint, r);
                added.add(r);
            }
        }
        if (!added.isEmpty()) {
            save();
            added.forEach(this::publish);
        }
        return added;
    }

    /** An administrator set {@code codecs} through the users API: the new ceiling, saved and published. */
    public synchronized void setByUsers(String endpoint, List<String> codecs) throws IOException {
        Recorded r = new Recorded(endpoint, codecs, EndpointCeiling.Source.USERS, clock.instant());
        records().put(endpoint, r);
        save();
        publish(r);
    }

    /** The endpoint was deleted: a new one of that name starts afresh. */
    public synchronized void remove(String endpoint) throws IOException {
        if (records().remove(endpoint) != null) {
            save();
        }
    }

    /** Publishes every record again (at start-up, so a new policy instance learns them); returns how many. */
    public synchronized int publishAll() throws IOException {
        int n = 0;
        for (Recorded r : records().values()) {
            n += publish(r) ? 1 : 0;
        }
        return n;
    }

    private boolean publish(Recorded r) {
        if (r.codecs().isEmpty()) {
            return false;
        }
        publish.accept(new EndpointCeiling(EndpointCeiling.SCHEMA, pbxId, r.endpoint(), r.codecs(), r.source(), r.recordedAt()));
        return true;
    }

    private Map<String, Recorded> records() throws IOException {
        if (byEndpoint == null) {
            Map<String, Recorded> read = new LinkedHashMap<>();
            if (Files.exists(file)) {
                State state;
                try {
                    state = EventJson.mapper().readValue(Files.readAllBytes(file), State.class);
                } catch (JsonProcessingException e) {
                    // Starting afresh would record the writer's own edits as the administrator's lists.
                    throw new IOException(file + " is not a valid ceilings file (" + e.getOriginalMessage()
                            + "); repair it or restore it from a backup", e);
                }
                for (Recorded r : state.endpoints()) {
                    read.put(r.endpoint(), new Recorded(r.endpoint(), r.codecs().stream().filter(Codecs::isKnown).toList(),
                            r.source(), r.recordedAt()));
                }
            }
            byEndpoint = read;
        }
        return byEndpoint;
    }

    private void save() throws IOException {
        State state = new State(1, pbxId, new ArrayList<>(byEndpoint.values()));
        writer.write(file, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
    }
}
