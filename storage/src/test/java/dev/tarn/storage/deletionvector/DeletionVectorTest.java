package dev.tarn.storage.deletionvector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ParquetReadRequest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class DeletionVectorTest {
    @TempDir
    Path dir;

    private final LocalFileIO io = new LocalFileIO();

    static Path tables() {
        String d = System.getProperty("tarn.test-data");
        assumeTrue(d != null && !d.isBlank(), "tarn.test-data is not set");
        Path p = Path.of(d, "delta-tables");
        assertTrue(Files.isDirectory(p), "tarn.test-data is set but has no delta-tables: " + p);
        return p;
    }

    @Test
    void z85MatchesTheSpecificationExample() {
        byte[] hello = HexFormat.of().parseHex("864FD26FB559F75B");
        assertEquals("HelloWorld", Z85.encode(hello));
        assertArrayEquals(hello, Z85.decode("HelloWorld", 8));
    }

    @Test
    void z85RoundTripsAnyLength() {
        Random random = new Random(42);
        for (int len = 0; len <= 41; len++) {
            byte[] data = new byte[len];
            random.nextBytes(data);
            String text = Z85.encode(data);
            assertEquals((len + 3) / 4 * 5, text.length());
            assertArrayEquals(data, Z85.decode(text, len), "length " + len);
        }
        UUID uuid = UUID.randomUUID();
        assertEquals(20, Z85.encodeUuid(uuid).length());
        assertEquals(uuid, Z85.decodeUuid(Z85.encodeUuid(uuid)));
    }

    @Test
    void z85RejectsGarbage() {
        assertEquals(ErrorCode.CORRUPT_DELETION_VECTOR, assertThrows(TarnException.class, () -> Z85.decode("abc", 2)).errorCode());
        assertEquals(ErrorCode.CORRUPT_DELETION_VECTOR, assertThrows(TarnException.class, () -> Z85.decode("ab\"de", 4)).errorCode());
        assertEquals(ErrorCode.CORRUPT_DELETION_VECTOR, assertThrows(TarnException.class, () -> Z85.decode("%%%%%", 4)).errorCode());
        assertEquals(ErrorCode.CORRUPT_DELETION_VECTOR, assertThrows(TarnException.class, () -> Z85.decode("HelloWorld", 3)).errorCode());
    }

    @Test
    void uuidPathsFollowTheProtocol() {
        assertEquals("deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin",
                DeletionVectorFiles.relativePath("vBn[lx{q8@P<9BNH/isA"));
        UUID uuid = UUID.fromString("61d16c75-6994-46b7-a15b-8b538852e50e");
        assertEquals("vBn[lx{q8@P<9BNH/isA", DeletionVectorFiles.encodePath("", uuid));
        assertEquals("ab/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin",
                DeletionVectorFiles.relativePath(DeletionVectorFiles.encodePath("ab", uuid)));
    }

    @Test
    void sparkDeletionVectorFileMasksTheDeletedRows() {
        Path table = tables().resolve("dv-small");
        String dv = table.resolve(DeletionVectorFiles.relativePath("vBn[lx{q8@P<9BNH/isA")).toString();
        RoaringBitmapArray deleted = DeletionVectorFiles.read(io.newInputFile(dv), 1, 36, 2);
        assertArrayEquals(new long[] {0, 9}, deleted.toArray());

        // Applying it as a selection vector over the row-index column gives the table's version-1 rows.
        Schema schema = new Schema(List.of(new Field("value", FieldType.nullable(new ArrowType.Int(32, true)), null)));
        List<Integer> survivors = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetReader r = ArrowParquetReader.open(
                     io.newInputFile(table.resolve("part-00000-fae5310a-a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet").toString()),
                     new ParquetReadRequest(schema, true, 4, g -> true), allocator)) {
            VectorSchemaRoot b;
            int[] selection = new int[4];
            while ((b = r.next()) != null) {
                BigIntVector rowIndex = (BigIntVector) b.getVector(ArrowParquetReader.ROW_INDEX_COLUMN);
                int n = deleted.selectSurvivors(rowIndex.get(0), b.getRowCount(), selection);
                for (int i = 0; i < n; i++) {
                    survivors.add(((IntVector) b.getVector("value")).get(selection[i]));
                }
            }
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), survivors);
    }

    @Test
    void growingSparkDeletionVectorsDecode() {
        Path table = tables().resolve("dv-log-replay-keys");
        RoaringBitmapArray one = read(table, "h{&8fAg]=QYJvl-}c!yH", 34, 1);
        RoaringBitmapArray two = read(table, "j=hZPftg7qJYIw^L+Oz9", 36, 2);
        RoaringBitmapArray three = read(table, "^jP?.<zvDfIGb{C.FPij", 38, 3);
        assertEquals(two, two.union(one), "each DV contains the previous one");
        assertEquals(three, three.union(two));
    }

    private RoaringBitmapArray read(Path table, String pathOrInline, int size, long cardinality) {
        return DeletionVectorFiles.read(io.newInputFile(table.resolve(DeletionVectorFiles.relativePath(pathOrInline)).toString()),
                1, size, cardinality);
    }

    @Test
    void inlineDeletionVectorsFromALogDecode() {
        tables();
        assertEquals(4, DeletionVectorFiles.decodeInline("^Bg9^0rr910000000000iXQKl0rr91000935c8Xg000311onP9", 40, 4).cardinality());
        RoaringBitmapArray two = DeletionVectorFiles.decodeInline("^Bg9^0rr910000000000iXQKl0rr91000315c8Xg000f5", 36, 2);
        assertEquals(2, two.cardinality());
        // The '#'-padded tail written by the Rust z85 crate (34 bytes, not a multiple of 4).
        RoaringBitmapArray one = DeletionVectorFiles.decodeInline("^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093", 34, 1);
        assertEquals(1, one.cardinality());
        // A standard encoder pads with zero bytes instead; both forms carry the same 34 bytes.
        assertEquals(one, DeletionVectorFiles.decodeInline(DeletionVectorFiles.encodeInline(one), 34, 1));
        assertEquals(34, one.serialize().length);
    }

    @Test
    void corruptionIsDetectedAndNamesTheFile() throws Exception {
        Path source = tables().resolve("dv-small").resolve("deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin");
        byte[] bytes = Files.readAllBytes(source);
        Path copy = dir.resolve("dv.bin");

        byte[] flipped = bytes.clone();
        flipped[1 + 4 + 20] ^= 0x01; // inside the bitmap data
        Files.write(copy, flipped);
        TarnException crc = assertThrows(TarnException.class, () -> DeletionVectorFiles.read(io.newInputFile(copy.toString()), 1, 36, 2));
        assertEquals(ErrorCode.CORRUPT_DELETION_VECTOR, crc.errorCode());
        assertTrue(crc.getMessage().contains("CRC-32") && crc.getMessage().contains(copy.toString()), crc.getMessage());

        Files.write(copy, bytes);
        TarnException size = assertThrows(TarnException.class, () -> DeletionVectorFiles.read(io.newInputFile(copy.toString()), 1, 35, 2));
        assertTrue(size.getMessage().contains("size"), size.getMessage());
        TarnException card = assertThrows(TarnException.class, () -> DeletionVectorFiles.read(io.newInputFile(copy.toString()), 1, 36, 3));
        assertTrue(card.getMessage().contains("descriptor says 3"), card.getMessage());

        Files.write(copy, java.util.Arrays.copyOf(bytes, bytes.length - 2));
        TarnException truncated = assertThrows(TarnException.class, () -> DeletionVectorFiles.read(io.newInputFile(copy.toString()), 1, 36, 2));
        assertEquals(ErrorCode.CORRUPT_DELETION_VECTOR, truncated.errorCode());

        byte[] badVersion = bytes.clone();
        badVersion[0] = 2;
        Files.write(copy, badVersion);
        TarnException version = assertThrows(TarnException.class, () -> DeletionVectorFiles.read(io.newInputFile(copy.toString()), 1, 36, 2));
        assertTrue(version.getMessage().contains("version"), version.getMessage());

        TarnException missing = assertThrows(TarnException.class,
                () -> DeletionVectorFiles.read(io.newInputFile(dir.resolve("nope.bin").toString()), 1, 36, 2));
        assertEquals(ErrorCode.MISSING_FILE, missing.errorCode());

        TarnException magic = assertThrows(TarnException.class, () -> RoaringBitmapArray.deserialize(new byte[12], "test"));
        assertEquals(ErrorCode.CORRUPT_DELETION_VECTOR, magic.errorCode());
    }

    @Test
    void writtenFilesReadBack() {
        RoaringBitmapArray small = RoaringBitmapArray.of(3, 1, 4, 1, 5, 9, 2, 6);
        RoaringBitmapArray large = RoaringBitmapArray.builder()
                .addRange(0, 100_000)
                .add((1L << 32) + 7)
                .addRange((3L << 32) - 5, (3L << 32) + 5)
                .build();
        String location = dir.resolve("deletion_vector_" + UUID.randomUUID() + ".bin").toString();
        StoredDeletionVector a;
        StoredDeletionVector b;
        try (DeletionVectorFileWriter w = DeletionVectorFileWriter.create(io.newOutputFile(location))) {
            a = w.add(small);
            b = w.add(large);
        }
        assertEquals(1, a.offset());
        assertEquals(7, a.cardinality());
        assertEquals(100_011, b.cardinality());
        assertEquals(small, DeletionVectorFiles.read(io.newInputFile(location), a.offset(), a.sizeInBytes(), a.cardinality()));
        RoaringBitmapArray back = DeletionVectorFiles.read(io.newInputFile(location), b.offset(), b.sizeInBytes(), b.cardinality());
        assertEquals(large, back);
        assertTrue(back.contains((1L << 32) + 7));
        assertTrue(back.contains((3L << 32) - 1));
        assertTrue(back.contains(3L << 32));
        assertFalse(back.contains(100_000));
        assertEquals(RoaringBitmapArray.PORTABLE_MAGIC,
                ByteBuffer.wrap(large.serialize()).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    @Test
    void selectionVectorsSkipDeletedRows() {
        RoaringBitmapArray deleted = RoaringBitmapArray.of(0, 2, 3, 10, (1L << 32) - 1, 1L << 32, (1L << 32) + 2);
        int[] selection = new int[16];
        int n = deleted.selectSurvivors(0, 6, selection);
        assertArrayEquals(new int[] {1, 4, 5}, java.util.Arrays.copyOf(selection, n));
        n = deleted.selectSurvivors(3, 8, selection);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, java.util.Arrays.copyOf(selection, n));
        // Across the 32-bit bucket boundary.
        n = deleted.selectSurvivors((1L << 32) - 2, 5, selection);
        assertArrayEquals(new int[] {0, 3}, java.util.Arrays.copyOf(selection, n));
        n = RoaringBitmapArray.empty().selectSurvivors(100, 3, selection);
        assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(selection, n));
        n = deleted.selectSurvivors(new long[] {10, 11, 1L << 32, 5}, 4, selection);
        assertArrayEquals(new int[] {1, 3}, java.util.Arrays.copyOf(selection, n));
        try (BufferAllocator allocator = new RootAllocator(); BigIntVector rowIndex = new BigIntVector("ri", allocator)) {
            rowIndex.allocateNew(4);
            long[] values = {2, 4, (1L << 32) + 2, (1L << 32) + 3};
            for (int i = 0; i < values.length; i++) {
                rowIndex.set(i, values[i]);
            }
            rowIndex.setValueCount(4);
            n = deleted.selectSurvivors(rowIndex, selection);
            assertArrayEquals(new int[] {1, 3}, java.util.Arrays.copyOf(selection, n));
        }
    }

    @Test
    void nativeLayoutIsReadable() throws Exception {
        RoaringBitmap low = RoaringBitmap.bitmapOf(1, 2, 3);
        RoaringBitmap high = RoaringBitmap.bitmapOf(5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Integer.reverseBytes(RoaringBitmapArray.NATIVE_MAGIC));
        out.writeInt(Integer.reverseBytes(2));
        low.serialize(out);
        high.serialize(out);
        RoaringBitmapArray r = RoaringBitmapArray.deserialize(bytes.toByteArray(), "native");
        assertArrayEquals(new long[] {1, 2, 3, (1L << 32) + 5}, r.toArray());
    }
}
