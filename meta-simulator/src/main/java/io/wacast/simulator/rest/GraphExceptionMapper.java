package io.wacast.simulator.rest;

import io.wacast.simulator.service.GraphException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Graph endpoints answer errors in Meta's envelope with Meta's HTTP status. */
public class GraphExceptionMapper {

    @ServerExceptionMapper
    public Response map(GraphException e) {
        return GraphErrorBody.response(e.error());
    }
}
