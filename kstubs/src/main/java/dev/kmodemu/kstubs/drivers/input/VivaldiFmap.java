package dev.kmodemu.kstubs.drivers.input;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.charset.StandardCharsets;

/**
 * drivers/input/vivaldi-fmap.c: the {@code function_row_physmap} sysfs attribute of ChromeOS
 * Vivaldi keyboards, printed for the drivers that keep a {@code struct vivaldi_data}.
 */
public final class VivaldiFmap {
    private VivaldiFmap() {
    }

    /**
     * ssize_t vivaldi_function_row_physmap_show(const struct vivaldi_data *data, char *buf): the
     * scancodes of the top-row keys as {@code %02X}, space-separated, then a newline; nothing for
     * a keyboard without them.
     */
    @KernelSymbol("vivaldi_function_row_physmap_show")
    static long show(KernelContext k, long data, long buf) {
        AddressSpace m = k.mem();
        int n = m.read32(data + k.off("vivaldi_data_num_function_row_keys"));
        if (n == 0) {
            return 0;
        }
        long physmap = data + k.off("vivaldi_data_function_row_physmap");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n && sb.length() < AddressSpace.PAGE - 1; i++) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format("%02X", Integer.toUnsignedLong(m.read32(physmap + 4L * i))));
        }
        sb.append('\n');
        byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
        int len = (int) Math.min(b.length, AddressSpace.PAGE - 1);
        m.poke(buf, java.util.Arrays.copyOf(b, len));
        m.write8(buf + len, 0);
        return len;
    }
}
