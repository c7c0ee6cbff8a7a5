/**
 * TPC-H data as Arrow batches in Tarn's column types, for tests, {@code tarn gen-tpch} and the benchmarks:
 * {@link dev.tarn.testdata.tpch.TpchGenerator} is the entry point.
 */
package dev.tarn.testdata.tpch;
