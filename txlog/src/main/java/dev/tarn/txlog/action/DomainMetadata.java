package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

/**
 * The domainMetadata action (PROTOCOL.md "Domain Metadata"): named configuration owned by a feature or system
 * ({@code delta.*} domains) or a user. {@code removed} is a tombstone for the domain.
 */
public record DomainMetadata(String domain, String configuration, boolean removed) implements Action {
    public DomainMetadata {
        requireNonNull(domain, "domain is null");
        requireNonNull(configuration, "configuration is null");
    }

    @Override
    public String actionName() {
        return "domainMetadata";
    }
}
