package dev.kmodemu.emu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    @BeforeEach
    void boot() {
        ram = new PhysicalMemory(64 << 20);
        as = new AddressSpace(ram);
        cpu = new Cpu(as);
        as.map(TEXT, 0x1000, AddressSpace.RX, "text");
        as.map(DATA, 0x2000, AddressSpace.RW, "data");
        as.map(STACK, 0x4000, AddressSpace.RW, "stack");
        cpu.set(Reg.RSP, STACK + 0x4000);
    }

    @AfterEach
    void close() {
        cpu.close();
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
}
