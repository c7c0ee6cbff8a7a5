package dev.tarn.txlog.action;

/**
 * One action of a Delta log entry (PROTOCOL.md "Actions"). Each JSON line of a commit holds exactly one action,
 * keyed by its name ({@code add}, {@code remove}, {@code metaData}, ...); checkpoints hold the same actions as
 * columns. Actions a reader does not know are ignored (PROTOCOL.md "Delta Log Entries").
 */
public sealed interface Action permits Protocol, Metadata, AddFile, RemoveFile, AddCdcFile, CommitInfo,
        SetTransaction, DomainMetadata, CheckpointMetadata, Sidecar {

    /** The key this action is written under in a log line, e.g. {@code "metaData"}. */
    String actionName();
}
