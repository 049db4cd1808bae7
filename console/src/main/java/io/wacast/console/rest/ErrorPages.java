package io.wacast.console.rest;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.view.Banner;

/**
 * What a page shows when something it did not handle goes wrong: the upstream's reason, "not
 * answering", or a plain "not found" — always a page of this console (a fragment for htmx), never a
 * stack trace or a library's message.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance error(String nav, int status, Banner problem);
    }

    @ServerExceptionMapper
    public Response upstream(UpstreamException e, HttpHeaders headers) {
        return page(e.status() < 500 ? e.status() : 502, Banner.of(e), headers);
    }

    @ServerExceptionMapper
    public Response unreachable(ProcessingException e, HttpHeaders headers) {
        return page(502, Banner.unreachable("An upstream service"), headers);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpHeaders headers) {
        return page(404, new Banner("Not found.", "There is no page at this address."), headers);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpHeaders headers) {
        return page(405, new Banner("Not allowed.", "This address does not take that kind of request."), headers);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        return page(status, new Banner("The request was refused.", "HTTP " + status), headers);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, HttpHeaders headers) {
        LOG.error("a console page failed", e);
        return page(500, new Banner("Something went wrong.", "The console could not show this page; the error is in its log."),
                headers);
    }

    private static Response page(int status, Banner problem, HttpHeaders headers) {
        boolean fragment = headers.getHeaderString("HX-Request") != null;
        String flash = "<div class=\"flash flash-error\" role=\"alert\"><strong>" + escape(problem.title()) + "</strong> "
                + escape(problem.reason()) + "</div>";
        String body = fragment ? flash : full(status, problem, flash);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(body).build();
    }

    /**
     * The page in the console's layout; before a request reached a resource (an unknown address) the
     * layout's CSRF token does not exist, so a plain page with the same stylesheet stands in.
     */
    private static String full(int status, Banner problem, String flash) {
        try {
            return Templates.error("", status, problem).render();
        } catch (TemplateException e) {
            return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                    + "content=\"width=device-width, initial-scale=1\"><title>" + escape(problem.title()) + " · wacast</title>"
                    + "<link rel=\"stylesheet\" href=\"/static/console.css\"></head><body><header class=\"topbar\">"
                    + "<a class=\"brand\" href=\"/campaigns\">◉ wacast</a></header><main>" + flash
                    + "<div class=\"card empty\"><p class=\"muted\">HTTP " + status + "</p>"
                    + "<a class=\"btn\" href=\"/campaigns\">Back to campaigns</a></div></main></body></html>";
        }
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
