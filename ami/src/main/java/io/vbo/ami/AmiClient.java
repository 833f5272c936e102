package io.vbo.ami;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking request/response over one {@link AmiConnection#open one-shot} session, for a caller on a worker thread
 * (config-writer-service): {@link #open} connects and logs in (MD5 challenge), each call sends one action and waits
 * for its answer, {@link #close()} logs off. Nothing reconnects: after a failure {@link #isOpen()} is false and the
 * caller opens a new client. Calls must not run on a Vert.x event loop, which they would block.
 */
public final class AmiClient implements AutoCloseable {
    private final AmiConnection connection;
    private final Duration wait;

    private AmiClient(AmiConnection connection, Duration wait) {
        this.connection = connection;
        this.wait = wait;
    }

    /**
     * Connects and logs in, waiting at most the connect timeout plus the action timeout.
     *
     * @throws AmiException refused connection, refused login ({@code authentication failed (...)}), timeout
     */
    public static AmiClient open(Vertx vertx, AmiConnection.Settings settings) {
        Duration wait = settings.actionTimeout().plus(settings.connectTimeout());
        // The action timeout is the connection's own; the extra second only lets its failure arrive first.
        AmiConnection connection = await(AmiConnection.open(vertx, settings), wait.plusSeconds(1), "login");
        return new AmiClient(connection, settings.actionTimeout().plusSeconds(1));
    }

    /** An action answered by one response ({@code Ping}, {@code Reload}, ...); an {@code Error} response is returned. */
    public AmiReply action(String action, Map<String, String> headers) {
        return await(connection.action(action, headers), wait, action);
    }

    /** A list action ({@code PJSIPShowEndpoint}, ...) with its events up to {@code EventList: Complete}. */
    public AmiReply list(String action, Map<String, String> headers) {
        return await(connection.list(action, headers), wait, action);
    }

    /** A CLI command's {@code Output:} lines; {@link AmiException} when Asterisk answers {@code Error}. */
    public List<String> command(String cli) {
        return await(connection.command(cli), wait, "Command " + cli);
    }

    /** Logged in and not dropped since. */
    public boolean isOpen() {
        return connection.state() == AmiConnection.State.CONNECTED;
    }

    /** Logs off and closes the socket (waits at most the action timeout). */
    @Override
    public void close() {
        try {
            await(connection.stop(), wait, "Logoff");
        } catch (AmiException e) {
            // the socket is closed either way
        }
    }

    @Override
    public String toString() {
        return "AMI " + connection.name();
    }

    private static <T> T await(Future<T> future, Duration timeout, String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("AmiClient blocks: call it from a worker thread, not a Vert.x event loop");
        }
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AmiException ami) {
                throw ami;
            }
            throw new AmiException(what + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new AmiException("timeout: " + what + " unanswered after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmiException("interrupted while waiting for " + what);
        }
    }
}
