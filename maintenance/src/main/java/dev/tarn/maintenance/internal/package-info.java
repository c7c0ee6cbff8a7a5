/**
 * Implementation of the maintenance tasks: {@link dev.tarn.maintenance.internal.FileBatches} (live rows of one data
 * file, deletion vector applied, row ids materialized), {@link dev.tarn.maintenance.internal.PartitionFileWriter}
 * (new data files with statistics), {@link dev.tarn.maintenance.internal.Rewrites} (file selection, bin packing,
 * commit), {@link dev.tarn.maintenance.internal.ZOrderKeys} and {@link dev.tarn.maintenance.internal.ZOrderRewriter}
 * (Z-order values and the external sort), {@link dev.tarn.maintenance.internal.DeltaIntervals} (interval properties),
 * {@link dev.tarn.maintenance.internal.LogNames} ({@code _delta_log} file names), {@link
 * dev.tarn.maintenance.internal.TablePaths} (paths relative to the table root). Not API.
 */
package dev.tarn.maintenance.internal;
