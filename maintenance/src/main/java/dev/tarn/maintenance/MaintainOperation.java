package dev.tarn.maintenance;

/** The operations a {@link MaintainTask} decides about, in the order it applies them to a table. */
public enum MaintainOperation {
    /** REORG ... APPLY (PURGE) of files with many deleted rows ({@link PurgeTask}). */
    PURGE,
    /** OPTIMIZE bin-packing of small files ({@link OptimizeTask}). */
    COMPACT,
    /** OPTIMIZE of a clustered table: incremental, or FULL ({@link OptimizeTask}). */
    CLUSTER,
    /** A checkpoint of the latest version ({@link CheckpointTask}). */
    CHECKPOINT,
    /** VACUUM with the table's retention ({@link VacuumTask}). */
    VACUUM
}
