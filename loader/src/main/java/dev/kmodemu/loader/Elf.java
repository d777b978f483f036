package dev.kmodemu.loader;

/** ELF64 constants used by kernel modules (values from the gABI and the x86-64 psABI). */
public final class Elf {
    private Elf() {
    }

    public static final int EHDR_SIZE = 64;
    public static final int SHDR_SIZE = 64;
    public static final int SYM_SIZE = 24;
    public static final int RELA_SIZE = 24;

    public static final int ET_REL = 1;
    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;

    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    /** Kernel-private flag set by the module loader on ro_after_init sections. */
    public static final long SHF_RO_AFTER_INIT = 0x00200000;
    public static final long SHF_RELA_LIVEPATCH = 0x00100000;

    public static final int SHN_UNDEF = 0;
    public static final int SHN_LORESERVE = 0xff00;
    public static final int SHN_LIVEPATCH = 0xff20;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;

    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;

    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;

    /** Linux errno values the loader returns (negated, as the kernel does). */
    public static final int ENOENT = 2;
    public static final int ENOEXEC = 8;
    public static final int ENOMEM = 12;
    public static final int EINVAL = 22;
}
