package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed modules found by mutation (issue 5): real test modules with bits flipped, bytes
 * overwritten, header, section header, symbol and relocation fields set to boundary values, or
 * cut short, each given to {@code finit_module()}. Whatever the kernel makes of one, insmod must
 * end with the kernel's answer (a load error with its errno, an oops or soft lockup killing
 * insmod, or a loaded module) and never with any other exception out of the emulator. Each case is
 * seeded by its number: {@code -Dmutation.first=N -Dmutation.cases=N+1} replays case N alone.
 */
class MutatedModuleTest {
    /** Modules with exports, parameters, files, per-cpu data, jump labels and alternatives. */
    private static final List<String[]> SEEDS = List.of(new String[] {"hello", "hello"},
            new String[] {"params", "params"}, new String[] {"procfs_example", "procfs_example"},
            new String[] {"symexp", "symexp"}, new String[] {"percpu", "percpu"},
            new String[] {"jumplabel", "jumplabel"}, new String[] {"kselftests", "test_user_copy"});
    private static final int CASES = Integer.getInteger("mutation.cases", 3000);
    private static final long[] BOUNDARY = {0, 1, 2, 7, 8, 0x40, 0xff, 0x100, 0x7fff, 0xffff, 0x7fffffffL, 0x80000000L,
        0xffffffffL, 0x100000000L, Long.MAX_VALUE, Long.MIN_VALUE, -1, -8, -64};

    private static final Kernel.Options OPTIONS = Kernel.Options.defaults().withCallBudget(Duration.ofMillis(500))
            .withBlockBudget(200_000);

    /** The ELF layout of a seed, read from its bytes. */
    private record Layout(long shoff, int shnum, List<long[]> symtabs, List<long[]> relas) {
        static Layout of(byte[] ko) {
            ByteBuffer b = ByteBuffer.wrap(ko).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = b.getLong(0x28);
            int shnum = b.getShort(0x3c) & 0xffff;
            List<long[]> symtabs = new ArrayList<>();
            List<long[]> relas = new ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                int sh = (int) shoff + 64 * i;
                int type = b.getInt(sh + 4);
                long[] range = {b.getLong(sh + 24), b.getLong(sh + 32)};
                if (type == 2) {
                    symtabs.add(range);
                } else if (type == 4) {
                    relas.add(range);
                }
            }
            return new Layout(shoff, shnum, symtabs, relas);
        }
    }

    @Test
    void everyMutatedModuleEndsInTheKernelsAnswer() {
        List<byte[]> seeds = new ArrayList<>();
        List<Layout> layouts = new ArrayList<>();
        for (String[] s : SEEDS) {
            byte[] ko = TestMods.ko(s[0], s[1]);
            seeds.add(ko);
            layouts.add(Layout.of(ko));
        }
        List<String> problems = new ArrayList<>();
        int[] outcomes = new int[4];
        Kernel k = Kernel.boot(OPTIONS);
        try {
            for (int c = Integer.getInteger("mutation.first", 0); c < CASES; c++) {
                Random rnd = new Random(c);
                int s = c % seeds.size();
                StringBuilder how = new StringBuilder(SEEDS.get(s)[1] + ".ko case " + c + ":");
                byte[] ko = mutate(seeds.get(s), layouts.get(s), rnd, how);
                boolean fresh = false;
                try {
                    k.insmod(SEEDS.get(s)[1] + ".ko", ko, "");
                    outcomes[0]++;
                    String name = k.lastLoad().name();
                    try {
                        k.rmmod(name);
                    } catch (KernelException e) {
                        fresh = true;
                    }
                } catch (KernelException e) {
                    outcomes[e.killed() ? 2 : 1]++;
                    fresh = e.killed() || k.panicked();
                } catch (Throwable t) {
                    outcomes[3]++;
                    StringWriter w = new StringWriter();
                    t.printStackTrace(new PrintWriter(w));
                    problems.add(how + " " + w.toString().lines().limit(30).toList());
                    fresh = true;
                }
                if (fresh || k.panicked() || !k.modules().isEmpty()) {
                    k.close();
                    k = Kernel.boot(OPTIONS);
                }
            }
        } finally {
            k.close();
        }
        assertEquals(List.of(), problems, "insmod of mutated modules ended in exceptions other than the kernel's");
        // The mutations reach every stage: some modules still load, others are refused, and some
        // get as far as running broken code (loaded, refused, killed, other).
        assertTrue(outcomes[0] > CASES / 10 && outcomes[1] > CASES / 10 && outcomes[2] > 0, Arrays.toString(outcomes));
    }

    /** One mutation of {@code seed}, described in {@code how}. */
    private static byte[] mutate(byte[] seed, Layout l, Random rnd, StringBuilder how) {
        byte[] ko = seed.clone();
        ByteBuffer b = ByteBuffer.wrap(ko).order(ByteOrder.LITTLE_ENDIAN);
        int strategy = rnd.nextInt(7);
        switch (strategy) {
            case 0 -> {
                int n = 1 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    int at = rnd.nextInt(ko.length);
                    ko[at] ^= (byte) (1 << rnd.nextInt(8));
                    how.append(" bit flip at ").append(at);
                }
            }
            case 1 -> {
                int at = rnd.nextInt(0x40);
                ko[at] = (byte) rnd.nextInt(256);
                how.append(" ELF header byte ").append(at).append(" = ").append(ko[at] & 0xff);
            }
            case 2 -> {
                int sec = rnd.nextInt(l.shnum());
                int[][] fields = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {48, 8}, {56, 8}};
                int[] f = fields[rnd.nextInt(fields.length)];
                put(b, (int) l.shoff() + 64 * sec + f[0], f[1], value(rnd, ko.length, l.shnum()), how);
                how.append(" (section ").append(sec).append(" field +").append(f[0]).append(')');
            }
            case 3 -> {
                long[] t = l.symtabs().get(rnd.nextInt(l.symtabs().size()));
                int sym = rnd.nextInt((int) Math.max(1, t[1] / 24));
                int[][] fields = {{0, 4}, {4, 1}, {6, 2}, {8, 8}, {16, 8}};
                int[] f = fields[rnd.nextInt(fields.length)];
                put(b, (int) t[0] + 24 * sym + f[0], f[1], value(rnd, ko.length, l.shnum()), how);
                how.append(" (symbol ").append(sym).append(" field +").append(f[0]).append(')');
            }
            case 4 -> {
                long[] t = l.relas().get(rnd.nextInt(l.relas().size()));
                int rel = rnd.nextInt((int) Math.max(1, t[1] / 24));
                int[][] fields = {{0, 8}, {8, 4}, {12, 4}, {16, 8}};
                int[] f = fields[rnd.nextInt(fields.length)];
                put(b, (int) t[0] + 24 * rel + f[0], f[1], value(rnd, ko.length, l.shnum()), how);
                how.append(" (relocation ").append(rel).append(" field +").append(f[0]).append(')');
            }
            case 5 -> {
                int at = rnd.nextInt(ko.length - 8);
                int n = 1 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    ko[at + i] = (byte) rnd.nextInt(256);
                }
                how.append(' ').append(n).append(" random bytes at ").append(at);
            }
            default -> {
                int len = rnd.nextInt(ko.length);
                how.append(" cut to ").append(len).append(" bytes");
                return Arrays.copyOf(ko, len);
            }
        }
        return ko;
    }

    /** A boundary value, one near the file size or section count, or a random one. */
    private static long value(Random rnd, int fileSize, int shnum) {
        return switch (rnd.nextInt(4)) {
            case 0, 1 -> BOUNDARY[rnd.nextInt(BOUNDARY.length)];
            case 2 -> new long[] {fileSize, fileSize - 1, fileSize + 1, shnum, shnum + 1, shnum - 1}[rnd.nextInt(6)];
            default -> rnd.nextLong();
        };
    }

    private static void put(ByteBuffer b, int at, int size, long v, StringBuilder how) {
        switch (size) {
            case 1 -> b.put(at, (byte) v);
            case 2 -> b.putShort(at, (short) v);
            case 4 -> b.putInt(at, (int) v);
            default -> b.putLong(at, v);
        }
        how.append(" 0x").append(Long.toHexString(v)).append(" at ").append(at);
    }
}
