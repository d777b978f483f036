package dev.kmodemu.loader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code .modinfo} section: {@code tag=value} strings separated by NULs, in file order, as
 * {@code get_modinfo()} and kmod's modinfo read them.
 */
public final class ModInfo {
    private final List<Map.Entry<String, String>> entries;

    private ModInfo(List<Map.Entry<String, String>> entries) {
        this.entries = entries;
    }

    /** Parses section contents; strings without '=' are kept with an empty value, as kmod does. */
    public static ModInfo parse(byte[] section) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        int i = 0;
        while (i < section.length) {
            if (section[i] == 0) {
                i++;
                continue;
            }
            int end = i;
            while (end < section.length && section[end] != 0) {
                end++;
            }
            String s = new String(section, i, end - i, StandardCharsets.UTF_8);
            int eq = s.indexOf('=');
            out.add(eq < 0 ? Map.entry(s, "") : Map.entry(s.substring(0, eq), s.substring(eq + 1)));
            i = end;
        }
        return new ModInfo(List.copyOf(out));
    }

    /** An empty table, for objects without {@code .modinfo}. */
    public static ModInfo empty() {
        return new ModInfo(List.of());
    }

    /** The first value of {@code tag}, or null. */
    public String get(String tag) {
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equals(tag)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Every value of {@code tag}, in file order. */
    public List<String> getAll(String tag) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equals(tag)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** All entries in file order. */
    public List<Map.Entry<String, String>> entries() {
        return entries;
    }
}
