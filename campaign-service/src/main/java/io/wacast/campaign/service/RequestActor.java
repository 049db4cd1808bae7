package io.wacast.campaign.service;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;

/**
 * Who is making the current API request (the API key's name), for records that say who changed
 * something (the consent history). Outside a request (a Kafka consumer, the scheduler) there is none.
 */
@RequestScoped
public class RequestActor {

    private String keyName;

    /** Set by the API key filter once the key is accepted. */
    public void set(String keyName) {
        this.keyName = keyName;
    }

    String keyName() {
        return keyName;
    }

    /** "api key '<name>'" inside an authenticated request, {@code otherwise} elsewhere. */
    public static String current(String otherwise) {
        ManagedContext context = Arc.container().requestContext();
        if (!context.isActive()) {
            return otherwise;
        }
        // through the method: the instance is a client proxy, whose own fields are never set
        String name = Arc.container().instance(RequestActor.class).get().keyName();
        return name == null ? otherwise : "api key '" + name + "'";
    }
}
