package io.wacast.catalog.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.wacast.common.problem.StrictJsonReading;
import jakarta.inject.Singleton;

/** The service's JSON is read as typed, never converted ({@link StrictJsonReading}). */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        StrictJsonReading.apply(mapper);
    }
}
