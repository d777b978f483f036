package dev.kmodemu.kstubs;

import java.util.List;

/**
 * One call module code made to a kernel function, as {@code --trace} shows it: the symbol, its
 * arguments decoded (strings quoted, gfp flags and caches named, sizes in decimal, pointers in
 * hex; {@code ...} for variable arguments), and its result ({@code -12 ENOMEM} for errors, null
 * for a {@code void} function, {@code ?} if the call did not return: an oops, a killed task).
 *
 * @param caller the return address as {@code %pS} prints it ({@code hello_init+0x1c/0x40 [hello]})
 */
public record KernelCall(String symbol, List<String> args, String result, String caller) {
    public KernelCall {
        args = List.copyOf(args);
    }

    @Override
    public String toString() {
        return symbol + "(" + String.join(", ", args) + ")" + (result == null ? "" : " = " + result);
    }
}
