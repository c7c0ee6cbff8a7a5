/**
 * Implementation of the Parquet reader and writer: schema mapping ({@code ParquetSchemas}), page codecs without
 * Hadoop ({@code TarnCodecFactory}), Dremel shredding for writing ({@code FieldWriter}) and level-based assembly for
 * reading ({@code ReadPlan}, {@code ReadNode}, {@code LeafColumn}, {@code LeafDecoder}, {@code BatchAssembler}).
 * Flat columns read without conversion skip parquet-java's column reader: {@code PageColumnReader} decodes their
 * pages ({@code HybridDecoder}, {@code DeltaDecoding}, {@code BitUnpacking}) straight into Arrow buffers.
 */
package dev.tarn.storage.parquet.internal;
