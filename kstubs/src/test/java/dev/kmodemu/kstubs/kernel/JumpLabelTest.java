package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytes kmodemu writes into module text for static keys (arch/x86/kernel/jump_label.c) and
 * inline static calls (arch/x86/kernel/static_call.c): each {@code __jump_table} site holds
 * {@code jmp target} (2 or 5 bytes) when its branch is taken and the NOP of the same size when
 * not, and follows its key when the key changes, also for keys of another module; each
 * {@code .static_call_sites} site calls the key's function directly (a NOP for NULL).
 */
class JumpLabelTest {
    Kernel k;
    KernelContext c;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
        c = k.context();
    }

    @AfterEach
    void close() {
        k.close();
    }

    private Module module(String name) {
        return k.modules().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /** One __jump_table entry, read as jump_entry_code/target/key do. */
    private record Entry(long code, long target, long key, boolean branch, boolean init) {
    }

    private List<Entry> entries(Module m) {
        AddressSpace mem = c.mem();
        List<Entry> out = new ArrayList<>();
        long start = m.sectionAddress("__jump_table");
        for (long e = start; e < start + m.sectionSize("__jump_table"); e += 16) {
            long key = mem.read64(e + 8);
            out.add(new Entry(e + mem.read32(e), e + 4 + mem.read32(e + 4), e + 8 + (key & ~3L), (key & 1) != 0,
                    (key & 2) != 0));
        }
        return out;
    }

    /** What arch_jump_label_transform() leaves at the site for the key's current state. */
    private String expected(Entry e, int size) {
        boolean enabled = c.mem().read32(e.key()) > 0;
        if (enabled == e.branch()) {
            return size == 2 ? "6690" : "0f1f440000";
        }
        long rel = e.target() - (e.code() + size);
        return size == 2 ? String.format("eb%02x", rel & 0xff)
                : String.format("e9%02x%02x%02x%02x", rel & 0xff, (rel >> 8) & 0xff, (rel >> 16) & 0xff,
                        (rel >> 24) & 0xff);
    }

    private static int size(byte first) {
        int op = first & 0xff;
        return op == 0xeb || op == 0x66 ? 2 : 5;
    }

    /**
     * Every site of {@code m} holds what its key's state asks for; returns how many sites of each
     * size. Sites in init text (marked by jump_label_add_module()) are gone once init has run.
     */
    private int[] checkSites(Module m) {
        int[] sizes = new int[6];
        for (Entry e : entries(m)) {
            if (e.init()) {
                continue;
            }
            byte[] now = c.mem().peek(e.code(), 5);
            int size = size(now[0]);
            sizes[size]++;
            String hex = HexFormat.of().formatHex(now, 0, size);
            assertEquals(expected(e, size), hex, "site at 0x" + Long.toHexString(e.code()));
        }
        return sizes;
    }

    private long export(String module, String symbol) {
        return module(module).exports().get(symbol).value();
    }

    @Test
    void sitesFollowTheirKeysAcrossModules() {
        k.insmod("test_static_key_base.ko", TestMods.ko("kselftests", "test_static_key_base"), "");
        k.insmod("test_static_keys.ko", TestMods.ko("kselftests", "test_static_keys"), "");
        Module keys = module("test_static_keys");
        int[] sizes = checkSites(keys);
        assertEquals(18, sizes[2] + sizes[5], "one site per test_key_func()");

        // base_inv_true_key was disabled by test_static_key_base's init, before test_static_keys came:
        // its sites in test_static_keys were rewritten when that module was COMING.
        long invTrue = export("test_static_key_base", "base_inv_true_key");
        assertEquals(0, c.mem().read32(invTrue));
        long likely = keys.address("base_inv_true_key_static_branch_likely");
        long unlikely = keys.address("base_inv_true_key_static_branch_unlikely");
        assertEquals(0, c.call(likely) & 0xff);
        assertEquals(0, c.call(unlikely) & 0xff);

        // Enabling it from outside rewrites the other module's sites: the code takes the branch.
        c.call(c.sym("static_key_enable"), invTrue);
        assertEquals(1, c.mem().read32(invTrue));
        checkSites(keys);
        assertEquals(1, c.call(likely) & 0xff);
        assertEquals(1, c.call(unlikely) & 0xff);
        c.call(c.sym("static_key_slow_inc"), invTrue);
        assertEquals(2, c.call(c.sym("static_key_count"), invTrue));
        c.call(c.sym("static_key_slow_dec"), invTrue);
        c.call(c.sym("static_key_slow_dec"), invTrue);
        assertEquals(0, c.call(c.sym("static_key_count"), invTrue));
        checkSites(keys);
        assertEquals(0, c.call(likely) & 0xff);

        // The key is linked to both modules (JUMP_TYPE_LINKED); once the user is gone, it points at
        // its own (empty) entries again and keeps its initial type (true).
        long type = c.mem().read64(invTrue + 8);
        assertEquals(2, type & 2, "linked");
        k.rmmod("test_static_keys");
        assertEquals(1, c.mem().read64(invTrue + 8), "no entries, JUMP_TYPE_TRUE");
        assertFalse(k.dmesg().contains("WARNING"), k.dmesg());
    }

    @Test
    void kernelKeysAndStaticCallSites() {
        k.insmod("jumplabel.ko", TestMods.ko("jumplabel", "jumplabel"), "");
        k.insmod("jumplabel_user.ko", TestMods.ko("jumplabel", "jumplabel_user"), "");
        Module jl = module("jumplabel");
        Module user = module("jumplabel_user");
        int[] sizes = checkSites(jl);
        assertTrue(sizes[5] > 0, "5-byte sites (jumps past the other branch's code): " + sizes[5]);
        assertTrue(entries(jl).stream().anyMatch(Entry::init), "sites in init text");
        checkSites(user);
        // freezer_active is the kernel's: taking it rewrites both modules' sites
        long freezer = c.sym("freezer_active");
        c.call(c.sym("static_key_slow_inc"), freezer);
        checkSites(jl);
        checkSites(user);
        assertEquals("00 1\n", k.read("/proc/jumplabel_user"));
        c.call(c.sym("static_key_slow_dec"), freezer);
        assertEquals("00 0\n", k.read("/proc/jumplabel_user"));
        checkSites(user);

        // .static_call_sites: cond_resched() calls __cond_resched directly, preempt_enable()'s
        // preempt_schedule (NULL in the voluntary preemption mode) became a 5-byte NOP
        long sites = jl.sectionAddress(".static_call_sites");
        int n = (int) (jl.sectionSize(".static_call_sites") / 8);
        assertEquals(2, n);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long site = sites + 8L * i;
            long addr = site + c.mem().read32(site);
            byte[] insn = c.mem().peek(addr, 5);
            if ((insn[0] & 0xff) == 0xe8) {
                long dest = addr + 5 + (c.mem().read32(addr + 1));
                seen.add("call " + c.machine().kallsyms().symbolize(dest, false));
            } else {
                seen.add(HexFormat.of().formatHex(insn));
            }
        }
        seen.sort(null);
        assertEquals(List.of("0f1f440000", "call __cond_resched"), seen);
        assertEquals("00 11 0 count 0 freezer 0 far 0\n", k.read("/proc/jumplabel"));
        k.write("/proc/jumplabel", "enable");
        checkSites(jl);
        checkSites(user);
        assertEquals("11 11 0 count 1 freezer 0 far 1\n", k.read("/proc/jumplabel"));
        assertEquals("11 0\n", k.read("/proc/jumplabel_user"));
    }
}
