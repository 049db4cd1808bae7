package io.wacast.sender.ledger;

/** The state of a job's row in the send ledger; see the V2 and V3 migrations for the meaning of each. */
public enum LedgerState {
    /** Held by one replica, nothing sent: taken over by another if that replica dies. */
    CLAIMED("claimed"),
    /** Marked departing: the call may be under way. */
    IN_FLIGHT("in_flight"),
    ANSWERED("answered"),
    RELEASED("released"),
    UNKNOWN("unknown");

    private final String column;

    LedgerState(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }

    public static LedgerState ofColumn(String value) {
        for (LedgerState state : values()) {
            if (state.column.equals(value)) {
                return state;
            }
        }
        throw new IllegalStateException("unknown ledger state " + value);
    }
}
