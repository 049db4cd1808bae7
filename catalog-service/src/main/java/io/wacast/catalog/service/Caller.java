package io.wacast.catalog.service;

import io.wacast.catalog.domain.ApiRole;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is acting in the current request: the name of the API key that authenticated it (written to
 * the audit fields), or a system actor such as the order-event consumer.
 */
@RequestScoped
public class Caller {

    public static final String SYSTEM = "system";

    private String name = SYSTEM;
    private ApiRole role;

    public void actAs(String name, ApiRole role) {
        this.name = name;
        this.role = role;
    }

    public String name() {
        return name;
    }

    public ApiRole role() {
        return role;
    }
}
