package io.wacast.campaign.rest;

import jakarta.enterprise.context.RequestScoped;

import io.wacast.campaign.service.ApiKeyService.Caller;

/**
 * Who made this request and from where, as {@link ApiKeyAuthentication} found it, for resources and
 * the audit log.
 */
@RequestScoped
class CurrentCaller {

    private Caller caller;
    private String address = "unknown";

    void set(Caller caller) {
        this.caller = caller;
    }

    void setAddress(String address) {
        this.address = address;
    }

    /** Never null under {@code /api}: the filter refuses a request without a valid key before any resource runs. */
    Caller get() {
        return caller;
    }

    /** Null when the request was refused before a key was accepted. */
    Caller orNull() {
        return caller;
    }

    /** The operator's address (the one a trusted console or catalog names, else the TCP peer's). */
    String address() {
        return address;
    }
}
