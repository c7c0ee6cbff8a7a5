package dev.tarn.storage.parquet.internal;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;

/**
 * Binds a requested Arrow schema to a file's Parquet schema: which leaf columns to read and how to rebuild each
 * requested field from them. Fields are matched by Parquet field id when the requested field carries
 * {@code PARQUET:field_id} and the file has ids, otherwise by exact name; unmatched fields read as nulls.
 */
public final class ReadPlan {
    private final MessageType fileSchema;
    private final String file;
    private final List<LeafColumn> leaves = new ArrayList<>();
    private final Map<String, Integer> leafIds = new HashMap<>();
    private final List<ReadNode> columns = new ArrayList<>();
    private final List<Field> requested;

    public ReadPlan(Schema requested, MessageType fileSchema, String file) {
        this.fileSchema = fileSchema;
        this.file = file;
        this.requested = List.copyOf(requested.getFields());
        for (Field f : requested.getFields()) {
            Type t = match(fileSchema, f);
            columns.add(t == null ? new ReadNode.Missing() : build(f, t, 0, 0, false, List.of()));
        }
    }

    public List<ReadNode> columns() {
        return columns;
    }

    /** The requested field of column {@code i}. */
    Field requestedField(int i) {
        return requested.get(i);
    }

    public List<LeafColumn> leaves() {
        return leaves;
    }

    public List<ColumnDescriptor> descriptors() {
        List<ColumnDescriptor> result = new ArrayList<>();
        for (LeafColumn l : leaves) {
            result.add(l.descriptor);
        }
        return result;
    }

    private static Type match(GroupType group, Field requested) {
        Integer id = ParquetSchemas.fieldId(requested);
        if (id != null) {
            boolean fileHasIds = false;
            for (Type t : group.getFields()) {
                if (t.getId() != null) {
                    fileHasIds = true;
                    if (t.getId().intValue() == id) {
                        return t;
                    }
                }
            }
            if (fileHasIds) {
                return null;
            }
        }
        return group.containsField(requested.getName()) ? group.getType(requested.getName()) : null;
    }

    private ReadNode build(Field req, Type t, int parentDef, int parentRep, boolean isRepeatedElement,
                           List<String> parentPath) {
        List<String> path = new ArrayList<>(parentPath);
        path.add(t.getName());
        ArrowType.ArrowTypeID kind = req.getType().getTypeID();
        if (kind == ArrowType.ArrowTypeID.Null) {
            return new ReadNode.Missing();
        }
        if (t.isRepetition(Repetition.REPEATED) && !isRepeatedElement) {
            // An unannotated repeated field: a never-null list of required elements.
            if (kind != ArrowType.ArrowTypeID.List) {
                throw mismatch(req, t, path);
            }
            ReadNode element = build(req.getChildren().get(0), t, parentDef + 1, parentRep + 1, true, parentPath);
            return repeated(element, t, path, parentDef, parentDef + 1, parentRep + 1);
        }
        int def = isRepeatedElement || t.isRepetition(Repetition.REQUIRED) ? parentDef : parentDef + 1;
        switch (kind) {
            case Struct: {
                if (t.isPrimitive() || isListOrMap(t)) {
                    throw mismatch(req, t, path);
                }
                GroupType g = t.asGroupType();
                List<ReadNode> children = new ArrayList<>();
                List<LeafColumn> subtree = new ArrayList<>();
                for (Field c : req.getChildren()) {
                    Type ct = match(g, c);
                    ReadNode n = ct == null ? new ReadNode.Missing() : build(c, ct, def, parentRep, false, path);
                    children.add(n);
                    subtree.addAll(n.leaves);
                }
                if (subtree.isEmpty()) {
                    subtree.add(anchor(t, path));
                }
                return new ReadNode.Struct(subtree, idOf(subtree.get(0)), def, children);
            }
            case List: {
                if (t.isPrimitive() || !(t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)
                        || t.asGroupType().getFieldCount() != 1 || !t.asGroupType().getType(0).isRepetition(Repetition.REPEATED)) {
                    throw mismatch(req, t, path);
                }
                GroupType g = t.asGroupType();
                Type repeatedType = g.getType(0);
                Type elementType = ParquetSchemas.listElement(g);
                Field reqElement = req.getChildren().get(0);
                ReadNode element = elementType == repeatedType
                        ? build(reqElement, repeatedType, def + 1, parentRep + 1, true, path)
                        : build(reqElement, elementType, def + 1, parentRep + 1, false, append(path, repeatedType.getName()));
                return repeated(element, t, path, def, def + 1, parentRep + 1);
            }
            case Map: {
                if (t.isPrimitive() || t.asGroupType().getFieldCount() != 1 || t.asGroupType().getType(0).isPrimitive()
                        || t.asGroupType().getType(0).asGroupType().getFieldCount() != 2) {
                    throw mismatch(req, t, path);
                }
                GroupType kv = t.asGroupType().getType(0).asGroupType();
                List<String> kvPath = append(path, kv.getName());
                Field entries = req.getChildren().get(0);
                ReadNode key = build(entries.getChildren().get(0), kv.getType(0), def + 1, parentRep + 1, false, kvPath);
                ReadNode value = build(entries.getChildren().get(1), kv.getType(1), def + 1, parentRep + 1, false, kvPath);
                List<LeafColumn> subtree = new ArrayList<>(key.leaves);
                subtree.addAll(value.leaves);
                ReadNode entriesNode = new ReadNode.Struct(subtree, idOf(subtree.get(0)), def + 1, List.of(key, value));
                return repeated(entriesNode, t, path, def, def + 1, parentRep + 1);
            }
            default: {
                if (!t.isPrimitive()) {
                    throw mismatch(req, t, path);
                }
                LeafColumn leaf = leaf(path);
                LeafDecoder decoder = LeafDecoder.create(req.getType(), t.asPrimitiveType(), file, String.join(".", path));
                return new ReadNode.Leaf(leaf, idOf(leaf), decoder, req.getType());
            }
        }
    }

    private ReadNode repeated(ReadNode element, Type t, List<String> path, int presentDef, int elementDef, int elementRep) {
        List<LeafColumn> subtree = new ArrayList<>(element.leaves);
        if (subtree.isEmpty()) {
            subtree.add(anchor(t, path));
        }
        int[] ids = new int[subtree.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = idOf(subtree.get(i));
        }
        return new ReadNode.Repeated(subtree, ids, ids[0], presentDef, elementDef, elementRep, element);
    }

    private static boolean isListOrMap(Type t) {
        LogicalTypeAnnotation lt = t.getLogicalTypeAnnotation();
        return lt instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
                || lt instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || lt instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
    }

    private static List<String> append(List<String> path, String name) {
        List<String> result = new ArrayList<>(path);
        result.add(name);
        return result;
    }

    /** The first leaf below {@code t}, read only for its levels (a struct or list none of whose fields is read). */
    private LeafColumn anchor(Type t, List<String> path) {
        Type cur = t;
        List<String> p = new ArrayList<>(path);
        while (!cur.isPrimitive()) {
            cur = cur.asGroupType().getType(0);
            p.add(cur.getName());
        }
        return leaf(p);
    }

    private LeafColumn leaf(List<String> path) {
        String key = String.join("\u0000", path);
        Integer id = leafIds.get(key);
        if (id != null) {
            return leaves.get(id);
        }
        ColumnDescriptor d = fileSchema.getColumnDescription(path.toArray(new String[0]));
        LeafColumn leaf = new LeafColumn(d, leaves.size());
        leafIds.put(key, leaves.size());
        leaves.add(leaf);
        return leaf;
    }

    private static int idOf(LeafColumn leaf) {
        return leaf.id;
    }

    private TarnException mismatch(Field req, Type t, List<String> path) {
        return new TarnException(ErrorCode.TYPE_MISMATCH, "Column " + String.join(".", path) + " of " + file
                + " has Parquet type " + t.toString().trim() + " and cannot be read as " + req.getType());
    }
}
