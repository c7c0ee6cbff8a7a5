/**
 * Table maintenance over the Delta log, without SQL: each task is a small class taking a {@link dev.tarn.txlog.TableLog}
 * and a parameter record, whose {@code run()} returns a metrics record (with a skip reason when nothing was done).
 *
 * <ul>
 *   <li>{@link dev.tarn.maintenance.CheckpointTask}: writes a checkpoint of the latest version.</li>
 *   <li>{@link dev.tarn.maintenance.OptimizeTask} ({@link dev.tarn.maintenance.OptimizeOptions}): bin-packing
 *       compaction, or Z-ordering with {@code zOrderBy}, or on a clustered table incremental liquid clustering
 *       (Hilbert curve; {@code full} reclusters all); one {@code OPTIMIZE} commit with {@code dataChange = false}.</li>
 *   <li>{@link dev.tarn.maintenance.ClusteringSpec}: CLUSTER BY / CLUSTER BY NONE metadata on a transaction
 *       (the {@code delta.clustering} domain and the {@code clustering} feature).</li>
 *   <li>{@link dev.tarn.maintenance.MaintainTask} ({@link dev.tarn.maintenance.MaintainOptions},
 *       {@link dev.tarn.maintenance.MaintainSettings}): one policy run over many tables, returning a
 *       {@link dev.tarn.maintenance.MaintainResult} per table; conflicts are a retryable status, not an exception.</li>
 *   <li>{@link dev.tarn.maintenance.PurgeTask} ({@link dev.tarn.maintenance.PurgeOptions}): REORG TABLE ... APPLY
 *       (PURGE), rewriting files whose deletion vectors delete rows.</li>
 *   <li>{@link dev.tarn.maintenance.VacuumTask} ({@link dev.tarn.maintenance.VacuumOptions}): deletes unreferenced
 *       data, deletion-vector and change-data files older than the retention (FULL or LITE, dry run).</li>
 *   <li>{@link dev.tarn.maintenance.LogCleanupTask} ({@link dev.tarn.maintenance.LogCleanupOptions}): deletes log
 *       history older than {@code delta.logRetentionDuration} that no retained version needs.</li>
 * </ul>
 *
 * <p>Rewrites stream batch by batch (Parquet reader, deletion vector, writer) and are safe next to concurrent writers:
 * the log's conflict checking decides, and a failed rewrite deletes the files it wrote. Implementation lives in
 * {@code dev.tarn.maintenance.internal}.
 */
package dev.tarn.maintenance;
