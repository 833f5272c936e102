package io.vbo.probe.service;

/** The phone's iperf3 server was running another test: retried with backoff (see {@link DirectionProbe}). */
public class ServerBusyException extends RuntimeException {
    public ServerBusyException(String message) {
        super(message, null, false, false);
    }
}
