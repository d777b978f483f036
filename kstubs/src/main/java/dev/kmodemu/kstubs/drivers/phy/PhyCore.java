package dev.kmodemu.kstubs.drivers.phy;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * drivers/phy/phy-core.c: the generic PHY operations. Every one of them treats a NULL phy as an
 * optional PHY that is absent and succeeds with 0. No PHY provider exists on the emulated machine
 * ({@code phy_create()} is not provided and no lookup can return one), so NULL is the only phy a
 * module can hold; any other pointer is reported as unsupported.
 */
public final class PhyCore {
    private PhyCore() {
    }

    private static int absent(String fn, long phy) {
        if (phy != 0) {
            throw new UnsupportedOperationException(fn + ": kmodemu has no PHY providers");
        }
        return 0;
    }

    /** int phy_init(struct phy *phy) */
    @KernelSymbol("phy_init")
    static int phyInit(KernelContext k, long phy) {
        return absent("phy_init", phy);
    }

    /** int phy_exit(struct phy *phy) */
    @KernelSymbol("phy_exit")
    static int phyExit(KernelContext k, long phy) {
        return absent("phy_exit", phy);
    }

    /** int phy_power_on(struct phy *phy) */
    @KernelSymbol("phy_power_on")
    static int phyPowerOn(KernelContext k, long phy) {
        return absent("phy_power_on", phy);
    }

    /** int phy_power_off(struct phy *phy) */
    @KernelSymbol("phy_power_off")
    static int phyPowerOff(KernelContext k, long phy) {
        return absent("phy_power_off", phy);
    }

    /** int phy_calibrate(struct phy *phy) */
    @KernelSymbol("phy_calibrate")
    static int phyCalibrate(KernelContext k, long phy) {
        return absent("phy_calibrate", phy);
    }

    /** int phy_set_mode_ext(struct phy *phy, enum phy_mode mode, int submode) */
    @KernelSymbol("phy_set_mode_ext")
    static int phySetModeExt(KernelContext k, long phy, int mode, int submode) {
        return absent("phy_set_mode_ext", phy);
    }
}
