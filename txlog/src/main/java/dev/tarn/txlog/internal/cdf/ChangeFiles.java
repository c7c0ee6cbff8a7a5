package dev.tarn.txlog.internal.cdf;

import dev.tarn.txlog.ChangeFile;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddCdcFile;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.internal.LogPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The files a change-data reader reads for one commit (PROTOCOL.md "Reader Requirements for AddCDCFile"): the
 * {@code cdc} files when the commit has any; otherwise its {@code add} and {@code remove} actions with
 * {@code dataChange=true} as inserts and deletes, where an add and a remove of the same file are a change of its
 * deletion vector ("Deletion Vectors") rather than a delete of all its rows followed by an insert.
 */
public final class ChangeFiles {
    private ChangeFiles() {}

    public static List<ChangeFile> of(String tableLocation, List<Action> actions) {
        List<ChangeFile> cdc = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof AddCdcFile c) {
                cdc.add(new ChangeFile(ChangeFile.Kind.CHANGE_DATA, c.path(), LogPaths.resolve(tableLocation, c.path()),
                        c.partitionValues(), c.size(), null, null, null));
            }
        }
        if (!cdc.isEmpty()) {
            return cdc;
        }
        // Keyed by resolved location, so relative and absolute spellings of one file pair up.
        Map<String, RemoveFile> removes = new LinkedHashMap<>();
        for (Action a : actions) {
            if (a instanceof RemoveFile r && r.dataChange()) {
                removes.put(LogPaths.resolve(tableLocation, r.path()), r);
            }
        }
        List<ChangeFile> out = new ArrayList<>();
        for (Action a : actions) {
            if (!(a instanceof AddFile add) || !add.dataChange()) {
                continue;
            }
            String location = LogPaths.resolve(tableLocation, add.path());
            RemoveFile removed = removes.remove(location);
            if (removed == null) {
                out.add(new ChangeFile(ChangeFile.Kind.ADDED, add.path(), location, add.partitionValues(), add.size(),
                        add.deletionVector(), null, add.stats()));
            } else if (!Objects.equals(id(removed.deletionVector()), id(add.deletionVector()))) {
                out.add(new ChangeFile(ChangeFile.Kind.DELETION_VECTOR_CHANGED, add.path(), location,
                        add.partitionValues(), add.size(), add.deletionVector(), removed.deletionVector(), add.stats()));
            }
            // The same file re-added with the same deletion vector changes no rows.
        }
        for (Map.Entry<String, RemoveFile> e : removes.entrySet()) {
            RemoveFile r = e.getValue();
            out.add(new ChangeFile(ChangeFile.Kind.REMOVED, r.path(), e.getKey(),
                    r.partitionValues() == null ? Map.of() : r.partitionValues(), r.size() == null ? 0 : r.size(),
                    r.deletionVector(), null, r.stats()));
        }
        return out;
    }

    private static String id(DeletionVectorDescriptor dv) {
        return dv == null ? null : dv.uniqueId();
    }
}
