package io.wacast.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator API's keys: the bootstrap admin key comes from configuration, the others from the database. */
@ConfigMapping(prefix = "wacast.api")
public interface ApiConfig {

    /** {@code WACAST_API_BOOTSTRAP_KEY}; required, no default, never logged. */
    String bootstrapKey();

    /** The actor name written in audit fields for requests made with the bootstrap key. */
    @WithDefault("bootstrap")
    String bootstrapKeyName();
}
