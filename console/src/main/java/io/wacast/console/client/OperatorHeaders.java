package io.wacast.console.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.net.SocketAddress;
import io.wacast.common.auth.ClientAddress;
import io.wacast.console.config.ConsoleConfig;
import io.wacast.console.session.CurrentOperator;

/**
 * Sends the signed-in operator's API key upstream, unless the call names its own (sign-in), and — with
 * the internal token configured — the operator's own address, so the services' failed-authentication
 * limit and audit log see the operator, not the console (docs/DESIGN.md D21).
 */
@ApplicationScoped
public class OperatorHeaders implements ClientHeadersFactory {

    @Inject
    CurrentOperator operator;

    @Inject
    CurrentVertxRequest request;

    @Inject
    ConsoleConfig config;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        if (!outgoing.containsKey(HttpHeaders.AUTHORIZATION) && operator.isSignedIn()) {
            headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + operator.apiKey());
        }
        config.internalToken().filter(token -> !token.isBlank()).ifPresent(token -> {
            SocketAddress peer = request.getCurrent() == null ? null : request.getCurrent().request().remoteAddress();
            if (peer != null && peer.hostAddress() != null) {
                headers.putSingle(ClientAddress.FORWARDED_FOR, peer.hostAddress());
                headers.putSingle(ClientAddress.INTERNAL_TOKEN, token);
            }
        });
        return headers;
    }
}
