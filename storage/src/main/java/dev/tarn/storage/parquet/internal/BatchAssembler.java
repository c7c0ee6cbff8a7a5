package dev.tarn.storage.parquet.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReadStore;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the planned leaf columns of one row group batch by batch and rebuilds the requested Arrow columns.
 *
 * <p>Leaves read as their own Arrow representation are decoded page by page by {@link PageColumnReader} when their
 * chunk uses only encodings it knows; the rest (conversions, other encodings, leaves read only for the levels of a
 * struct or list none of whose fields is read) goes through parquet-java's column reader. {@link ReadNode} rebuilds
 * structs, lists and maps from the levels either way. System property {@value #PAGE_DECODER_PROPERTY}
 * {@code =false} turns the page decoder off, for comparison and as a fallback.
 */
public final class BatchAssembler {
    public static final String PAGE_DECODER_PROPERTY = "tarn.parquet.pageDecoder";

    /** Where the parts of this file share decoded dictionaries, or null (see {@link #shareDictionaries}). */
    private dev.tarn.storage.parquet.DictionaryCache dictionaries;
    private String dictionaryFile;
    private final ReadPlan plan;
    private final MessageType fileSchema;
    private final String createdBy;
    /** Leaves the page decoder can read (flat, read without conversion, used once), with their decoders. */
    private final List<ReadNode.Leaf> pageLeaves = new ArrayList<>();
    private final List<PageColumnReader> pageReaders = new ArrayList<>();
    /** Per page leaf: inside a struct, list or map, so its levels are kept for the validity and sizes above it. */
    private final List<Boolean> keepLevels = new ArrayList<>();
    /** Per leaf id: read through parquet-java's column reader in the current row group. */
    private final boolean[] leafActive;

    public BatchAssembler(ReadPlan plan, MessageType fileSchema, String createdBy) {
        this.plan = plan;
        this.fileSchema = fileSchema;
        this.createdBy = createdBy;
        this.leafActive = new boolean[plan.leaves().size()];
        if (!"false".equalsIgnoreCase(System.getProperty(PAGE_DECODER_PROPERTY))) {
            int[] uses = new int[plan.leaves().size()];
            for (ReadNode n : plan.columns()) {
                for (LeafColumn l : n.leaves) {
                    uses[l.id]++;
                }
            }
            for (ReadNode n : plan.columns()) {
                collectPageLeaves(n, false, uses);
            }
        }
    }

    private void collectPageLeaves(ReadNode node, boolean inStruct, int[] uses) {
        if (node instanceof ReadNode.Leaf leaf) {
            LeafColumn column = leaf.leaves.get(0);
            PageColumnReader reader = uses[column.id] == 1 ? PageColumnReader.forColumn(column.descriptor, leaf.type) : null;
            if (reader != null) {
                pageLeaves.add(leaf);
                pageReaders.add(reader);
                keepLevels.add(inStruct);
            }
        } else if (node instanceof ReadNode.Struct struct) {
            for (ReadNode child : struct.children()) {
                collectPageLeaves(child, true, uses);
            }
        } else if (node instanceof ReadNode.Repeated repeated) {
            collectPageLeaves(repeated.element(), true, uses);
        }
    }

    /**
     * Makes the page decoders take each row group's dictionaries from {@code cache}, shared with the readers of the
     * file's other parts ({@code file} names the file there).
     */
    public void shareDictionaries(dev.tarn.storage.parquet.DictionaryCache cache, String file) {
        this.dictionaries = java.util.Objects.requireNonNull(cache, "cache is null");
        this.dictionaryFile = java.util.Objects.requireNonNull(file, "file is null");
    }

    public boolean needsColumns() {
        return !plan.leaves().isEmpty();
    }

    /** Starts row group {@code block}, whose pages are {@code pages}. */
    public void startRowGroup(PageReadStore pages, BlockMetaData block) {
        startRowGroup(pages, block, 0);
    }

    /**
     * True when every leaf read from {@code block} goes through the page decoder, so a row range of the group can
     * be read from only the pages it overlaps ({@link #startRowGroup(PageReadStore, BlockMetaData, long)}).
     */
    public boolean pageDecodesAll(BlockMetaData block) {
        if (pageLeaves.size() != plan.leaves().size()) {
            return false;
        }
        for (PageColumnReader reader : pageReaders) {
            ColumnChunkMetaData chunk = chunkOf(block, reader.descriptor());
            if (chunk == null || !PageColumnReader.supportsEncodings(chunk.getEncodings())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Starts row group {@code block} at its row {@code firstRow}: {@code pages} then hold only the pages from the
     * one containing that row (parquet-java's filtered row-group read, pages carrying their first row index), and
     * each column passes over the rows of its first page before it. A range inside a group needs
     * {@link #pageDecodesAll}.
     */
    public void startRowGroup(PageReadStore pages, BlockMetaData block, long firstRow) {
        if (firstRow > 0 && !pageDecodesAll(block)) {
            throw new IllegalStateException("Row group read from row " + firstRow + " without the page decoder");
        }
        java.util.Arrays.fill(leafActive, true);
        for (int i = 0; i < pageLeaves.size(); i++) {
            ReadNode.Leaf leaf = pageLeaves.get(i);
            PageColumnReader reader = pageReaders.get(i);
            ColumnDescriptor d = reader.descriptor();
            ColumnChunkMetaData chunk = chunkOf(block, d);
            if (chunk != null && PageColumnReader.supportsEncodings(chunk.getEncodings())) {
                reader.shareDictionaries(dictionaries, dictionaryFile, block.getOrdinal());
                reader.startRowGroup(pages.getPageReader(d), firstRow, keepLevels.get(i) ? leaf.leaves.get(0) : null);
                leaf.pages = reader;
                leafActive[leaf.leaves.get(0).id] = false;
            } else {
                leaf.pages = null;
            }
        }
        ColumnReadStore store = null;
        for (LeafColumn leaf : plan.leaves()) {
            if (leafActive[leaf.id]) {
                if (store == null) {
                    store = new ColumnReadStoreImpl(pages, new IgnoringGroupConverter(), fileSchema, createdBy);
                }
                leaf.startRowGroup(store.getColumnReader(leaf.descriptor));
            }
        }
    }

    private static ColumnChunkMetaData chunkOf(BlockMetaData block, ColumnDescriptor d) {
        ColumnPath path = ColumnPath.get(d.getPath());
        for (ColumnChunkMetaData c : block.getColumns()) {
            if (c.getPath().equals(path)) {
                return c;
            }
        }
        return null;
    }

    /** Fills the first {@code plan.columns().size()} vectors of {@code root} with the next {@code rows} rows. */
    public void readBatch(VectorSchemaRoot root, int rows) {
        List<LeafColumn> leaves = plan.leaves();
        LeafColumn[] byId = leaves.toArray(new LeafColumn[0]);
        for (LeafColumn leaf : leaves) {
            if (leafActive[leaf.id]) {
                leaf.readRecords(rows);
            }
        }
        for (int i = 0; i < pageLeaves.size(); i++) {
            ReadNode.Leaf leaf = pageLeaves.get(i);
            if (leaf.pages != null) {
                leaf.pages.decode(rows, keepLevels.get(i) ? leaf.leaves.get(0) : null);
            }
        }
        List<ReadNode> columns = plan.columns();
        for (int c = 0; c < columns.size(); c++) {
            int[][] slots = new int[byId.length][];
            ReadNode node = columns.get(c);
            for (LeafColumn leaf : node.leaves) {
                slots[leaf.id] = leaf.topLevelSlots(rows);
            }
            node.assemble(root.getVector(c), byId, slots, rows);
        }
    }

    /**
     * True when every requested column of the current row group is a flat column read by the page decoder (or
     * missing from the file), so columns can be decoded one at a time and only the rows a filter keeps written:
     * see {@link #decodeColumn}, {@link #writeColumn} and {@link #skipColumn}.
     */
    public boolean columnsSeparable() {
        for (ReadNode node : plan.columns()) {
            if (node instanceof ReadNode.Missing) {
                continue;
            }
            if (!(node instanceof ReadNode.Leaf leaf) || leaf.pages == null) {
                return false;
            }
        }
        return true;
    }

    /** Decodes the next {@code rows} rows of column {@code c} into its decoder's staging (separable columns). */
    public void decodeColumn(int c, int rows) {
        if (plan.columns().get(c) instanceof ReadNode.Leaf leaf) {
            leaf.pages.decode(rows, null);
        }
    }

    /**
     * As {@link #decodeColumn(int, int)} when only rows {@code selection[0..count)} of the batch will be written
     * (separable columns): values the decoder would have to look up are looked up only for them.
     */
    public void decodeColumn(int c, int rows, int[] selection, int count) {
        if (plan.columns().get(c) instanceof ReadNode.Leaf leaf) {
            leaf.pages.decode(rows, selection, count);
        }
    }

    /**
     * The values of column {@code c} staged by the last {@link #decodeColumn}, or null when the column is missing
     * from the file (separable columns).
     */
    public dev.tarn.storage.parquet.StagedColumn staged(int c) {
        return plan.columns().get(c) instanceof ReadNode.Leaf leaf ? leaf.pages : null;
    }

    private static final int[] NO_ROWS = new int[0];

    /** Passes over the next {@code rows} rows of column {@code c} without writing them anywhere. */
    public void skipColumn(int c, int rows) {
        decodeColumn(c, rows, NO_ROWS, 0);
    }

    /**
     * Writes the rows {@code selection[0..count)} (ascending) of column {@code c}'s last decoded batch of
     * {@code rows} rows into {@code vector}; a null selection writes them all.
     */
    public void writeColumn(int c, FieldVector vector, int rows, int[] selection, int count) {
        ReadNode node = plan.columns().get(c);
        if (node instanceof ReadNode.Leaf leaf) {
            if (selection == null) {
                leaf.pages.write(vector);
            } else {
                leaf.pages.write(vector, selection, count);
            }
        } else {
            node.assemble(vector, null, null, selection == null ? rows : count);
        }
    }

    /** Gives the page readers' staging arrays back for other readers of this thread (after the last batch). */
    public void release() {
        for (PageColumnReader reader : pageReaders) {
            if (reader != null) {
                reader.release();
            }
        }
    }

    public static VectorSchemaRoot allocate(Schema schema, org.apache.arrow.memory.BufferAllocator allocator) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        for (FieldVector v : root.getFieldVectors()) {
            v.setInitialCapacity(1);
        }
        return root;
    }

    /** Column readers need a converter tree; Tarn reads values directly, so every converter ignores its input. */
    private static final class IgnoringGroupConverter extends GroupConverter {
        private final PrimitiveConverter primitive = new PrimitiveConverter() {};

        @Override
        public Converter getConverter(int fieldIndex) {
            return new CompositeConverter();
        }

        @Override
        public void start() {}

        @Override
        public void end() {}

        private final class CompositeConverter extends GroupConverter {
            @Override
            public Converter getConverter(int fieldIndex) {
                return new CompositeConverter();
            }

            @Override
            public boolean isPrimitive() {
                return false;
            }

            @Override
            public PrimitiveConverter asPrimitiveConverter() {
                return primitive;
            }

            @Override
            public void start() {}

            @Override
            public void end() {}
        }
    }
}
