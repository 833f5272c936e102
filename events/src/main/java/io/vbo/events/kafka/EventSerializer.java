package io.vbo.events.kafka;

import io.vbo.events.EventJson;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for every VBO event (set as {@code value.serializer} on outgoing channels). */
public class EventSerializer implements Serializer<Object> {
    @Override
    public byte[] serialize(String topic, Object event) {
        return event == null ? null : EventJson.toBytes(event);
    }
}
