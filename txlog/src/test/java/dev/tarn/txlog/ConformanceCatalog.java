package dev.tarn.txlog;

import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.ExpectedTable.Expectation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Plays the managing catalog of a conformance table whose expectations say {@code "requires": "catalog supplies
 * ratified commits 1 and 2 = the two files in _delta_log/_staged_commits"}: it ratifies exactly the staged commit
 * files of those versions, no more. Any other requirement text fails the test rather than being guessed at.
 */
final class ConformanceCatalog {
    private static final Pattern CATALOG_REQUIREMENT = Pattern.compile(
            "catalog supplies ratified commits ([0-9 ,and]+?) = the (?:\\w+ )?files? in _delta_log/_staged_commits");

    private ConformanceCatalog() {}

    /** The table's log: through its catalog when an expectation requires one, else from the file system alone. */
    static TableLog log(String table) {
        ExpectedTable t = ExpectedTable.named(table);
        LocalFileIO io = new LocalFileIO();
        return catalog(t).map(c -> TableLog.forPath(io, t.tableDir().toString(), c))
                .orElseGet(() -> TableLog.forPath(io, t.tableDir().toString()));
    }

    /** The table's log read from the file system alone, as a catalog-unaware reader would. */
    static TableLog fileSystemLog(String table) {
        return TableLog.forPath(new LocalFileIO(), ExpectedTable.named(table).tableDir().toString());
    }

    static Optional<CatalogCommits> catalog(ExpectedTable t) {
        Optional<CatalogCommits> found = Optional.empty();
        for (Expectation e : t.expectations()) {
            if (!e.json().has("requires")) {
                continue;
            }
            String requires = e.json().get("requires").asText();
            Matcher m = CATALOG_REQUIREMENT.matcher(requires);
            if (!m.matches()) {
                throw new AssertionError(e + ": no catalog for requirement '" + requires + "'");
            }
            TreeSet<Long> versions = new TreeSet<>();
            for (String v : m.group(1).split("\\s*(?:,|and)\\s*")) {
                if (!v.isBlank()) {
                    versions.add(Long.parseLong(v.trim()));
                }
            }
            Path staged = t.tableDir().resolve("_delta_log/_staged_commits");
            List<RatifiedCommit> commits = new ArrayList<>();
            for (long v : versions) {
                String prefix = String.format("%020d.", v);
                List<Path> files;
                try (Stream<Path> s = Files.list(staged)) {
                    files = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                if (files.size() != 1) {
                    throw new AssertionError(e + ": expected one staged commit of version " + v + ", found " + files);
                }
                commits.add(new RatifiedCommit(v, files.get(0).getFileName().toString()));
            }
            found = Optional.of(CatalogCommits.of(versions.last(), commits));
        }
        return found;
    }
}
