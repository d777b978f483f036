package dev.kmodemu.cli;

/** What one shell command printed and its exit status. */
public record CommandResult(String command, int status, String stdout, String stderr) {
}
