package dev.kmodemu.emu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Machine code at kernel addresses on the emulated CPU; each byte string is annotated. */
class CpuTest {
    static final long TEXT = 0xffffffffc0000000L;
    static final long DATA = 0xffffffffc0010000L;
    static final long STACK = 0xffffc90000004000L;

    PhysicalMemory ram;
    AddressSpace as;
    Cpu cpu;
    Shadow shadow;

    @BeforeEach
    void boot() {
        ram = new PhysicalMemory(64 << 20);
        as = new AddressSpace(ram);
        cpu = new Cpu(as);
        as.map(TEXT, 0x1000, AddressSpace.RX, "text");
        as.map(DATA, 0x4000, AddressSpace.RW, "data");
        as.map(STACK, 0x4000, AddressSpace.RW, "stack");
        cpu.set(Reg.RSP, STACK + 0x4000);
    }

    @AfterEach
    void close() {
        cpu.close();
        if (shadow != null) {
            shadow.close();
        }
        ram.close();
    }

    void code(long at, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        as.poke(at, b);
    }

    @Test
    void runsAtHighHalfAddressesAndStopsAfterHlt() {
        code(TEXT,
                0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00,  // mov $0x2a,%rax
                0x48, 0x83, 0xc0, 0x01,                    // add $0x1,%rax
                0x48, 0x89, 0x05, 0xf2, 0xff, 0x00, 0x00,  // mov %rax,0xfff2(%rip)  -> DATA+0x4
                0xf4);                                     // hlt
        Stop s = cpu.run(TEXT);
        assertEquals(Stop.Kind.HLT, s.kind());
        assertEquals(TEXT + 19, s.rip());
        assertEquals(43, cpu.get(Reg.RAX));
        assertEquals(43, as.read64(DATA + 4));
    }

    @Test
    void narrowRegistersReadZeroExtendedWhateverWasReadBefore() {
        // Unicorn stores only 32 bits of EFLAGS and 16 of a selector: the rest must not be the
        // previous read's (a kernel address, here), or flags saved by local_irq_save() look
        // sign-extended (0xffffffff00000246).
        cpu.set(Reg.RAX, 0xffffffffc0204600L);
        cpu.set(Reg.EFLAGS, 0x246);
        assertEquals(0xffffffffc0204600L, cpu.get(Reg.RAX));
        assertEquals(0x246, cpu.get(Reg.EFLAGS));
        assertEquals(0xffffffffc0204600L, cpu.get(Reg.RAX));
        assertEquals(0, cpu.get(Reg.DS));
        long[] out = new long[3];
        cpu.get(new Reg[] {Reg.RAX, Reg.EFLAGS, Reg.DS}, out);
        assertEquals(0xffffffffc0204600L, out[0]);
        assertEquals(0x246, out[1]);
        cpu.get(new Reg[] {Reg.RAX, Reg.RAX, Reg.RAX}, out);
        cpu.get(new Reg[] {Reg.EFLAGS, Reg.DS, Reg.CS}, out);
        assertArrayEquals(new long[] {0x246, 0, 0}, out);
    }

    @Test
    void inReadsAllOnesFromAPortWithNothingBehindItAndWhatTheHandlerSaysElsewhere() {
        code(TEXT,
                0x66, 0xba, 0x2e, 0x00,  // mov $0x2e,%dx
                0xec,                    // in (%dx),%al
                0x48, 0x89, 0xc3,        // mov %rax,%rbx
                0x66, 0xed,              // in (%dx),%ax
                0x48, 0x89, 0xc1,        // mov %rax,%rcx
                0xe5, 0x64,              // in $0x64,%eax
                0xf4);                   // hlt
        cpu.set(Reg.RAX, 0);
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
        assertEquals(0xff, cpu.get(Reg.RBX));
        assertEquals(0xffff, cpu.get(Reg.RCX));
        assertEquals(0xffffffffL, cpu.get(Reg.RAX));
        List<String> seen = new ArrayList<>();
        cpu.ioPorts((port, size) -> {
            seen.add(Integer.toHexString(port) + "/" + size);
            return port == 0x64 ? 0x1c : -1;
        });
        cpu.set(Reg.RAX, 0);
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
        assertEquals(0xff, cpu.get(Reg.RBX));
        assertEquals(0x1c, cpu.get(Reg.RAX));
        assertEquals(List.of("2e/1", "2e/2", "64/4"), seen);
    }

    @Test
    void gsRelativeAccessUsesGsBase() {
        as.write64(DATA + 0x28, 0x1122334455667788L);
        cpu.set(Reg.GS_BASE, DATA);
        code(TEXT, 0x65, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00,  // mov %gs:0x28,%rax
                0xf4);                                                // hlt
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
        assertEquals(0x1122334455667788L, cpu.get(Reg.RAX));
    }

    @Test
    void nullReadIsAPageFaultWithExactAddressAndRip() {
        code(TEXT,
                0x48, 0xff, 0xc1,                          // inc %rcx
                0x48, 0xff, 0xc1,                          // inc %rcx
                0x48, 0x8b, 0x40, 0x10,                    // mov 0x10(%rax),%rax
                0xf4);                                     // hlt
        cpu.set(Reg.RAX, 0);
        Stop s = cpu.run(TEXT);
        assertEquals(Stop.Kind.PAGE_FAULT, s.kind());
        assertEquals(TEXT + 6, s.rip());
        assertEquals(Access.READ, s.fault().access());
        assertFalse(s.fault().present());
        assertEquals(0x10, FaultAddress.refine(cpu, s));
    }

    @Test
    void writeToReadOnlyPageIsAProtectionFault() {
        as.protect(DATA, 0x1000, AddressSpace.R);
        code(TEXT, 0x48, 0x89, 0x18,                       // mov %rbx,(%rax)
                0xf4);                                     // hlt
        cpu.set(Reg.RAX, DATA + 8);
        Stop s = cpu.run(TEXT);
        assertEquals(Stop.Kind.PAGE_FAULT, s.kind());
        assertEquals(Access.WRITE, s.fault().access());
        assertTrue(s.fault().present());
        assertEquals(DATA + 8, FaultAddress.refine(cpu, s));
        assertThrows(PageFault.class, () -> as.write64(DATA, 1));
        assertEquals(0, as.read64(DATA));
    }

    @Test
    void ud2IsAnInvalidOpcodeAtItsAddress() {
        code(TEXT, 0x90,                                   // nop
                0x0f, 0x0b);                               // ud2
        Stop s = cpu.run(TEXT);
        assertEquals(Stop.Kind.INVALID_OPCODE, s.kind());
        assertEquals(TEXT + 1, s.rip());
    }

    @Test
    void int3IsReportedAsVector3() {
        code(TEXT, 0xcc,                                   // int3
                0xf4);                                     // hlt
        Stop s = cpu.run(TEXT);
        assertEquals(Stop.Kind.EXCEPTION, s.kind());
        assertEquals(Stop.VECTOR_BP, s.vector());
    }

    @Test
    void watchdogStopsAnEndlessLoop() {
        code(TEXT, 0xeb, 0xfe);                            // jmp .
        try (Watchdog.Armed w = Watchdog.arm(cpu, 50_000_000L)) {
            Stop s = cpu.run(TEXT);
            assertEquals(Stop.Kind.STOPPED, s.kind());
            assertTrue(w.fired());
            assertEquals(TEXT, s.rip());
        }
    }

    @Test
    void blockBudgetStopsALoopAfterThatManyIterations() {
        code(TEXT, 0x48, 0xff, 0xc1,                       // 1: inc %rcx
                0xeb, 0xfb);                               //    jmp 1b
        cpu.set(Reg.RCX, 0);
        cpu.blockBudget(1000);
        Stop s = cpu.run(TEXT);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        assertEquals(TEXT, s.rip());
        // one block per iteration; the block that takes the count below zero does not run
        assertEquals(1000, cpu.get(Reg.RCX));
        cpu.blockBudget(Long.MAX_VALUE);
        code(TEXT, 0xf4);                                  // hlt
        cpu.invalidateCode(TEXT, TEXT + 0x1000);
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
    }

    @Test
    void coverageRecordsEachBlockWithItsSizeAndCount() {
        code(TEXT, 0x48, 0xc7, 0xc1, 0x05, 0x00, 0x00, 0x00,  // 0:  mov $5,%rcx
                0x48, 0xff, 0xc9,                          // 7:  1: dec %rcx
                0x75, 0xfb,                                //    a:  jnz 1b
                0xf4);                                     // c:  hlt
        cpu.run(TEXT);                                     // before coverage: not recorded
        BlockCoverage c = cpu.coverage(TEXT, TEXT + 0x800);
        cpu.invalidateCode(TEXT, TEXT + 0x1000);           // translated before the hook existed
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
        // mov+dec+jnz once (12 bytes), then dec+jnz four times (5 bytes), then the hlt block
        assertEquals(java.util.List.of(new BlockCoverage.Block(TEXT, 12, 1), new BlockCoverage.Block(TEXT + 7, 5, 4),
                new BlockCoverage.Block(TEXT + 12, 1, 1)), c.harvest(TEXT, TEXT + 0x1000));
        assertEquals(java.util.List.of(), c.harvest(TEXT, TEXT + 0x1000));
        cpu.set(Reg.RCX, 1);
        cpu.run(TEXT + 7);
        assertEquals(2, c.harvest(TEXT, TEXT + 0x1000).size());
    }

    @Test
    void rewrittenCodeRunsAfterInvalidation() {
        code(TEXT, 0xb0, 0x01, 0xf4);                      // mov $1,%al; hlt
        cpu.run(TEXT);
        assertEquals(1, cpu.get(Reg.RAX) & 0xff);
        code(TEXT, 0xb0, 0x02, 0xf4);                      // mov $2,%al; hlt
        cpu.invalidateCode(TEXT, TEXT + 0x1000);
        cpu.run(TEXT);
        assertEquals(2, cpu.get(Reg.RAX) & 0xff);
    }

    @Test
    void unmappedRegionFaultsAndItsMemoryIsReused() {
        AddressSpace.Region r = as.map(0xffff888000100000L, 0x1000, AddressSpace.RW, "heap");
        as.write64(r.base(), 7);
        as.unmap(r);
        assertThrows(PageFault.class, () -> as.read64(0xffff888000100000L));
        code(TEXT, 0x48, 0x8b, 0x00, 0xf4);                // mov (%rax),%rax; hlt
        cpu.set(Reg.RAX, 0xffff888000100000L);
        assertEquals(Stop.Kind.PAGE_FAULT, cpu.run(TEXT).kind());
        AddressSpace.Region again = as.map(0xffff888000200000L, 0x1000, AddressSpace.RW, "heap2");
        assertEquals(0, as.read64(again.base()));
    }

    @Test
    void contextSaveAndRestore() {
        cpu.set(Reg.RBX, 5);
        var ctx = cpu.save();
        cpu.set(Reg.RBX, 9);
        cpu.restore(ctx);
        assertEquals(5, cpu.get(Reg.RBX));
        long[] v = new long[2];
        cpu.get(new Reg[] {Reg.RBX, Reg.RSP}, v);
        assertArrayEquals(new long[] {5, STACK + 0x4000}, v);
    }

    @Test
    void disassemblesInAttSyntax() {
        byte[] code = {0x48, (byte) 0x8b, 0x40, 0x10};
        Disassembler.Insn i = Disassembler.get().decode(code, TEXT);
        assertEquals("movq 0x10(%rax), %rax", i.toString());
    }

    static final long USER = 0x00007ffff7ff0000L;

    @Test
    void anAliasSharesTheBytesOfItsSourceWithTheGuestAndTheHost() {
        as.alias(USER, DATA + 0x1000, 0x1000, AddressSpace.RW, "user alias");
        code(TEXT,
                0x48, 0x8b, 0x03,                          // mov (%rbx),%rax      user page
                0x48, 0x89, 0x41, 0x08,                    // mov %rax,0x8(%rcx)   kernel page + 8
                0xf4);                                     // hlt
        as.write64(DATA + 0x1000, 0x1234);
        cpu.set(Reg.RBX, USER);
        cpu.set(Reg.RCX, DATA + 0x1000);
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
        assertEquals(0x1234, cpu.get(Reg.RAX));
        assertEquals(0x1234, as.read64(USER + 8));
        assertEquals(as.physical(DATA + 0x1000), as.physical(USER));
        assertEquals(-1, as.physical(USER + 0x1000));
    }

    @Test
    void theSharedMemoryOutlivesWhicheverMappingGoesFirst() {
        AddressSpace.Region src = as.map(0xffff888001000000L, 0x2000, AddressSpace.RW, "kernel pages");
        AddressSpace.Region user = as.alias(USER, src.base() + 0x1000, 0x1000, AddressSpace.R, "user alias");
        as.write64(src.base() + 0x1000, 77);
        long used = ram.used();
        as.unmap(src);
        assertEquals(used, ram.used(), "the alias keeps the run");
        assertEquals(77, as.read64(USER));
        assertThrows(PageFault.class, () -> as.write64(USER, 1), "the alias has its own permissions");
        as.unmap(user);
        assertEquals(used - 0x2000, ram.used());
        assertThrows(IllegalArgumentException.class, () -> as.alias(USER, STACK + 0x2000, 0x4000, AddressSpace.R, "x"),
                "a source running off its region");
    }

    // ---------------------------------------------------------------- the shadow check

    /**
     * Checks accesses against a shadow in which a 13-byte object sits at DATA+0x40 (8 accessible
     * bytes, then 5, then a redzone granule); returns where the bad ones were reported.
     */
    List<String> shadowedObject() {
        List<String> bad = new ArrayList<>();
        shadow = new Shadow(ram);
        cpu.checkShadow(shadow);
        shadow.listener((pa, size, write) -> bad.add(String.format("%s %d at +0x%x rip +0x%x", write ? "W" : "R", size,
                as.virtualOf(pa) - DATA, cpu.get(Reg.RIP) - TEXT)));
        long pa = as.physical(DATA + 0x40);
        shadow.set(pa + 8, (byte) 5);
        shadow.set(pa + 16, (byte) 0xfc);
        cpu.set(Reg.RDI, DATA);
        return bad;
    }

    @Test
    void accessesInsideAShadowedObjectPass() {
        List<String> bad = shadowedObject();
        code(TEXT,
                0x48, 0x8b, 0x47, 0x40,                    // mov 0x40(%rdi),%rax
                0x8b, 0x47, 0x48,                          // mov 0x48(%rdi),%eax
                0x88, 0x47, 0x4c,                          // mov %al,0x4c(%rdi)   last byte of the object
                0x48, 0x89, 0x47, 0x60,                    // mov %rax,0x60(%rdi)  beyond the redzone
                0xf4);                                     // hlt
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
        assertEquals(List.of(), bad);
    }

    @Test
    void accessesTheShadowForbidsAreReportedWithTheirInstruction() {
        List<String> bad = shadowedObject();
        code(TEXT,
                0x90,                                      // nop
                0x88, 0x47, 0x4d,                          // mov %al,0x4d(%rdi)    one past the end
                0x8b, 0x47, 0x4a,                          // mov 0x4a(%rdi),%eax   bytes 10..13: the last is out
                0x48, 0x8b, 0x47, 0x46,                    // mov 0x46(%rdi),%rax   bytes 6..13, two granules
                0x48, 0x89, 0x47, 0x50,                    // mov %rax,0x50(%rdi)   the redzone granule
                0xf4);                                     // hlt
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
        assertEquals(List.of("W 1 at +0x4d rip +0x1", "R 4 at +0x4a rip +0x4", "R 8 at +0x46 rip +0x7",
                "W 8 at +0x50 rip +0xb"), bad);
    }

    // ---------------------------------------------------------------- snapshots and coverage

    /** Stores rax at DATA+0x1008 (second page), then hlt. */
    void storeCode() {
        code(TEXT,
                0x48, 0xb9, 0x08, 0x10, 0x01, 0xc0, 0xff, 0xff, 0xff, 0xff,  // movabs $DATA+0x1008,%rcx
                0x48, 0x89, 0x01,                                            // mov %rax,(%rcx)
                0x48, 0x8b, 0x51, 0xf8,                                      // mov -0x8(%rcx),%rdx (read)
                0xf4);                                                       // hlt
    }

    @Test
    void guestAndHostWritesAreUndonePageByPage() {
        as.write64(DATA, 1);
        as.write64(DATA + 0x1008, 2);
        storeCode();
        cpu.flushTlb();
        PhysicalMemory.Tracker t = ram.track();
        cpu.flushTlb();
        for (int round = 0; round < 3; round++) {
            cpu.set(Reg.RAX, 0x1234 + round);
            assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
            assertEquals(0x1234 + round, as.read64(DATA + 0x1008));
            as.write64(DATA, 99);                              // host write, first page
            as.write64(DATA + 0x3000, 7);                      // host write, fourth page
            assertEquals(3, t.dirtyPages());
            assertEquals(3, t.restore());
            cpu.flushTlb();
            assertEquals(1, as.read64(DATA));
            assertEquals(2, as.read64(DATA + 0x1008));
            assertEquals(0, as.read64(DATA + 0x3000));
        }
    }

    @Test
    void aReadFirstStillCatchesTheLaterWrite() {
        as.write64(DATA + 0x1008, 5);
        // the guest reads the page (read-only TLB entry), then writes it: a second TLB fill marks it
        code(TEXT,
                0x48, 0xb9, 0x08, 0x10, 0x01, 0xc0, 0xff, 0xff, 0xff, 0xff,  // movabs $DATA+0x1008,%rcx
                0x48, 0x8b, 0x11,                                            // mov (%rcx),%rdx
                0x48, 0x89, 0x01,                                            // mov %rax,(%rcx)
                0xf4);                                                       // hlt
        PhysicalMemory.Tracker t = ram.track();
        cpu.flushTlb();
        assertEquals(5, as.read64(DATA + 0x1008));
        cpu.set(Reg.RAX, 77);
        assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
        assertEquals(1, t.dirtyPages());
        t.restore();
        cpu.flushTlb();
        assertEquals(5, as.read64(DATA + 0x1008));
    }

    @Test
    void memoryReleasedAndRemappedReadsZeroAfterRestore() {
        AddressSpace.Region live = as.map(0xffffc90000100000L, 0x2000, AddressSpace.RW, "live");
        as.write64(live.base(), 42);
        PhysicalMemory.Tracker t = ram.track();
        as.unmap(live);                                           // freed with data in it
        AddressSpace.Region fresh = as.map(0xffffc90000200000L, 0x2000, AddressSpace.RW, "fresh");
        assertEquals(0, as.read64(fresh.base()));                 // handed out zeroed
        as.write64(fresh.base() + 8, 9);
        as.unmap(fresh);
        t.restore();
        // the pool is back as it was: the live run holds its data, the rest is zero
        MemorySegment pool = ram.pool();
        long off = 0;
        boolean found = false;
        for (; off < 64 << 20; off += 4096) {
            if (pool.get(ValueLayout.JAVA_LONG_UNALIGNED, off) == 42) {
                found = true;
                break;
            }
        }
        assertTrue(found);
        assertEquals(0, pool.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 8));
    }

    @Test
    void edgeCoverageCountsEdgesInTheRangeOnly() {
        // a loop of three iterations: rcx = 3; loop: dec rcx; jnz loop; hlt
        code(TEXT,
                0x48, 0xc7, 0xc1, 0x03, 0x00, 0x00, 0x00,  // mov $3,%rcx
                0x48, 0xff, 0xc9,                          // loop: dec %rcx
                0x75, 0xfb,                                // jnz loop
                0xf4);                                     // hlt
        try (Arena a = Arena.ofConfined()) {
            MemorySegment map = a.allocate(4096, 64);
            cpu.coverage(TEXT, 0x1000, map);
            assertEquals(Stop.Kind.HLT, cpu.run(TEXT).kind());
            int edges = 0;
            int hits = 0;
            for (int i = 0; i < 4096; i++) {
                int v = map.get(ValueLayout.JAVA_BYTE, i) & 0xff;
                if (v != 0) {
                    edges++;
                    hits += v;
                }
            }
            // blocks: [mov; dec; jnz], [dec; jnz] twice, [hlt]: four edges (the first from nowhere)
            assertEquals(4, edges);
            assertEquals(4, hits);
            map.fill((byte) 0);
            cpu.coverage(STACK, 0x1000, map);
            cpu.run(TEXT);
            assertEquals(-1L, map.mismatch(a.allocate(4096)));
            cpu.coverage(0, 0, null);
        }
    }
}
