/**
 * Delta deletion vectors on disk and inline (PROTOCOL.md, "Deletion Vectors" and appendix "Deletion Vector
 * Format"): the 64-bit {@link dev.tarn.storage.deletionvector.RoaringBitmapArray}, {@link
 * dev.tarn.storage.deletionvector.Z85}, and validated DV file reading and writing. Nothing here knows the Delta log;
 * callers pass the descriptor's fields.
 */
package dev.tarn.storage.deletionvector;
