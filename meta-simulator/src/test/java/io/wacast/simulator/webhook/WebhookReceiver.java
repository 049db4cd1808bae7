package io.wacast.simulator.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A tiny webhook endpoint for tests: records every request and answers the status it is told to. */
final class WebhookReceiver implements AutoCloseable {

    record Received(byte[] body, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private HttpServer server;
    private ExecutorService executor;

    WebhookReceiver(int port) {
        this.port = port;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebhookReceiver start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/webhooks/whatsapp", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int answer = status;
            if (answer / 100 == 2) {
                received.add(new Received(body, Map.copyOf(exchange.getRequestHeaders())));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.start();
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/webhooks/whatsapp";
    }

    void answer(int httpStatus) {
        this.status = httpStatus;
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
