package io.wacast.catalog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays campaign-service's {@code GET /api/whatsapp/me} for this module's tests, on a port of its own:
 * the real key store is exercised by the system tests (every service running). Keys follow a naming rule
 * instead of a table, so tests need no setup: {@value #BOOTSTRAP} is the admin bootstrap key and
 * {@code wck_test_<role>_<anything>} a key of that role (name {@code <role> <anything>}); a key becomes
 * unknown once {@code POST /revoke/<key>} names it. {@code POST /down} and {@code /up} make it stop and
 * start answering (503); {@code GET /asks} counts the questions and {@code GET /last-address} gives the
 * operator address the last question named.
 */
public class KeyStoreStandIn implements QuarkusTestResourceLifecycleManager {

    static final String BOOTSTRAP = "test-bootstrap-key";
    private static final Pattern ROLE_KEY = Pattern.compile("wck_test_(admin|operator|viewer)_([A-Za-z0-9-]+)");

    private HttpServer server;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger asks = new AtomicInteger();
    private final Map<String, String> last = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the key store stand-in", e);
        }
        server.createContext("/api/whatsapp/me", this::me);
        server.createContext("/revoke/", exchange -> {
            revoked.add(exchange.getRequestURI().getPath().substring("/revoke/".length()));
            answer(exchange, 204, "");
        });
        server.createContext("/down", exchange -> {
            down.set(true);
            answer(exchange, 204, "");
        });
        server.createContext("/up", exchange -> {
            down.set(false);
            answer(exchange, 204, "");
        });
        server.createContext("/asks", exchange -> answer(exchange, 200, String.valueOf(asks.get())));
        server.createContext("/last-address", exchange -> answer(exchange, 200, last.getOrDefault("address", "")));
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return Map.of("wacast.api.key-store-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "wacast.api.cache-ttl", "3s");
    }

    private void me(HttpExchange exchange) throws IOException {
        asks.incrementAndGet();
        String forwarded = exchange.getRequestHeaders().getFirst("X-Wacast-Client-Address");
        if (forwarded != null && "test-internal-token".equals(exchange.getRequestHeaders().getFirst("X-Wacast-Internal-Token"))) {
            last.put("address", forwarded);
        }
        if (down.get()) {
            answer(exchange, 503, "{}");
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String key = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
        if (key.equals("wck_test_throttled")) {
            exchange.getResponseHeaders().add("Retry-After", "42");
            answer(exchange, 429, "{}");
            return;
        }
        if (key.equals(BOOTSTRAP)) {
            answer(exchange, 200, "{\"name\":\"bootstrap\",\"role\":\"admin\"}");
            return;
        }
        Matcher roleKey = ROLE_KEY.matcher(key);
        if (roleKey.matches() && !revoked.contains(key)) {
            answer(exchange, 200, "{\"name\":\"" + roleKey.group(1) + " " + roleKey.group(2) + "\",\"role\":\""
                    + roleKey.group(1) + "\",\"keyId\":" + Math.abs(key.hashCode()) + "}");
            return;
        }
        answer(exchange, 401, "{}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
