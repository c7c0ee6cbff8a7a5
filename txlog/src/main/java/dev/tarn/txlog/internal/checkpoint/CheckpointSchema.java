package dev.tarn.txlog.internal.checkpoint;

import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Parquet schema of checkpoints as Arrow (PROTOCOL.md "Checkpoint Schema"): one nullable struct column per
 * action type, each row holding exactly one action. Tarn writes the columns delta-spark writes for a classic
 * checkpoint (txn, add, remove, metaData, protocol, domainMetadata) and reads those plus the V2 columns
 * (checkpointMetadata, sidecar); columns a file lacks read as null.
 */
public final class CheckpointSchema {
    private CheckpointSchema() {}

    static Field utf8(String name) {
        return Field.nullable(name, ArrowType.Utf8.INSTANCE);
    }

    static Field int64(String name) {
        return Field.nullable(name, new ArrowType.Int(64, true));
    }

    static Field int32(String name) {
        return Field.nullable(name, new ArrowType.Int(32, true));
    }

    static Field bool(String name) {
        return Field.nullable(name, ArrowType.Bool.INSTANCE);
    }

    static Field struct(String name, Field... children) {
        return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(children));
    }

    static Field stringList(String name) {
        return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(utf8("element")));
    }

    static Field stringMap(String name) {
        Field key = new Field("key", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null);
        Field value = utf8("value");
        Field entries = new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(key, value));
        return new Field(name, FieldType.nullable(new ArrowType.Map(false)), List.of(entries));
    }

    static Field deletionVector() {
        return struct("deletionVector", utf8("storageType"), utf8("pathOrInlineDv"), int32("offset"),
                int32("sizeInBytes"), int64("cardinality"), int64("maxRowIndex"));
    }

    public static Field txn() {
        return struct("txn", utf8("appId"), int64("version"), int64("lastUpdated"));
    }

    public static Field add() {
        return struct("add", utf8("path"), stringMap("partitionValues"), int64("size"), int64("modificationTime"),
                bool("dataChange"), utf8("stats"), stringMap("tags"), deletionVector(), int64("baseRowId"),
                int64("defaultRowCommitVersion"), utf8("clusteringProvider"));
    }

    public static Field remove() {
        return struct("remove", utf8("path"), int64("deletionTimestamp"), bool("dataChange"),
                bool("extendedFileMetadata"), stringMap("partitionValues"), int64("size"), stringMap("tags"),
                deletionVector(), int64("baseRowId"), int64("defaultRowCommitVersion"));
    }

    public static Field metaData() {
        return struct("metaData", utf8("id"), utf8("name"), utf8("description"),
                struct("format", utf8("provider"), stringMap("options")), utf8("schemaString"),
                stringList("partitionColumns"), stringMap("configuration"), int64("createdTime"));
    }

    public static Field protocol() {
        return struct("protocol", int32("minReaderVersion"), int32("minWriterVersion"),
                stringList("readerFeatures"), stringList("writerFeatures"));
    }

    public static Field domainMetadata() {
        return struct("domainMetadata", utf8("domain"), utf8("configuration"), bool("removed"));
    }

    public static Field checkpointMetadata() {
        return struct("checkpointMetadata", int64("version"), stringMap("tags"));
    }

    public static Field sidecar() {
        return struct("sidecar", utf8("path"), int64("sizeInBytes"), int64("modificationTime"), stringMap("tags"));
    }

    /** What Tarn writes in a classic checkpoint. */
    public static Schema writeSchema() {
        return new Schema(List.of(txn(), add(), remove(), metaData(), protocol(), domainMetadata()));
    }

    /** What Tarn reads from any Parquet checkpoint or sidecar. */
    public static Schema readSchema() {
        return new Schema(List.of(txn(), add(), remove(), metaData(), protocol(), domainMetadata(),
                checkpointMetadata(), sidecar()));
    }
}
