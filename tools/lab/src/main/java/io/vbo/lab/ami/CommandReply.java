package io.vbo.lab.ami;

import java.util.List;

/**
 * What the test server answers to {@code Action: Command}: Asterisk 22's shape, {@code Response: Success} (or
 * {@code Error} for an unknown CLI command), {@code Message: Command output follows} and one {@code Output:} line per
 * CLI line.
 */
public record CommandReply(boolean success, List<String> output) {
    public CommandReply {
        output = List.copyOf(output);
    }

    public static CommandReply ok(String... lines) {
        return new CommandReply(true, List.of(lines));
    }

    public static CommandReply error(String... lines) {
        return new CommandReply(false, List.of(lines));
    }

    /** The reply captured in an {@code ami-command-*.response.txt} transcript. */
    public static CommandReply transcript(String file) {
        String text = Transcripts.text(file);
        List<String> output = text.lines().filter(l -> l.startsWith("Output:"))
                .map(l -> l.length() > "Output: ".length() ? l.substring("Output: ".length()) : "").toList();
        return new CommandReply(text.startsWith("Response: Success\r\n"), output);
    }

    /** Asterisk's answer to a CLI command it does not know (the shape of {@code ami-command-unknown}). */
    public static CommandReply unknownCommand(String command) {
        return error("No such command '" + command + "' (type 'core show help " + command
                + "' for other possible commands)");
    }

    /** The AMI message, ending with its blank line. */
    public String render(String actionId) {
        StringBuilder out = new StringBuilder("Response: ").append(success ? "Success" : "Error").append("\r\n");
        if (actionId != null) {
            out.append("ActionID: ").append(actionId).append("\r\n");
        }
        out.append("Message: Command output follows\r\n");
        output.forEach(line -> out.append("Output: ").append(line).append("\r\n"));
        return out.append("\r\n").toString();
    }
}
