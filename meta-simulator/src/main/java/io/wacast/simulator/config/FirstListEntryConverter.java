package io.wacast.simulator.config;

import org.eclipse.microprofile.config.spi.Converter;

/** The first of comma-separated values: the current secret of a {@code current,previous} rotation pair. */
public class FirstListEntryConverter implements Converter<String> {

    @Override
    public String convert(String value) {
        int comma = value.indexOf(',');
        String first = (comma < 0 ? value : value.substring(0, comma)).strip();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the app secret is empty");
        }
        return first;
    }
}
