package io.vbo.compose;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a server on 127.0.0.1 (the AMI test server) reachable from containers: listens on the compose network's
 * gateway address — an address of this machine's bridge, nothing wider — and forwards each connection to the
 * loopback port. The gateway exists only once Podman has brought the bridge up for the first container, so the
 * relay binds as soon as the address appears (the services that connect start well after Kafka).
 */
final class GatewayRelay implements AutoCloseable {
    private final InetAddress gateway;
    private final int port;
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile ServerSocket server;
    private volatile boolean closed;

    GatewayRelay(String gateway, int port, int loopbackTarget) {
        try {
            this.gateway = InetAddress.getByName(gateway);
        } catch (IOException e) {
            throw new IllegalArgumentException(gateway, e);
        }
        this.port = port;
        this.target = loopbackTarget;
        this.acceptor = new Thread(this::run, "gateway-relay-" + port);
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** True once the relay listens on the gateway. */
    boolean listening() {
        return server != null;
    }

    private void run() {
        try {
            while (!closed && NetworkInterface.getByInetAddress(gateway) == null) {
                Thread.sleep(100);
            }
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(gateway, port), 50);
            server = listener;
            if (closed) {
                listener.close();
            }
            while (!closed) {
                Socket inbound = listener.accept();
                sockets.add(inbound);
                try {
                    Socket outbound = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(outbound);
                    pump(inbound, outbound);
                    pump(outbound, inbound);
                } catch (IOException refused) {
                    // the target is down: the client sees its connection closed, as it would without the relay
                    closeQuietly(inbound);
                }
            }
        } catch (IOException | InterruptedException e) {
            if (!closed) {
                System.out.println("compose: relay " + gateway.getHostAddress() + ":" + port + " stopped: " + e);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the other side closed; closing both below ends the pair
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "gateway-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        acceptor.interrupt();
        if (server != null) {
            closeQuietly(server);
        }
        sockets.forEach(GatewayRelay::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
