package dev.kmodemu.loader.kmod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@link Depmod#run} produced.
 *
 * @param ok depmod's exit status would be 0 (false after a cycle or a fatal error)
 * @param files file name to contents, in the order depmod writes them; empty after a cycle
 * @param messages depmod's stderr lines, e.g. {@code depmod: WARNING: could not open modules.order at ...}
 */
public record DepmodResult(boolean ok, Map<String, byte[]> files, List<String> messages) {
    public DepmodResult {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        messages = List.copyOf(messages);
    }

    /** A written file as text (one char per byte), or null if depmod did not write it. */
    public String text(String name) {
        byte[] b = files.get(name);
        return b == null ? null : KmodStrings.latin1(b, 0, b.length);
    }

    /**
     * Writes the files into {@code dir} as depmod does: each to a temporary name in the directory,
     * then renamed over the old one, so a reader never sees a half-written index.
     */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path tmp = dir.resolve(e.getKey() + "." + ProcessHandle.current().pid() + "." + System.nanoTime());
            Files.write(tmp, e.getValue());
            Files.move(tmp, dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
