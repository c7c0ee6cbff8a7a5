package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.Map;
import java.util.function.Function;

/**
 * One table property that steers {@link MaintainTask}: its key, default, parser and meaning. The instances are in
 * {@link MaintainSettings}.
 *
 * @param key the table property ({@code tarn.maintain.*})
 * @param defaultValue used when the table does not set the property
 * @param parser turns the property text into a value; throws IllegalArgumentException on bad text
 * @param description what the setting does, for documentation and {@code --help}
 * @param <T> the value type
 */
public record MaintainSetting<T>(String key, T defaultValue, Function<String, T> parser, String description) {
    public MaintainSetting {
        requireNonNull(key, "key is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(parser, "parser is null");
        requireNonNull(description, "description is null");
    }

    /** The table's value, else the default; a value that does not parse is an INVALID_TABLE_PROPERTY error. */
    public T read(Map<String, String> configuration, String table) {
        String text = configuration.get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            return requireNonNull(parser.apply(text.trim()), "parser returned null");
        } catch (IllegalArgumentException e) {
            throw new TarnException(ErrorCode.INVALID_TABLE_PROPERTY, "Table " + table + " has an invalid " + key
                    + " '" + text + "': " + e.getMessage() + " (" + description + ")", e);
        }
    }
}
