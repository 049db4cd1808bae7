package io.wacast.console.view;

import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import io.quarkus.qute.TemplateGlobal;

/** Values every template can read. */
@TemplateGlobal
public class Globals {

    /** The new-campaign wizard's steps, in order. */
    static List<String> wizardSteps = List.of("details", "audience", "schedule", "review");

    /** The IANA time zones a picker offers: UTC, then every Area/Location zone, sorted (no legacy aliases). */
    static List<String> timeZones = Stream.concat(Stream.of("UTC"), ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.matches("(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/.+"))
            .sorted()).toList();

    /** The days of the week as the series API names them, Monday first. */
    static List<String> weekDays = SeriesForm.DAYS;
}
