package io.wacast.campaign.rest;

import jakarta.enterprise.context.RequestScoped;

import io.wacast.campaign.service.ApiKeyService.Caller;

/** Who made this request, as {@link ApiKeyAuthentication} found it, for resources that need to know. */
@RequestScoped
class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** Never null under {@code /api}: the filter refuses a request without a valid key before any resource runs. */
    Caller get() {
        return caller;
    }
}
