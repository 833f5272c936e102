package io.vbo.ami;

import java.util.List;

/**
 * The answer to one action: the response message and, for list actions, the events carrying its ActionID up to
 * (not including) the {@code ...Complete} event.
 */
public record AmiReply(AmiMessage response, List<AmiMessage> events) {
    public AmiReply {
        events = List.copyOf(events);
    }

    public boolean success() {
        return response.isSuccess();
    }

    public String message() {
        return response.get("Message");
    }

    /** The {@code Output:} lines of a {@code Command} response, as the CLI prints them. */
    public List<String> output() {
        return response.all("Output");
    }
}
