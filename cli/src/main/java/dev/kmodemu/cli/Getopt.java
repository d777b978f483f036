package dev.kmodemu.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code getopt_long()} as glibc runs it for the kmod and coreutils tools the shell imitates:
 * options may follow operands (argv is permuted), "--" ends options, short options cluster
 * ({@code -fv}), an option argument is attached or the next word, long options may be
 * abbreviated to a unique prefix, and errors read as glibc prints them.
 */
final class Getopt {
    /** One parsed option: its short letter (or the long name's letter) and its argument, or null. */
    record Opt(char name, String arg) {
    }

    /** The options in order and the operands in order. */
    record Result(List<Opt> options, List<String> operands) {
        boolean has(char c) {
            return options.stream().anyMatch(o -> o.name() == c);
        }

        /** The argument of the last occurrence of {@code c}, or null. */
        String last(char c) {
            String v = null;
            for (Opt o : options) {
                if (o.name() == c) {
                    v = o.arg();
                }
            }
            return v;
        }
    }

    /** Thrown with glibc's message (without the trailing newline). */
    static final class Error extends Exception {
        Error(String message) {
            super(message, null, false, false);
        }
    }

    private Getopt() {
    }

    /**
     * @param prog the program name messages start with
     * @param shortOpts glibc syntax: letters, ':' after a letter that takes an argument
     * @param longOpts long name → its letter; a name ending in '=' takes an argument
     */
    static Result parse(String prog, List<String> args, String shortOpts, Map<String, Character> longOpts)
            throws Error {
        List<Opt> opts = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (a.startsWith("--")) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                String match = null;
                boolean ambiguous = false;
                for (String l : longOpts.keySet()) {
                    String ln = l.endsWith("=") ? l.substring(0, l.length() - 1) : l;
                    if (ln.equals(name)) {
                        match = l;
                        ambiguous = false;
                        break;
                    }
                    if (ln.startsWith(name)) {
                        ambiguous = match != null;
                        match = l;
                    }
                }
                if (match == null) {
                    throw new Error(prog + ": unrecognized option '--" + name + "'");
                }
                if (ambiguous) {
                    throw new Error(prog + ": option '--" + name + "' is ambiguous");
                }
                boolean takesArg = match.endsWith("=");
                String ln = takesArg ? match.substring(0, match.length() - 1) : match;
                String arg = null;
                if (takesArg) {
                    if (eq >= 0) {
                        arg = body.substring(eq + 1);
                    } else if (i + 1 < args.size()) {
                        arg = args.get(++i);
                    } else {
                        throw new Error(prog + ": option '--" + ln + "' requires an argument");
                    }
                } else if (eq >= 0) {
                    throw new Error(prog + ": option '--" + ln + "' doesn't allow an argument");
                }
                opts.add(new Opt(longOpts.get(match), arg));
                continue;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                operands.add(a);
                continue;
            }
            for (int j = 1; j < a.length(); j++) {
                char c = a.charAt(j);
                int at = shortOpts.indexOf(c);
                if (at < 0 || c == ':') {
                    throw new Error(prog + ": invalid option -- '" + c + "'");
                }
                if (at + 1 < shortOpts.length() && shortOpts.charAt(at + 1) == ':') {
                    String arg;
                    if (j + 1 < a.length()) {
                        arg = a.substring(j + 1);
                    } else if (i + 1 < args.size()) {
                        arg = args.get(++i);
                    } else {
                        throw new Error(prog + ": option requires an argument -- '" + c + "'");
                    }
                    opts.add(new Opt(c, arg));
                    break;
                }
                opts.add(new Opt(c, null));
            }
        }
        return new Result(opts, operands);
    }
}
