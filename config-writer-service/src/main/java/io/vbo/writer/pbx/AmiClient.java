package io.vbo.writer.pbx;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.CommandAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.response.CommandResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;

/**
 * AMI through asterisk-java: {@code Command: module reload res_pjsip.so} (asterisk-java has no ReloadAction) and
 * {@code Command: pjsip show endpoint <name>}. One connection, logged in on first use and again after any connection error.
 */
public final class AmiClient implements PbxClient {
    private final String host;
    private final int port;
    private final String username;
    private final String secret;
    private final long timeoutMillis;
    /** One action at a time on the one connection. */
    private final ReentrantLock lock = new ReentrantLock();
    private ManagerConnection connection;

    public AmiClient(String host, int port, String username, String secret, Duration timeout) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.secret = secret;
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public String reloadPjsip() throws PbxException {
        lock.lock();
        try {
            return reload();
        } finally {
            lock.unlock();
        }
    }

    private String reload() throws PbxException {
        ManagerResponse response = send(new CommandAction(RELOAD_COMMAND));
        List<String> output = output(response);
        String words = output.isEmpty() ? String.valueOf(response.getMessage()) : String.join(" / ", output);
        if (response instanceof ManagerError || !PbxClient.reloadConfirmed(output)) {
            throw new PbxException("Asterisk did not confirm '" + RELOAD_COMMAND + "': " + words);
        }
        return words;
    }

    /** {@code pjsip show endpoint}: asterisk-java's EndpointDetail has no getter for the offer preferences. */
    @Override
    public LoadedEndpoint endpoint(String endpoint) throws PbxException {
        io.vbo.events.Validate.endpoint("endpoint", endpoint);
        lock.lock();
        try {
            ManagerResponse response = send(new CommandAction("pjsip show endpoint " + endpoint));
            if (response instanceof ManagerError) {
                throw new PbxException("Asterisk: " + String.join(" / ", output(response)));
            }
            return LoadedEndpoint.parse(output(response));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> command(String cli) throws PbxException {
        lock.lock();
        try {
            ManagerResponse response = send(new CommandAction(cli));
            if (response instanceof ManagerError) {
                throw new PbxException("Asterisk: '" + cli + "': " + String.join(" / ", output(response)));
            }
            return output(response);
        } finally {
            lock.unlock();
        }
    }

    private static List<String> output(ManagerResponse response) {
        List<String> output = response instanceof CommandResponse command && command.getResult() != null
                ? command.getResult() : List.of();
        if (output.isEmpty() && response.getOutput() != null) {
            // An error response is not a CommandResponse: asterisk-java keeps its Output: lines here.
            output = response.getOutput().lines().toList();
        }
        return output;
    }

    /**
     * Pings, unless another action is running: then that action already proves (or disproves) the link, and a
     * readiness probe must not wait behind a batch of 1,000 verifications.
     */
    @Override
    public void ping() throws PbxException {
        if (!lock.tryLock()) {
            return;
        }
        try {
            send(new PingAction());
        } finally {
            lock.unlock();
        }
    }

    private ManagerResponse send(org.asteriskjava.manager.action.ManagerAction action) throws PbxException {
        try {
            return connected().sendAction(action, timeoutMillis);
        } catch (IOException | TimeoutException | IllegalStateException e) {
            throw lost(action.getAction(), e);
        }
    }

    private ManagerConnection connected() throws PbxUnreachableException {
        if (connection != null && connection.getState() == ManagerConnectionState.CONNECTED) {
            return connection;
        }
        close();
        ManagerConnection fresh = new ManagerConnectionFactory(host, port, username, secret).createManagerConnection();
        fresh.setSocketTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        try {
            fresh.login("off");
        } catch (AuthenticationFailedException e) {
            stop(fresh);
            throw new PbxUnreachableException("AMI login as '" + username + "' on " + host + ":" + port + " refused", e);
        } catch (IOException | TimeoutException | IllegalStateException e) {
            stop(fresh);
            throw new PbxUnreachableException("AMI " + host + ":" + port + " unreachable: " + e.getMessage(), e);
        }
        connection = fresh;
        return connection;
    }

    private PbxUnreachableException lost(String what, Exception e) {
        // asterisk-java may keep reporting CONNECTED after a socket error: start afresh next time.
        close();
        return new PbxUnreachableException("AMI " + host + ":" + port + " failed during " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (connection != null) {
                stop(connection);
                connection = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Logs off, which also ends asterisk-java's own reconnect loop on a connection we no longer use. */
    private static void stop(ManagerConnection c) {
        ManagerConnectionState state = c.getState();
        if (state == ManagerConnectionState.CONNECTED || state == ManagerConnectionState.RECONNECTING) {
            try {
                c.logoff();
            } catch (RuntimeException e) {
                // Already gone: nothing else to release.
            }
        }
    }

    @Override
    public String toString() {
        return "AMI " + username + "@" + host + ":" + port;
    }
}
