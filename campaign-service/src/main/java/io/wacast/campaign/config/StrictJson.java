package io.wacast.campaign.config;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;
import io.wacast.common.problem.StrictJsonReading;

/**
 * The service's JSON is read as typed, never converted ({@link StrictJsonReading}): a rate limit of
 * 1.5, a name of 123 or a body with something after its closing brace is a 400 naming the field.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        StrictJsonReading.apply(mapper);
    }
}
