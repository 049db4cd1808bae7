package io.wacast.campaign.config;

import io.smallrye.config.ConfigMapping;

/** The operator API's credentials: the bootstrap admin key comes from the environment, never from code. */
@ConfigMapping(prefix = "wacast.api")
public interface ApiConfig {

    /** {@code WACAST_API_BOOTSTRAP_KEY}; required, so a deployment without it fails to start. */
    String bootstrapKey();
}
