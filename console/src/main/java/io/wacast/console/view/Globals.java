package io.wacast.console.view;

import java.util.List;

import io.quarkus.qute.TemplateGlobal;

/** Values every template can read. */
@TemplateGlobal
public class Globals {

    /** The new-campaign wizard's steps, in order. */
    static List<String> wizardSteps = List.of("details", "audience", "schedule", "review");
}
