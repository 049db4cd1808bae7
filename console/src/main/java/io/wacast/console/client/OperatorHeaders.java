package io.wacast.console.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import io.wacast.console.session.CurrentOperator;

/** Sends the signed-in operator's API key upstream, unless the call names its own (sign-in). */
@ApplicationScoped
public class OperatorHeaders implements ClientHeadersFactory {

    @Inject
    CurrentOperator operator;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        if (!outgoing.containsKey(HttpHeaders.AUTHORIZATION) && operator.isSignedIn()) {
            headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + operator.apiKey());
        }
        return headers;
    }
}
