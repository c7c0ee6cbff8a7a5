/**
 * The Delta Lake transaction log (PROTOCOL.md): {@link dev.tarn.txlog.TableLog} loads immutable
 * {@link dev.tarn.txlog.Snapshot}s and starts {@link dev.tarn.txlog.Transaction}s; a snapshot's
 * {@link dev.tarn.txlog.ScanBuilder} plans scans with file skipping. Catalog-managed tables are read through a
 * {@link dev.tarn.txlog.CatalogCommits} that supplies the catalog's {@link dev.tarn.txlog.RatifiedCommits}. Map of the
 * packages:
 * <ul>
 *   <li>{@code action}: the log actions as records ("Actions");</li>
 *   <li>{@code skipping}: predicates and their evaluation over partition values and file statistics;</li>
 *   <li>{@code internal.json}: actions to and from JSON lines ("Delta Log Entries");</li>
 *   <li>{@code internal.replay}: listing {@code _delta_log}, log segments, reconciliation, the protocol gate;</li>
 *   <li>{@code internal.checkpoint}: reading classic, multi-part and V2 checkpoints, writing classic and
 *       UUID-named V2 ones (with sidecars), {@code _last_checkpoint} and its checksum;</li>
 *   <li>{@code internal.cdf}: which files hold a commit's change data ({@link dev.tarn.txlog.TableLog#changes});</li>
 *   <li>{@code internal.commit}: conflict detection for optimistic concurrency.</li>
 * </ul>
 */
package dev.tarn.txlog;
