package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

/**
 * The txn action (PROTOCOL.md "Transaction Identifiers"): the last version an application committed, for
 * idempotent writes. {@code lastUpdated} may be null.
 */
public record SetTransaction(String appId, long version, Long lastUpdated) implements Action {
    public SetTransaction {
        requireNonNull(appId, "appId is null");
    }

    @Override
    public String actionName() {
        return "txn";
    }
}
