package io.wacast.catalog.service;

import io.wacast.catalog.domain.ApiRole;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is acting in the current request and from where: the name of the API key that authenticated it
 * (written to the audit fields and the audit log), or a system actor such as the order-event consumer.
 */
@RequestScoped
public class Caller {

    public static final String SYSTEM = "system";

    private String name = SYSTEM;
    private ApiRole role;
    private Long keyId;
    private String address = "unknown";

    public void actAs(String name, ApiRole role, Long keyId) {
        this.name = name;
        this.role = role;
        this.keyId = keyId;
    }

    public void from(String address) {
        this.address = address;
    }

    public String name() {
        return name;
    }

    public ApiRole role() {
        return role;
    }

    /** Null for the bootstrap key and system actors. */
    public Long keyId() {
        return keyId;
    }

    public String address() {
        return address;
    }

    /** True once a key was accepted for this request. */
    public boolean authenticated() {
        return role != null;
    }
}
