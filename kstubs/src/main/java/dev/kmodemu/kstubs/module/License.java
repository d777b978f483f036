package dev.kmodemu.kstubs.module;

/** include/linux/license.h. */
final class License {
    private License() {
    }

    /** {@code license_is_gpl_compatible()}. */
    static boolean isGplCompatible(String license) {
        return switch (license) {
            case "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" -> true;
            default -> false;
        };
    }
}
