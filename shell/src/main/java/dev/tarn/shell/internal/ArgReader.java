package dev.tarn.shell.internal;

import java.util.List;

/** Walks command-line arguments, accepting {@code --opt value} and {@code --opt=value}. */
public final class ArgReader {
    private final List<String> args;
    private final String command;
    private int next;
    private String inlineValue;

    public ArgReader(List<String> args, String command) {
        this.args = List.copyOf(args);
        this.command = command;
    }

    public boolean hasNext() {
        return next < args.size();
    }

    /** The next option name (the part before {@code =} for {@code --opt=value}). */
    public String nextOption() {
        String a = args.get(next++);
        inlineValue = null;
        if (a.startsWith("--")) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                inlineValue = a.substring(eq + 1);
                return a.substring(0, eq);
            }
        }
        return a;
    }

    /** The value of the option just read. */
    public String value(String option) throws UsageException {
        if (inlineValue != null) {
            String v = inlineValue;
            inlineValue = null;
            return v;
        }
        if (next >= args.size()) {
            throw new UsageException(command + ": option " + option + " needs a value");
        }
        return args.get(next++);
    }

    /** Fails when a flag was given a value ({@code --timing=x}). */
    public void noValue(String option) throws UsageException {
        if (inlineValue != null) {
            throw new UsageException(command + ": option " + option + " takes no value");
        }
    }
}
