package dev.tarn.storage.parquet.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one Parquet leaf column straight from its pages into an Arrow vector of the same representation,
 * bypassing parquet-java's value-at-a-time column reader. parquet-java still reads and decompresses the pages; this
 * class decodes their bytes: repetition and definition levels (RLE/bit-packed hybrid, or the legacy BIT_PACKED of
 * v1 pages) a run at a time, and values in PLAIN, dictionary (PLAIN_DICTIONARY / RLE_DICTIONARY), RLE (booleans),
 * DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY, in v1 and v2 data pages.
 *
 * <p>The unit of staging is a level entry: one per row for a flat column (top-level or inside structs); for a
 * repeated column (inside lists and maps) one per element plus one per null or empty list, and a batch of rows
 * takes the entries up to the next row start (repetition level 0), across page boundaries. Values of a batch are
 * staged in heap arrays at their entry positions and copied into the Arrow buffers in bulk, so PLAIN fixed-width
 * pages without nulls cost two memory copies. Where a page has nulls the non-null values are decoded densely and
 * then spread to their entry positions from the back.
 */
final class PageColumnReader implements dev.tarn.storage.parquet.StagedColumn {
    /** Encodings this reader decodes; a column chunk using any other goes through parquet-java's column reader. */
    private static final Set<Encoding> SUPPORTED = EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY,
            Encoding.RLE_DICTIONARY, Encoding.RLE, Encoding.BIT_PACKED, Encoding.DELTA_BINARY_PACKED,
            Encoding.DELTA_LENGTH_BYTE_ARRAY, Encoding.DELTA_BYTE_ARRAY);

    private enum Kind { BOOLEAN, FIXED, BINARY }

    private final ColumnDescriptor descriptor;
    private final PrimitiveTypeName physical;
    private final Kind kind;
    /** Bytes per value for FIXED, the fixed length for FIXED_LEN_BYTE_ARRAY. */
    private final int width;
    /** FIXED values widened to 16-byte Arrow decimals (an INT32 or INT64 decimal of the same scale). */
    private final boolean decimal;
    private final int maxDef;
    private final int defBitWidth;
    private final int maxRep;
    private final int repBitWidth;

    private PageReader pages;
    private long remainingInChunk;
    // Dictionary of the current chunk, decoded once.
    private int[] dictInts;
    private long[] dictLongs;
    private DeltaDecoding.Binaries dictBinaries;
    /** Where the parts of a file share decoded dictionaries (see {@link #shareDictionaries}), or null. */
    private dev.tarn.storage.parquet.DictionaryCache dictionaryCache;
    private String dictionaryFile;
    private int dictionaryRowGroup;

    /** A decoded dictionary page: one of the three arrays is set. Never changed once made (parts share it). */
    private record Dictionary(int[] ints, long[] longs, DeltaDecoding.Binaries binaries) {}

    /** Marks a column chunk without a dictionary page in a {@link dev.tarn.storage.parquet.DictionaryCache}. */
    private static final Object NO_DICTIONARY = new Object();

    // Current page.
    private int pageRemaining;
    private HybridDecoder defLevels;
    private int[] legacyLevels;
    private int legacyPos;
    /** Repetition levels of the whole current page (repeated columns), to find row starts ahead. */
    private int[] pageRep = new int[0];
    private int pageRepPos;
    private byte[] page;
    private int pagePos;
    private int pageLimit;
    private Encoding valueEncoding;
    private HybridDecoder indices;
    private long bitPos;
    private long[] materializedLongs;
    private DeltaDecoding.Binaries materializedBinaries;
    private int materializedPos;

    /**
     * While {@link #decode(int, int[], int)} runs: the rows whose values are wanted, how many, and the next one not
     * yet staged; null otherwise.
     */
    private int[] wanted;
    private int wantedCount;
    private int wantedNext;

    // Batch staging.
    private int stagedRows;
    private boolean stagedAllDefined;
    private byte[] defined = new byte[0];
    private byte[] values = new byte[0];
    /** The thread that last staged into {@link #defined} and {@link #values}: only it may give them away. */
    private Thread stageThread;
    private int[] lengths = new int[0];
    private byte[] data = new byte[0];
    private int dataLength;
    /**
     * Dictionary-coded strings of the batch staged as their dictionary indexes (per row, spread like the lengths)
     * instead of bytes: while true, {@link #lengths} and {@link #data} are not filled. A filter compares each
     * dictionary entry once instead of every row's bytes, and the bytes are copied only for the rows written
     * ({@link #materializeIds}).
     */
    private boolean idMode;
    private int[] ids = new int[0];
    private int[] indexScratch = new int[0];
    private byte[] bitScratch = new byte[0];
    private byte[] offsetScratch = new byte[4];
    private byte[] flagScratch = new byte[0];
    /** The dictionary {@link #uniformLength} was computed for, and its result. */
    private DeltaDecoding.Binaries uniformFor;
    private int uniformLength;

    private PageColumnReader(ColumnDescriptor descriptor, Kind kind, int width) {
        this(descriptor, kind, width, false);
    }

    private PageColumnReader(ColumnDescriptor descriptor, Kind kind, int width, boolean decimal) {
        this.decimal = decimal;
        this.descriptor = descriptor;
        this.physical = descriptor.getPrimitiveType().getPrimitiveTypeName();
        this.kind = kind;
        this.width = width;
        this.maxDef = descriptor.getMaxDefinitionLevel();
        this.defBitWidth = 32 - Integer.numberOfLeadingZeros(maxDef);
        this.maxRep = descriptor.getMaxRepetitionLevel();
        this.repBitWidth = 32 - Integer.numberOfLeadingZeros(maxRep);
    }

    /**
     * A reader when {@code target} is the Arrow type that holds the Parquet values unchanged (same width, no unit
     * or scale conversion); null otherwise, and the column-reader path handles it.
     */
    static PageColumnReader forColumn(ColumnDescriptor descriptor, ArrowType target) {
        PrimitiveType type = descriptor.getPrimitiveType();
        LogicalTypeAnnotation lt = type.getLogicalTypeAnnotation();
        boolean plainInt = lt == null || lt instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned();
        if (target instanceof ArrowType.Decimal d && d.getBitWidth() == 128
                && lt instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation dl && dl.getScale() == d.getScale()
                && dl.getPrecision() <= d.getPrecision()) {
            // Unscaled INT32/INT64 values, sign-extended into Arrow's 16-byte little-endian decimals.
            return switch (type.getPrimitiveTypeName()) {
                case INT32 -> new PageColumnReader(descriptor, Kind.FIXED, 4, true);
                case INT64 -> new PageColumnReader(descriptor, Kind.FIXED, 8, true);
                default -> null;
            };
        }
        switch (type.getPrimitiveTypeName()) {
            case BOOLEAN:
                return target instanceof ArrowType.Bool ? new PageColumnReader(descriptor, Kind.BOOLEAN, 0) : null;
            case INT32:
                if (target instanceof ArrowType.Int t && t.getBitWidth() == 32 && t.getIsSigned() && plainInt
                        && (lt == null || ((LogicalTypeAnnotation.IntLogicalTypeAnnotation) lt).getBitWidth() == 32)
                        || target instanceof ArrowType.Date d && d.getUnit() == DateUnit.DAY
                        && lt instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return new PageColumnReader(descriptor, Kind.FIXED, 4);
                }
                return null;
            case INT64:
                if (target instanceof ArrowType.Int t && t.getBitWidth() == 64 && plainInt
                        || target instanceof ArrowType.Timestamp ts && ts.getUnit() == TimeUnit.MICROSECOND
                        && lt instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation tl
                        && tl.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS) {
                    return new PageColumnReader(descriptor, Kind.FIXED, 8);
                }
                return null;
            case FLOAT:
                return target instanceof ArrowType.FloatingPoint f && f.getPrecision() == FloatingPointPrecision.SINGLE
                        ? new PageColumnReader(descriptor, Kind.FIXED, 4) : null;
            case DOUBLE:
                return target instanceof ArrowType.FloatingPoint f && f.getPrecision() == FloatingPointPrecision.DOUBLE
                        ? new PageColumnReader(descriptor, Kind.FIXED, 8) : null;
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY:
                if ((target instanceof ArrowType.Utf8 || target instanceof ArrowType.Binary)
                        && !(lt instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation)) {
                    return new PageColumnReader(descriptor, Kind.BINARY, type.getTypeLength());
                }
                return null;
            default:
                return null;
        }
    }

    /** True when every encoding of the chunk is one this reader decodes. */
    static boolean supportsEncodings(Set<Encoding> encodings) {
        return SUPPORTED.containsAll(encodings);
    }

    ColumnDescriptor descriptor() {
        return descriptor;
    }

    // ---- the last decoded batch as a StagedColumn (what a row filter reads) ----

    @Override
    public Layout layout() {
        return switch (kind) {
            case FIXED -> Layout.FIXED;
            case BOOLEAN -> Layout.BOOLEAN;
            case BINARY -> Layout.BINARY;
        };
    }

    @Override
    public int rows() {
        return stagedRows;
    }

    @Override
    public byte[] definedFlags() {
        return stagedAllDefined ? null : defined;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public byte[] values() {
        return values;
    }

    @Override
    public int[] lengths() {
        if (idMode) {
            materializeIds(stagedRows);
        }
        return lengths;
    }

    @Override
    public byte[] data() {
        if (idMode) {
            materializeIds(stagedRows);
        }
        return data;
    }

    @Override
    public int[] dictionaryIds() {
        return idMode ? ids : null;
    }

    @Override
    public byte[] dictionaryData() {
        return dictBinaries == null ? null : dictBinaries.data();
    }

    @Override
    public int[] dictionaryOffsets() {
        return dictBinaries == null ? null : dictBinaries.offsets();
    }

    void startRowGroup(PageReader reader) {
        startRowGroup(reader, 0, null);
    }

    /**
     * Starts a chunk whose reading begins at row {@code firstRow} of the row group: the reader's first page holds
     * that row (its first row index says where the page starts), and the rows before it are decoded and dropped.
     * {@code levels} receives the levels of a repeated column meanwhile (it is refilled by the next decode).
     */
    void startRowGroup(PageReader reader, long firstRow, LeafColumn levels) {
        this.pages = reader;
        this.remainingInChunk = reader.getTotalValueCount();
        this.pageRemaining = 0;
        this.dictInts = null;
        this.dictLongs = null;
        this.dictBinaries = null;
        Object dictionary;
        if (dictionaryCache != null) {
            // Another part of the file may have decoded it: then its page is not even decompressed here.
            dictionary = dictionaryCache.get(dictionaryFile, dictionaryRowGroup,
                    String.join(".", descriptor.getPath()), () -> {
                        DictionaryPage page = reader.readDictionaryPage();
                        return page == null ? NO_DICTIONARY : readDictionary(page);
                    });
        } else {
            DictionaryPage page = reader.readDictionaryPage();
            dictionary = page == null ? NO_DICTIONARY : readDictionary(page);
        }
        if (dictionary instanceof Dictionary d) {
            dictInts = d.ints();
            dictLongs = d.longs();
            dictBinaries = d.binaries();
        }
        if (firstRow > 0) {
            long pageStart = nextPage();
            long skip = firstRow - pageStart;
            if (pageStart < 0 || skip < 0 || skip > Integer.MAX_VALUE) {
                throw new IllegalStateException("Column " + Arrays.toString(descriptor.getPath()) + ": first page starts"
                        + " at row " + pageStart + ", not at or before row " + firstRow);
            }
            if (skip > 0) {
                decode((int) skip, levels);
            }
        }
    }

    /** Fills {@code vector} (allocating it) with the next {@code rows} rows of the column. */
    void read(FieldVector vector, int rows) {
        decode(rows, null);
        write(vector);
    }

    /**
     * Decodes the next {@code rows} rows into this reader's staging buffers; {@link #write} then copies them into a
     * vector. When {@code levels} is not null its level arrays are filled too, for the struct, list and map nodes
     * above the leaf (their validity and sizes come from the levels of their first leaf); a repeated column needs
     * them.
     */
    void decode(int rows, LeafColumn levels) {
        if (maxRep > 0) {
            decodeRecords(rows, levels);
            return;
        }
        if (rows > remainingInChunk) {
            throw new IllegalStateException("Column " + Arrays.toString(descriptor.getPath()) + " has only "
                    + remainingInChunk + " of " + rows + " rows left");
        }
        dataLength = 0;
        idMode = kind == Kind.BINARY && dictBinaries != null;
        int done = 0;
        int definedTotal = 0;
        while (done < rows) {
            if (pageRemaining == 0) {
                nextPage();
            }
            int n = Math.min(rows - done, pageRemaining);
            definedTotal += decodeEntries(done, n, levels);
            pageRemaining -= n;
            done += n;
        }
        remainingInChunk -= rows;
        finishBatch(rows, definedTotal, levels);
    }

    /**
     * As {@link #decode(int, LeafColumn)} for a flat column whose rows {@code selection[0..count)} (ascending) are
     * the only ones a caller will read (a filter kept them): dictionary-coded values are looked up only for those
     * rows, the others' staged values are left undefined. The pages are still read through, since the dictionary
     * indexes of a run are packed together.
     */
    void decode(int rows, int[] selection, int count) {
        if (maxRep > 0 || selection == null) {
            decode(rows, null);
            return;
        }
        wanted = selection;
        wantedCount = count;
        wantedNext = 0;
        try {
            decode(rows, null);
        } finally {
            wanted = null;
        }
    }

    /** Repeated column: the entries of the next {@code records} rows, which may span pages. */
    private void decodeRecords(int records, LeafColumn levels) {
        if (levels == null) {
            throw new IllegalStateException("Repeated column " + Arrays.toString(descriptor.getPath())
                    + " is read without its levels");
        }
        dataLength = 0;
        idMode = false;
        int entries = 0;
        int started = 0;
        int definedTotal = 0;
        while (true) {
            if (pageRemaining == 0) {
                if (remainingInChunk == 0) {
                    break;
                }
                nextPage();
            }
            int[] rep = pageRep;
            int from = pageRepPos;
            int n = 0;
            while (n < pageRemaining) {
                if (rep[from + n] == 0) {
                    if (started == records) {
                        break;
                    }
                    started++;
                } else if (entries + n == 0) {
                    throw new IllegalStateException("Column " + Arrays.toString(descriptor.getPath())
                            + " continues a row that did not start");
                }
                n++;
            }
            boolean rowEnded = n < pageRemaining;
            if (n > 0) {
                definedTotal += decodeEntries(entries, n, levels);
                System.arraycopy(rep, from, levels.rep, entries, n);
                entries += n;
                pageRepPos += n;
                pageRemaining -= n;
                remainingInChunk -= n;
            }
            if (rowEnded) {
                break;
            }
        }
        if (started != records) {
            throw new IllegalStateException("Column " + Arrays.toString(descriptor.getPath()) + " ended after "
                    + started + " of " + records + " rows");
        }
        finishBatch(entries, definedTotal, levels);
    }

    /** Levels and values of {@code n} entries of the current page, staged from entry {@code at}; returns the defined. */
    private int decodeEntries(int at, int n, LeafColumn levels) {
        ensureStage(at + n);
        if (levels != null) {
            ensureLevels(levels, at + n);
        }
        int present = readDefinitions(at, n, levels);
        switch (kind) {
            case FIXED -> {
                if (wanted != null && present == n && (valueEncoding == Encoding.PLAIN_DICTIONARY
                        || valueEncoding == Encoding.RLE_DICTIONARY)) {
                    lookUpWanted(at, n);
                } else {
                    readFixed(at * width, present);
                    if (present < n) {
                        spreadFixed(at, n, present);
                    }
                }
            }
            case BOOLEAN -> {
                readBooleans(at, present);
                if (present < n) {
                    spreadBytes(at, n, present);
                }
            }
            case BINARY -> {
                readBinaries(at, present);
                if (present < n) {
                    if (idMode) {
                        spreadIds(at, n, present);
                    } else {
                        spreadLengths(at, n, present);
                    }
                }
            }
        }
        return present;
    }

    private void finishBatch(int entries, int definedTotal, LeafColumn levels) {
        stagedRows = entries;
        stagedAllDefined = definedTotal == entries;
        if (levels != null) {
            levels.levelCount = entries;
            levels.valueCount = definedTotal;
        }
    }

    /** Staging room for {@code entries} entries, keeping what is staged. */
    private void ensureStage(int entries) {
        stageThread = Thread.currentThread();
        if (defined.length < entries) {
            defined = StageBuffers.grow(defined, grow(defined.length, entries));
        }
        switch (kind) {
            case FIXED -> {
                if (values.length < entries * width) {
                    values = StageBuffers.grow(values, grow(values.length / width, entries) * width);
                }
            }
            case BOOLEAN -> {
                if (values.length < entries) {
                    values = StageBuffers.grow(values, grow(values.length, entries));
                }
            }
            case BINARY -> {
                if (lengths.length < entries) {
                    lengths = Arrays.copyOf(lengths, grow(lengths.length, entries));
                }
                if (idMode && ids.length < entries) {
                    ids = Arrays.copyOf(ids, grow(ids.length, entries));
                }
            }
        }
    }

    /**
     * Gives the staging arrays back to the spares of this thread ({@link StageBuffers}) when it is the thread that
     * last staged into them; the reader stages nothing after this.
     */
    void release() {
        if (stageThread == Thread.currentThread()) {
            StageBuffers.give(defined);
            StageBuffers.give(values);
        }
        defined = new byte[0];
        values = new byte[0];
        stagedRows = 0;
    }

    private static int grow(int current, int needed) {
        return (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, (long) current + (current >> 1)));
    }

    // ---- pages ----

    /** Starts the next page; returns its first row index in the row group when the reader knows it, else -1. */
    private long nextPage() {
        DataPage p = pages.readPage();
        if (p == null) {
            throw new IllegalStateException("Column " + Arrays.toString(descriptor.getPath()) + " ended before "
                    + remainingInChunk + " more rows");
        }
        pageRemaining = p.getValueCount();
        defLevels = null;
        legacyLevels = null;
        pageRepPos = 0;
        if (maxRep > 0 && pageRep.length < pageRemaining) {
            pageRep = new int[pageRemaining];
        }
        try {
            if (p instanceof DataPageV1 v1) {
                ByteBuffer bytes = v1.getBytes().toByteBuffer();
                byte[] b = arrayOf(bytes);
                int pos = bytes.hasArray() ? bytes.arrayOffset() + bytes.position() : 0;
                int end = pos + bytes.remaining();
                if (maxRep > 0) {
                    Encoding rl = v1.getRlEncoding();
                    if (rl == Encoding.RLE) {
                        int length = levelsLength(b, pos, end, "Repetition");
                        new HybridDecoder(b, pos + 4, pos + 4 + length, repBitWidth).read(pageRep, 0, pageRemaining);
                        pos += 4 + length;
                    } else if (rl == Encoding.BIT_PACKED) {
                        pos = readLegacyLevels(b, pos, end, pageRemaining, repBitWidth, pageRep);
                    } else {
                        throw new IllegalStateException("Unsupported repetition level encoding " + rl);
                    }
                }
                if (maxDef > 0) {
                    Encoding dl = v1.getDlEncoding();
                    if (dl == Encoding.RLE) {
                        int length = levelsLength(b, pos, end, "Definition");
                        defLevels = new HybridDecoder(b, pos + 4, pos + 4 + length, defBitWidth);
                        pos += 4 + length;
                    } else if (dl == Encoding.BIT_PACKED) {
                        legacyLevels = new int[pageRemaining];
                        legacyPos = 0;
                        pos = readLegacyLevels(b, pos, end, pageRemaining, defBitWidth, legacyLevels);
                    } else {
                        throw new IllegalStateException("Unsupported definition level encoding " + dl);
                    }
                }
                startValues(b, pos, end, v1.getValueEncoding());
            } else {
                DataPageV2 v2 = (DataPageV2) p;
                if (maxRep > 0) {
                    ByteBuffer levels = v2.getRepetitionLevels().toByteBuffer();
                    byte[] l = arrayOf(levels);
                    int start = levels.hasArray() ? levels.arrayOffset() + levels.position() : 0;
                    new HybridDecoder(l, start, start + levels.remaining(), repBitWidth).read(pageRep, 0, pageRemaining);
                }
                if (maxDef > 0) {
                    ByteBuffer levels = v2.getDefinitionLevels().toByteBuffer();
                    byte[] l = arrayOf(levels);
                    int start = levels.hasArray() ? levels.arrayOffset() + levels.position() : 0;
                    defLevels = new HybridDecoder(l, start, start + levels.remaining(), defBitWidth);
                }
                ByteBuffer data = v2.getData().toByteBuffer();
                int start = data.hasArray() ? data.arrayOffset() + data.position() : 0;
                startValues(arrayOf(data), start, start + data.remaining(), v2.getDataEncoding());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p.getFirstRowIndex().orElse(-1L);
    }

    /** The heap array behind {@code b} (read in place at its offset), or a copy of a direct buffer's bytes. */
    private static byte[] arrayOf(ByteBuffer b) {
        if (b.hasArray()) {
            return b.array();
        }
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        return copy;
    }

    /** The byte length of a v1 page's RLE levels section at {@code pos}, checked against the page. */
    private static int levelsLength(byte[] b, int pos, int end, String what) {
        int length = pos + 4 <= end ? BitUnpacking.readIntLE(b, pos) : -1;
        if (length < 0 || pos + 4 + length > end) {
            throw new IllegalStateException(what + " levels of " + length + " bytes exceed the page");
        }
        return length;
    }

    /** Deprecated BIT_PACKED levels: {@code bitWidth} bits per level, most significant bit first. */
    private static int readLegacyLevels(byte[] b, int start, int end, int count, int bitWidth, int[] out) {
        long bit = 0;
        if (start + ((long) count * bitWidth + 7) / 8 > end) {
            throw new IllegalStateException("BIT_PACKED levels exceed the page");
        }
        for (int i = 0; i < count; i++) {
            int v = 0;
            for (int k = 0; k < bitWidth; k++, bit++) {
                v = (v << 1) | ((b[start + (int) (bit >>> 3)] >>> (7 - (bit & 7))) & 1);
            }
            out[i] = v;
        }
        return start + (int) ((bit + 7) >>> 3);
    }

    private void startValues(byte[] b, int pos, int limit, Encoding encoding) {
        page = b;
        pagePos = pos;
        pageLimit = limit;
        valueEncoding = encoding;
        indices = null;
        materializedLongs = null;
        materializedBinaries = null;
        materializedPos = 0;
        bitPos = 0;
        switch (encoding) {
            case PLAIN:
                break;
            case PLAIN_DICTIONARY:
            case RLE_DICTIONARY:
                if (dictInts == null && dictLongs == null && dictBinaries == null) {
                    throw new IllegalStateException("Dictionary-encoded page without a dictionary page");
                }
                indices = pageRemaining == 0 || pos >= limit ? null : new HybridDecoder(b, pos + 1, limit, b[pos] & 0xFF);
                break;
            case RLE:
                if (kind != Kind.BOOLEAN) {
                    throw new IllegalStateException("RLE values for a non-boolean column");
                }
                int length = BitUnpacking.readIntLE(b, pos);
                indices = new HybridDecoder(b, pos + 4, pos + 4 + length, 1);
                break;
            case DELTA_BINARY_PACKED:
                if (kind != Kind.FIXED || (physical != PrimitiveTypeName.INT32 && physical != PrimitiveTypeName.INT64)) {
                    throw new IllegalStateException("DELTA_BINARY_PACKED values for a " + physical + " column");
                }
                materializedLongs = DeltaDecoding.binaryPacked(b, new int[] {pos}, limit);
                break;
            case DELTA_LENGTH_BYTE_ARRAY:
                requireBinary(encoding);
                materializedBinaries = DeltaDecoding.lengthByteArray(b, pos, limit);
                break;
            case DELTA_BYTE_ARRAY:
                requireBinary(encoding);
                materializedBinaries = DeltaDecoding.byteArray(b, pos, limit);
                break;
            default:
                throw new IllegalStateException("Unsupported value encoding " + encoding);
        }
    }

    private void requireBinary(Encoding encoding) {
        if (kind != Kind.BINARY) {
            throw new IllegalStateException(encoding + " values for a " + physical + " column");
        }
    }

    /**
     * Makes the next {@link #startRowGroup} take the dictionary of row group {@code rowGroup} of {@code file} from
     * {@code cache} (decoding it there if no other reader has), or, with a null cache, decode its own again.
     */
    void shareDictionaries(dev.tarn.storage.parquet.DictionaryCache cache, String file, int rowGroup) {
        this.dictionaryCache = cache;
        this.dictionaryFile = file;
        this.dictionaryRowGroup = rowGroup;
    }

    private Dictionary readDictionary(DictionaryPage dict) {
        byte[] b;
        try {
            b = dict.getBytes().toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int n = dict.getDictionarySize();
        switch (kind) {
            case FIXED -> {
                if ((long) n * width > b.length) {
                    throw new IllegalStateException("Dictionary page too short for " + n + " values");
                }
                if (width == 4) {
                    int[] ints = new int[n];
                    for (int i = 0; i < n; i++) {
                        ints[i] = BitUnpacking.readIntLE(b, i * 4);
                    }
                    return new Dictionary(ints, null, null);
                }
                long[] longs = new long[n];
                for (int i = 0; i < n; i++) {
                    longs[i] = (long) BitUnpacking.LONG_LE.get(b, i * 8);
                }
                return new Dictionary(null, longs, null);
            }
            case BINARY -> {
                int[] offsets = new int[n + 1];
                byte[] bytes;
                // 16 bytes of padding: copyBinaries moves short values as two longs.
                if (physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
                    for (int i = 0; i < n; i++) {
                        offsets[i + 1] = (i + 1) * width;
                    }
                    bytes = Arrays.copyOf(b, b.length + 16);
                } else {
                    bytes = new byte[b.length + 16];
                    int p = 0;
                    int out = 0;
                    for (int i = 0; i < n; i++) {
                        int len = BitUnpacking.readIntLE(b, p);
                        System.arraycopy(b, p + 4, bytes, out, len);
                        p += 4 + len;
                        out += len;
                        offsets[i + 1] = out;
                    }
                }
                return new Dictionary(null, null, new DeltaDecoding.Binaries(bytes, offsets, n));
            }
            case BOOLEAN -> throw new IllegalStateException("Dictionary page for a boolean column");
            default -> throw new IllegalStateException("Dictionary page for a " + kind + " column");
        }
    }

    // ---- definition levels ----

    /** Marks rows {@code [at, at + n)} defined or null; returns how many are defined. */
    private int readDefinitions(int at, int n, LeafColumn levels) {
        if (maxDef == 0) {
            Arrays.fill(defined, at, at + n, (byte) 1);
            if (levels != null) {
                ensureLevels(levels, at + n);
                Arrays.fill(levels.def, at, at + n, 0);
            }
            return n;
        }
        if (legacyLevels == null && levels == null) {
            return defLevels.readDefined(defined, at, n, maxDef);
        }
        int[] raw;
        int from;
        if (legacyLevels != null) {
            raw = legacyLevels;
            from = legacyPos;
            legacyPos += n;
        } else {
            // The levels are wanted: decode straight into them.
            ensureLevels(levels, at + n);
            defLevels.read(levels.def, at, n);
            raw = levels.def;
            from = at;
        }
        if (levels != null && raw != levels.def) {
            ensureLevels(levels, at + n);
            System.arraycopy(raw, from, levels.def, at, n);
        }
        int present = 0;
        for (int i = 0; i < n; i++) {
            byte d = (byte) (raw[from + i] == maxDef ? 1 : 0);
            defined[at + i] = d;
            present += d;
        }
        return present;
    }

    private static void ensureLevels(LeafColumn c, int n) {
        if (c.def.length < n) {
            int size = Math.max(n, c.def.length * 2);
            c.def = Arrays.copyOf(c.def, size);
            c.rep = Arrays.copyOf(c.rep, size); // unrepeated: always 0
        }
    }

    // ---- values ----

    private int[] indices(int count) {
        if (indexScratch.length < count) {
            indexScratch = new int[count];
        }
        if (count > 0) {
            if (indices == null) {
                throw new IllegalStateException("Page has no values left");
            }
            indices.read(indexScratch, 0, count);
        }
        return indexScratch;
    }

    /** Writes {@code count} values densely into {@code values} from byte {@code at}. */
    private void readFixed(int at, int count) {
        byte[] out = values;
        switch (valueEncoding) {
            case PLAIN -> {
                int bytes = count * width;
                if (pagePos + bytes > pageLimit) {
                    throw new IllegalStateException("PLAIN page holds fewer values than its levels say");
                }
                System.arraycopy(page, pagePos, out, at, bytes);
                pagePos += bytes;
            }
            case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
                int[] idx = indices(count);
                if (width == 4) {
                    lookUpInts(dictInts, idx, count, out, at);
                } else {
                    lookUpLongs(dictLongs, idx, count, out, at);
                }
            }
            case DELTA_BINARY_PACKED -> {
                long[] src = materializedLongs;
                int from = materializedPos;
                if (from + count > src.length) {
                    throw new IllegalStateException("DELTA_BINARY_PACKED page holds fewer values than its levels say");
                }
                if (width == 4) {
                    for (int i = 0; i < count; i++) {
                        BitUnpacking.INT_LE.set(out, at + i * 4, (int) src[from + i]);
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        BitUnpacking.LONG_LE.set(out, at + i * 8, src[from + i]);
                    }
                }
                materializedPos += count;
            }
            default -> throw new IllegalStateException("Unsupported encoding " + valueEncoding + " for " + physical);
        }
    }

    /**
     * The dictionary-coded values of rows {@code [at, at + n)}, all defined, staged only at the {@link #wanted}
     * rows among them: every index is unpacked (they are packed together), but only those are looked up.
     */
    private void lookUpWanted(int at, int n) {
        int[] idx = indices(n);
        int[] w = wanted;
        int end = at + n;
        int j = wantedNext;
        int limit = j;
        while (limit < wantedCount && w[limit] < end) {
            limit++;
        }
        if (width == 4) {
            lookUpInts(dictInts, idx, w, j, limit, at, values);
        } else {
            lookUpLongs(dictLongs, idx, w, j, limit, at, values);
        }
        wantedNext = limit;
    }

    private static void lookUpInts(int[] dict, int[] idx, int[] rows, int from, int to, int at, byte[] out) {
        for (int j = from; j < to; j++) {
            int r = rows[j];
            BitUnpacking.INT_LE.set(out, r * 4, dict[idx[r - at]]);
        }
    }

    private static void lookUpLongs(long[] dict, int[] idx, int[] rows, int from, int to, int at, byte[] out) {
        for (int j = from; j < to; j++) {
            int r = rows[j];
            BitUnpacking.LONG_LE.set(out, r * 8, dict[idx[r - at]]);
        }
    }

    // Dictionary look-ups in methods of their own, small enough for the JIT to inline the byte-array views.

    private static void lookUpInts(int[] dict, int[] idx, int count, byte[] out, int at) {
        for (int i = 0; i < count; i++) {
            BitUnpacking.INT_LE.set(out, at + i * 4, dict[idx[i]]);
        }
    }

    private static void lookUpLongs(long[] dict, int[] idx, int count, byte[] out, int at) {
        for (int i = 0; i < count; i++) {
            BitUnpacking.LONG_LE.set(out, at + i * 8, dict[idx[i]]);
        }
    }

    /** Moves {@code present} dense values at rows {@code [at, at + present)} to the defined rows of {@code [at, at + n)}. */
    private void spreadFixed(int at, int n, int present) {
        int src = at + present - 1;
        for (int row = at + n - 1; row >= at && src >= at; row--) {
            if (defined[row] != 0) {
                if (src != row) {
                    System.arraycopy(values, src * width, values, row * width, width);
                }
                src--;
            }
        }
    }

    private void readBooleans(int at, int count) {
        byte[] out = values;
        if (valueEncoding == Encoding.PLAIN) {
            long bit = bitPos;
            for (int i = 0; i < count; i++, bit++) {
                out[at + i] = (byte) ((page[pagePos + (int) (bit >>> 3)] >>> (bit & 7)) & 1);
            }
            bitPos = bit;
        } else if (valueEncoding == Encoding.RLE) {
            int[] idx = indices(count);
            for (int i = 0; i < count; i++) {
                out[at + i] = (byte) idx[i];
            }
        } else {
            throw new IllegalStateException("Unsupported encoding " + valueEncoding + " for BOOLEAN");
        }
    }

    private void spreadBytes(int at, int n, int present) {
        int src = at + present - 1;
        for (int row = at + n - 1; row >= at && src >= at; row--) {
            if (defined[row] != 0) {
                values[row] = values[src--];
            }
        }
    }

    /** Appends {@code count} values to {@code data}, their lengths to {@code lengths[at..]}. */
    private void readBinaries(int at, int count) {
        boolean dictionaryPage = valueEncoding == Encoding.PLAIN_DICTIONARY || valueEncoding == Encoding.RLE_DICTIONARY;
        if (idMode && dictionaryPage) {
            System.arraycopy(indices(count), 0, ids, at, count);
            return;
        }
        if (idMode) {
            materializeIds(at); // a page that fell back from the dictionary: the batch continues as bytes
        }
        switch (valueEncoding) {
            case PLAIN -> {
                byte[] b = page;
                int p = pagePos;
                for (int i = 0; i < count; i++) {
                    int len;
                    if (physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
                        len = width;
                    } else {
                        len = BitUnpacking.readIntLE(b, p);
                        p += 4;
                    }
                    if (len < 0 || p + len > pageLimit) {
                        throw new IllegalStateException("PLAIN byte array runs past the end of its page");
                    }
                    appendData(b, p, len);
                    lengths[at + i] = len;
                    p += len;
                }
                pagePos = p;
            }
            case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
                int[] idx = indices(count);
                copyBinaries(dictBinaries, idx, 0, at, count, true);
            }
            case DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY -> {
                if (materializedPos + count > materializedBinaries.count()) {
                    throw new IllegalStateException(valueEncoding + " page holds fewer values than its levels say");
                }
                copyBinaries(materializedBinaries, null, materializedPos, at, count, false);
                materializedPos += count;
            }
            default -> throw new IllegalStateException("Unsupported encoding " + valueEncoding + " for " + physical);
        }
    }

    /**
     * Appends the values {@code idx[0..count)} of {@code source} (indexed: a dictionary) or its values
     * {@code [first, first + count)}. The lengths come first, so the staging grows once per call and the copy loop
     * needs no capacity check; values of up to 16 bytes (TPC-H's flags and modes) move as two longs, cheaper than a
     * System.arraycopy call each (the dictionary's bytes are padded for that).
     */
    private void copyBinaries(DeltaDecoding.Binaries source, int[] idx, int first, int at, int count, boolean indexed) {
        byte[] src = source.data();
        int[] offsets = source.offsets();
        int[] lens = lengths;
        if (!indexed) {
            for (int i = 0; i < count; i++) {
                lens[at + i] = offsets[first + i + 1] - offsets[first + i];
            }
            appendData(src, offsets[first], offsets[first + count] - offsets[first]); // consecutive values
            return;
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            int k = idx[i];
            int len = offsets[k + 1] - offsets[k];
            lens[at + i] = len;
            total += len;
        }
        ensureData(total + 16);
        byte[] out = data;
        int p = dataLength;
        int srcLimit = src.length - 16;
        for (int i = 0; i < count; i++) {
            int start = offsets[idx[i]];
            int len = lens[at + i];
            moveValue(src, start, len, srcLimit, out, p);
            p += len;
        }
        dataLength = p;
    }

    /**
     * Copies the {@code len} bytes at {@code src[start]} to {@code out[p]}: a value of up to 16 bytes that has 16
     * readable bytes ({@code start <= srcLimit}) as two 8-byte moves, whose bytes past the value are overwritten by
     * the next one or lie past the staged end (the caller leaves 16 bytes of room).
     */
    private static void moveValue(byte[] src, int start, int len, int srcLimit, byte[] out, int p) {
        if (len <= 16 && start <= srcLimit) {
            BitUnpacking.LONG_LE.set(out, p, (long) BitUnpacking.LONG_LE.get(src, start));
            BitUnpacking.LONG_LE.set(out, p + 8, (long) BitUnpacking.LONG_LE.get(src, start + 8));
        } else {
            System.arraycopy(src, start, out, p, len);
        }
    }

    /** Room for {@code more} bytes after the staged data. */
    private void ensureData(long more) {
        if (dataLength + more > data.length) {
            long grown = Math.max((long) data.length * 2, dataLength + more + 1024);
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("Batch of column " + Arrays.toString(descriptor.getPath())
                        + " exceeds 2 GB of values; use smaller batches");
            }
            data = Arrays.copyOf(data, (int) grown);
        }
    }

    private void appendData(byte[] src, int from, int len) {
        ensureData(len);
        System.arraycopy(src, from, data, dataLength, len);
        dataLength += len;
    }

    /** {@link #spreadLengths} for dictionary indexes; a NULL row's index is left as it is (never read). */
    private void spreadIds(int at, int n, int present) {
        int src = at + present - 1;
        for (int row = at + n - 1; row >= at && src >= at; row--) {
            if (defined[row] != 0) {
                ids[row] = ids[src--];
            }
        }
    }

    /**
     * Turns the dictionary indexes of staged rows {@code [0, rows)} into lengths (0 for NULL) and bytes, and leaves
     * the id mode. Short values move as two longs (the dictionary's bytes are padded for that).
     */
    private void materializeIds(int rows) {
        idMode = false;
        byte[] src = dictBinaries.data();
        int[] offsets = dictBinaries.offsets();
        int uniform = uniformLength();
        if (uniform >= 0 && uniform <= 8 && src.length - 8 >= offsets[dictBinaries.count()] - uniform
                && allDefined(rows)) {
            // Every entry has the same short length (flags, modes, codes): one eight-byte move per row, no lengths
            // to sum. The dictionary's bytes are padded, so the move may read past the last entry.
            Arrays.fill(lengths, 0, rows, uniform);
            dataLength = 0;
            ensureData((long) rows * uniform + 16);
            byte[] out = data;
            int[] idx = ids;
            int p = 0;
            for (int i = 0; i < rows; i++) {
                BitUnpacking.LONG_LE.set(out, p, (long) BitUnpacking.LONG_LE.get(src, offsets[idx[i]]));
                p += uniform;
            }
            dataLength = p;
            return;
        }
        int[] lens = lengths;
        long total = 0;
        for (int i = 0; i < rows; i++) {
            int k = ids[i];
            int len = defined[i] == 0 ? 0 : offsets[k + 1] - offsets[k];
            lens[i] = len;
            total += len;
        }
        dataLength = 0;
        ensureData(total + 16);
        byte[] out = data;
        int p = 0;
        int srcLimit = src.length - 16;
        for (int i = 0; i < rows; i++) {
            int len = lens[i];
            if (len == 0) {
                continue;
            }
            int start = offsets[ids[i]];
            moveValue(src, start, len, srcLimit, out, p);
            p += len;
        }
        dataLength = p;
    }

    /** Whether staged rows {@code [0, rows)} are all defined (also in the middle of a batch's decoding). */
    private boolean allDefined(int rows) {
        int undefined = 0;
        for (int i = 0; i < rows; i++) {
            undefined += defined[i] ^ 1;
        }
        return undefined == 0;
    }

    /** The byte length every entry of the current dictionary has, or -1 when they differ (cached per dictionary). */
    private int uniformLength() {
        if (uniformFor != dictBinaries) {
            uniformFor = dictBinaries;
            int[] offsets = dictBinaries.offsets();
            int n = dictBinaries.count();
            int length = n == 0 ? -1 : offsets[1] - offsets[0];
            for (int k = 1; k < n && length >= 0; k++) {
                if (offsets[k + 1] - offsets[k] != length) {
                    length = -1;
                }
            }
            uniformLength = length;
        }
        return uniformLength;
    }

    private void spreadLengths(int at, int n, int present) {
        if (present == 0) {
            Arrays.fill(lengths, at, at + n, 0); // an all-null stretch, as for an unused map or struct field
            return;
        }
        int src = at + present - 1;
        for (int row = at + n - 1; row >= at; row--) {
            if (defined[row] != 0) {
                lengths[row] = lengths[src--];
            } else {
                lengths[row] = 0;
            }
        }
    }

    // ---- Arrow ----

    /**
     * Copies the entries {@code slots[0..count)} (ascending) staged by the last {@link #decode} into
     * {@code vector}, allocating it. Entries left out hold no value (empty or null lists above the leaf), so the
     * staged values are compacted in place.
     */
    void write(FieldVector vector, int[] slots, int count) {
        if (kind == Kind.FIXED && decimal && (count != stagedRows || (count > 0 && slots[count - 1] != count - 1))) {
            writeDecimals(vector, slots, count);
            return;
        }
        if (idMode && (count != stagedRows || (count > 0 && slots[count - 1] != count - 1))) {
            // Only the kept rows' indexes move; their bytes are copied once, by write(vector).
            boolean all = true;
            for (int j = 0; j < count; j++) {
                int e = slots[j];
                ids[j] = ids[e];
                byte d = defined[e];
                defined[j] = d;
                all &= d != 0;
            }
            stagedRows = count;
            stagedAllDefined = all;
        } else if (count != stagedRows || (count > 0 && slots[count - 1] != count - 1)) {
            // Runs of consecutive entries move with one copy each (a filter keeping most rows leaves long runs);
            // short runs move value by value, cheaper than a System.arraycopy call each. When every staged entry is
            // defined the flags are all 1 already and stay in place.
            boolean copyDefined = !stagedAllDefined;
            int entry = 0;
            int entryStart = 0;
            int dataEnd = 0;
            int j = 0;
            while (j < count) {
                int e = slots[j];
                int len = 1;
                while (j + len < count && slots[j + len] == e + len) {
                    len++;
                }
                if (kind == Kind.BINARY) {
                    // The bytes move with their entries: slots ascend, so the copy only ever moves them down. The
                    // lengths are read here before this run's move overwrites any of them.
                    while (entry < e) {
                        entryStart += lengths[entry++];
                    }
                    int bytes = 0;
                    for (int k = e; k < e + len; k++) {
                        bytes += lengths[k];
                    }
                    System.arraycopy(data, entryStart, data, dataEnd, bytes);
                    dataEnd += bytes;
                    entry = e + len;
                    entryStart += bytes;
                }
                if (len >= SHORT_RUN) {
                    if (copyDefined) {
                        System.arraycopy(defined, e, defined, j, len);
                    }
                    switch (kind) {
                        case FIXED -> System.arraycopy(values, e * width, values, j * width, len * width);
                        case BOOLEAN -> System.arraycopy(values, e, values, j, len);
                        case BINARY -> System.arraycopy(lengths, e, lengths, j, len);
                    }
                } else {
                    moveShortRun(e, j, len, copyDefined);
                }
                j += len;
            }
            boolean all = stagedAllDefined;
            if (!all) {
                all = true;
                for (int k = 0; k < count; k++) {
                    all &= defined[k] != 0;
                }
            }
            if (kind == Kind.BINARY) {
                dataLength = dataEnd;
            }
            stagedRows = count;
            stagedAllDefined = all;
        }
        write(vector);
    }

    /** Runs of kept entries shorter than this move value by value rather than with System.arraycopy. */
    private static final int SHORT_RUN = 8;

    /** Moves the staged entries {@code [e, e + len)} to {@code [j, j + len)} ({@code j <= e}) one value at a time. */
    private void moveShortRun(int e, int j, int len, boolean copyDefined) {
        if (copyDefined) {
            for (int k = 0; k < len; k++) {
                defined[j + k] = defined[e + k];
            }
        }
        switch (kind) {
            case FIXED -> {
                byte[] v = values;
                if (width == 4) {
                    for (int k = 0; k < len; k++) {
                        BitUnpacking.INT_LE.set(v, (j + k) * 4, (int) BitUnpacking.INT_LE.get(v, (e + k) * 4));
                    }
                } else if (width == 8) {
                    for (int k = 0; k < len; k++) {
                        BitUnpacking.LONG_LE.set(v, (j + k) * 8, (long) BitUnpacking.LONG_LE.get(v, (e + k) * 8));
                    }
                } else {
                    System.arraycopy(v, e * width, v, j * width, len * width);
                }
            }
            case BOOLEAN -> {
                for (int k = 0; k < len; k++) {
                    values[j + k] = values[e + k];
                }
            }
            case BINARY -> {
                for (int k = 0; k < len; k++) {
                    lengths[j + k] = lengths[e + k];
                }
            }
        }
    }

    /** Copies the rows staged by the last {@link #decode} into {@code vector}, allocating it. */
    void write(FieldVector vector) {
        if (idMode) {
            materializeIds(stagedRows);
        }
        int rows = stagedRows;
        boolean allDefined = stagedAllDefined;
        vector.setInitialCapacity(rows);
        vector.allocateNew();
        int validityBytes = (rows + 7) >>> 3;
        byte[] bits = bits(rows, defined, allDefined);
        vector.getValidityBuffer().setBytes(0, bits, 0, validityBytes);
        switch (kind) {
            case FIXED -> {
                if (decimal) {
                    writeDecimals(vector, rows);
                } else {
                    vector.getDataBuffer().setBytes(0, values, 0, (long) rows * width);
                }
            }
            case BOOLEAN -> {
                byte[] packed = new byte[validityBytes];
                for (int i = 0; i < rows; i++) {
                    packed[i >>> 3] |= (byte) (values[i] << (i & 7));
                }
                vector.getDataBuffer().setBytes(0, packed, 0, validityBytes);
            }
            case BINARY -> {
                BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
                if (v.getDataBuffer().capacity() < dataLength) {
                    v.reallocDataBuffer(dataLength);
                }
                if (offsetScratch.length < (rows + 1) * 4) {
                    offsetScratch = new byte[(rows + 1) * 4];
                }
                byte[] offsets = offsetScratch;
                int end = 0;
                for (int i = 0; i < rows; i++) {
                    end += lengths[i];
                    BitUnpacking.INT_LE.set(offsets, (i + 1) * 4, end);
                }
                v.getOffsetBuffer().setBytes(0, offsets, 0, (rows + 1) * 4L);
                v.getDataBuffer().setBytes(0, data, 0, dataLength);
                v.setLastSet(rows - 1);
            }
        }
        vector.setValueCount(rows);
    }

    /**
     * Writes the staged decimals of entries {@code slots[0..count)} (ascending) into {@code vector}, each
     * sign-extended to 16 bytes as it is gathered: one pass, where compacting the staging first and widening it
     * after would take two (TPC-H Q1 writes four decimal columns of nearly every row). The staging is left as it was.
     */
    private void writeDecimals(FieldVector vector, int[] slots, int count) {
        long bytes = (long) count * 16;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("Batch of column " + Arrays.toString(descriptor.getPath())
                    + " exceeds 2 GB of values; use smaller batches");
        }
        vector.setInitialCapacity(count);
        vector.allocateNew();
        boolean all = stagedAllDefined;
        byte[] flags = null;
        if (!all) {
            if (flagScratch.length < count) {
                flagScratch = new byte[count];
            }
            flags = flagScratch;
            all = true;
            for (int i = 0; i < count; i++) {
                byte d = defined[slots[i]];
                flags[i] = d;
                all &= d != 0;
            }
        }
        vector.getValidityBuffer().setBytes(0, bits(count, flags, all), 0, (count + 7) >>> 3);
        long out = decimalAddress(vector, bytes);
        byte[] in = values;
        if (width == 4) {
            for (int i = 0; i < count; i++) {
                long v = (int) BitUnpacking.INT_LE.get(in, slots[i] * 4);
                MemoryUtil.putLong(out + i * 16L, v);
                MemoryUtil.putLong(out + i * 16L + 8, v >> 63);
            }
        } else {
            for (int i = 0; i < count; i++) {
                long v = (long) BitUnpacking.LONG_LE.get(in, slots[i] * 8);
                MemoryUtil.putLong(out + i * 16L, v);
                MemoryUtil.putLong(out + i * 16L + 8, v >> 63);
            }
        }
        vector.setValueCount(count);
    }

    /**
     * The address of {@code vector}'s data buffer, checked to hold {@code bytes}: the decimal loops write the
     * sign-extended values there directly (one pass over 16 bytes a row, not a heap array copied after).
     */
    private long decimalAddress(FieldVector vector, long bytes) {
        ArrowBuf data = vector.getDataBuffer();
        if (data.capacity() < bytes) {
            throw new IllegalStateException("Decimal vector of column " + Arrays.toString(descriptor.getPath())
                    + " holds " + data.capacity() + " bytes, needs " + bytes);
        }
        return data.memoryAddress();
    }

    /** Sign-extends the staged 4- or 8-byte unscaled values to 16 bytes each, through one bulk copy. */
    private void writeDecimals(FieldVector vector, int rows) {
        long bytes = (long) rows * 16;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("Batch of column " + Arrays.toString(descriptor.getPath())
                    + " exceeds 2 GB of values; use smaller batches");
        }
        long out = decimalAddress(vector, bytes);
        byte[] in = values;
        if (width == 4) {
            for (int i = 0; i < rows; i++) {
                long v = (int) BitUnpacking.INT_LE.get(in, i * 4);
                MemoryUtil.putLong(out + i * 16L, v);
                MemoryUtil.putLong(out + i * 16L + 8, v >> 63);
            }
        } else {
            for (int i = 0; i < rows; i++) {
                long v = (long) BitUnpacking.LONG_LE.get(in, i * 8);
                MemoryUtil.putLong(out + i * 16L, v);
                MemoryUtil.putLong(out + i * 16L + 8, v >> 63);
            }
        }
    }

    /** The validity bitmap of {@code rows} rows (LSB first, as Arrow lays it out). */
    private byte[] bits(int rows, byte[] flags, boolean all) {
        int bytes = (rows + 7) >>> 3;
        if (bitScratch.length < bytes) {
            bitScratch = new byte[bytes];
        }
        byte[] out = bitScratch;
        int full = rows >>> 3;
        if (all) {
            Arrays.fill(out, 0, full, (byte) 0xFF);
            if (bytes > full) {
                out[full] = (byte) ((1 << (rows & 7)) - 1);
            }
            return out;
        }
        for (int b = 0; b < full; b++) {
            int i = b << 3;
            out[b] = (byte) (flags[i] | flags[i + 1] << 1 | flags[i + 2] << 2 | flags[i + 3] << 3
                    | flags[i + 4] << 4 | flags[i + 5] << 5 | flags[i + 6] << 6 | flags[i + 7] << 7);
        }
        if (bytes > full) {
            int v = 0;
            for (int i = full << 3; i < rows; i++) {
                v |= flags[i] << (i & 7);
            }
            out[full] = (byte) v;
        }
        return out;
    }
}
