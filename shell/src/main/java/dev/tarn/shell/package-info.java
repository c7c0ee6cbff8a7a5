/**
 * The {@code tarn} command line ({@link dev.tarn.shell.Main}): the interactive shell (JLine) and the {@code sql}
 * subcommand. Commands, renderers (one class per output format), the statement splitter and the shell loop live in
 * {@code dev.tarn.shell.internal}; a new subcommand implements {@code Command} and is registered in {@code Main}.
 */
package dev.tarn.shell;
