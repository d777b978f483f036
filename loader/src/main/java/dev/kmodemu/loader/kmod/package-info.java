/**
 * kmod 30 (Debian 12) in Java: {@link dev.kmodemu.loader.kmod.Depmod} writes what
 * {@code depmod} writes for a module tree ({@code modules.dep}, {@code modules.alias},
 * {@code modules.symbols}, {@code modules.softdep}, {@code modules.devname} and the binary
 * {@code modules.*.bin} indexes, byte for byte, with depmod's messages);
 * {@link dev.kmodemu.loader.kmod.ModprobeConfig} reads modprobe.d and
 * {@link dev.kmodemu.loader.kmod.ModuleIndex} answers what {@code modprobe} would load, with which
 * options, and what {@code modprobe -r} would remove, printing what modprobe prints. The code follows
 * kmod's {@code tools/depmod.c}, {@code tools/modprobe.c} and {@code libkmod/} function by function;
 * each class names the functions it mirrors. No CPU here: system state and system calls come
 * through {@link dev.kmodemu.loader.kmod.ModprobeHost}.
 */
package dev.kmodemu.loader.kmod;
