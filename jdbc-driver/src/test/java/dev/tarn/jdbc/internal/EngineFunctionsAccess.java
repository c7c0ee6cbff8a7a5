package dev.tarn.jdbc.internal;

import java.util.List;

/** Test access to {@link EngineFunctions}' samples: {name, sample} pairs. */
public final class EngineFunctionsAccess {
    private EngineFunctionsAccess() {}

    public static List<String[]> all() {
        return EngineFunctions.ALL.stream().map(f -> new String[] {f.name(), f.sample()}).toList();
    }
}
