package dev.kmodemu.loader.kmod;

import java.util.ArrayList;
import java.util.List;

/**
 * The stderr lines of a kmod tool as {@code tools/log.c} prints them: {@code PROGRAM: LEVEL: text},
 * one entry per output line (a message whose text holds newlines gives several lines, as on a
 * terminal). Only the levels printed at the default verbosity are recorded.
 */
final class DepmodLog {
    private final String program;
    private final List<String> lines = new ArrayList<>();

    DepmodLog(String program) {
        this.program = program;
    }

    void crit(String text) {
        add("FATAL", text);
    }

    void err(String text) {
        add("ERROR", text);
    }

    void warn(String text) {
        add("WARNING", text);
    }

    private void add(String level, String text) {
        KmodStrings.addLines(lines, program + ": " + level + ": " + text);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
