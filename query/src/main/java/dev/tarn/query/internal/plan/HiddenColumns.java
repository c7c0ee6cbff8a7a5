package dev.tarn.query.internal.plan;

import dev.tarn.txlog.types.StructField;
import java.util.List;

/**
 * Optionally implemented by a {@link dev.tarn.query.internal.catalog.TableHandle} whose table has hidden columns,
 * such as Spark's {@code _metadata} struct: they can be selected by name but are not part of {@code SELECT *} and
 * are never written by INSERT. Hidden column {@code i} is requested from {@code scan} as column index
 * {@code schema().size() + i}.
 */
public interface HiddenColumns {
    List<StructField> hiddenColumns();
}
