package io.wacast.console.view;

import jakarta.ws.rs.ProcessingException;

import io.wacast.console.client.UpstreamException;

/** The red line at the top of a page: an upstream's refusal, or that an upstream is not answering. */
public record Banner(String title, String reason) {

    public static Banner of(UpstreamException e) {
        return new Banner(e.problem().title() + ".", e.reason());
    }

    public static Banner unreachable(String service) {
        return new Banner(service + " is not answering.",
                "The page shows what it could load; try again in a moment — nothing you entered was sent.");
    }

    public static Banner of(RuntimeException e, String service) {
        return e instanceof UpstreamException u ? of(u) : unreachable(service);
    }

    /** Whether this failure is one a page shows as a banner rather than an error page. */
    public static boolean isUpstreamFailure(Throwable e) {
        return e instanceof UpstreamException || e instanceof ProcessingException;
    }
}
