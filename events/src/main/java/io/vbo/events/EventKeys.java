package io.vbo.events;

/** The Kafka key of every VBO event: {@code pbxId/endpoint}, so one endpoint's events share a partition. */
public final class EventKeys {
    private EventKeys() {
    }

    public static String key(String pbxId, String endpoint) {
        return Validate.pbxId("pbxId", pbxId) + "/" + Validate.endpoint("endpoint", endpoint);
    }

    /** Splits a key back into its two parts; rejects anything {@link #key} could not have produced. */
    public static String[] split(String key) {
        Validate.requiredText("key", key);
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw new InvalidEventException("key", "must be pbxId/endpoint, got '" + Validate.printable(key) + "'");
        }
        return new String[] {
                Validate.pbxId("key.pbxId", key.substring(0, slash)),
                Validate.endpoint("key.endpoint", key.substring(slash + 1)) };
    }
}
