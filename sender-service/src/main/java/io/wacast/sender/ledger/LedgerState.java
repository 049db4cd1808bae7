package io.wacast.sender.ledger;

/** The state of a job's row in the send ledger; see V2 migration for the meaning of each. */
public enum LedgerState {
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
