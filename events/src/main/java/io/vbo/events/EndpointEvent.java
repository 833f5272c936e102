package io.vbo.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What {@code vbo.endpoints} carries: a contact seen, or a contact gone. The {@code type} property tells which. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = EndpointObserved.class, name = "EndpointObserved"),
        @JsonSubTypes.Type(value = EndpointGone.class, name = "EndpointGone") })
public sealed interface EndpointEvent permits EndpointObserved, EndpointGone {
    String pbxId();

    String endpoint();

    default String key() {
        return EventKeys.key(pbxId(), endpoint());
    }
}
