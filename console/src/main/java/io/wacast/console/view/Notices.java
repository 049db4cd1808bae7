package io.wacast.console.view;

import java.util.Map;

/**
 * The green line after an action. Redirects carry a code ({@code ?notice=paused}), never free text,
 * so nobody can make a console page say something by sending a link.
 */
public final class Notices {

    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("signed-out", "You are signed out."),
            Map.entry("sent", "Sending started."),
            Map.entry("scheduled", "The campaign is scheduled."),
            Map.entry("paused", "The campaign is paused: nothing more is sent until you resume it."),
            Map.entry("resumed", "The campaign is sending again."),
            Map.entry("cancelled", "The campaign is cancelled: recipients not yet sent will not be."),
            Map.entry("duplicated", "A copy was made as a draft: add its audience, then review and send."),
            Map.entry("follow-up", "A follow-up draft was made of the chosen recipients, with the same template"
                    + " and variables: review it, then send."),
            Map.entry("deleted", "The draft is deleted."),
            Map.entry("template-added", "The template is registered."),
            Map.entry("opt-out-added", "The number is suppressed: no campaign will message it."),
            Map.entry("opt-out-removed", "The number is no longer suppressed."),
            Map.entry("key-revoked", "The API key is revoked."),
            Map.entry("audience-saved", "The audience is saved. Campaigns that target it take its contacts when they start."),
            Map.entry("series-paused", "The series is paused: no occurrence starts until you resume it."),
            Map.entry("series-resumed", "The series is active again, from its next occurrence."),
            Map.entry("series-ended", "The series has ended; its campaigns stay."),
            Map.entry("series-created", "The series is active: each occurrence starts a campaign of its audience."),
            Map.entry("series-edited", "The series is changed: its next occurrences follow the new settings;"
                    + " campaigns it already started keep theirs."),
            Map.entry("audience-targeted", "The campaign targets this audience: its contacts become recipients when it starts."),
            Map.entry("audience-untargeted", "The campaign no longer targets an audience."));

    /** The sentence for a code, or null for an unknown or absent one. */
    public static String text(String code) {
        return code == null ? null : TEXT.get(code);
    }

    private Notices() {
    }
}
