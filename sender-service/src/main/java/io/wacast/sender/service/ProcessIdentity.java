package io.wacast.sender.service;

import java.util.UUID;

/**
 * The identity of this sender process in the send ledger. New on every start, so a restarted
 * process never mistakes the claims of its dead predecessor for live calls of its own.
 */
public final class ProcessIdentity {

    public static final String ID = UUID.randomUUID().toString();

    private ProcessIdentity() {
    }
}
