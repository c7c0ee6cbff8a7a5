package dev.tarn.txlog.action;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The commitInfo action (PROTOCOL.md "Commit Provenance Information"). Free-form in the protocol; Tarn reads the
 * fields delta-spark writes and ignores the rest. Absent fields are null. {@code inCommitTimestamp} is the
 * commit's timestamp when the inCommitTimestamp feature is enabled ("In-Commit Timestamps").
 */
public record CommitInfo(Long inCommitTimestamp, Long timestamp, String operation,
                         Map<String, String> operationParameters, Long readVersion, String isolationLevel,
                         Boolean isBlindAppend, Map<String, String> operationMetrics, String engineInfo,
                         String txnId) implements Action {

    public CommitInfo {
        operationParameters = operationParameters == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(operationParameters));
        operationMetrics = operationMetrics == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(operationMetrics));
    }

    @Override
    public String actionName() {
        return "commitInfo";
    }
}
