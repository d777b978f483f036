package dev.kmodemu.kstubs.drivers.pci;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.charset.StandardCharsets;

/**
 * drivers/pci/pci.c, search.c and msi/api.c, and drivers/usb/host/pci-quirks.c, on a machine
 * without PCI devices. {@code pci_get_device()} walks an empty device list and returns NULL. The
 * others act on a {@code struct pci_dev} that only the PCI core can create and bind; none exists
 * and modules cannot make one, so reaching them is reported as unsupported rather than answered
 * with made-up configuration space.
 */
public final class Pci {
    private Pci() {
    }

    private static long noDevice(String fn) {
        throw new UnsupportedOperationException(fn + ": kmodemu has no PCI devices");
    }

    /** {@code const char *pci_power_names[]}: the names of {@code pci_power_t} states, "error" first. */
    @KernelData(value = "pci_power_names", section = Machine.Section.RODATA, size = 7 * 8 + 64)
    static void pciPowerNames(KernelContext k, long at) {
        String[] names = {"error", "D0", "D1", "D2", "D3hot", "D3cold", "unknown"};
        long str = at + 8L * names.length;
        for (int i = 0; i < names.length; i++) {
            byte[] b = (names[i] + "\0").getBytes(StandardCharsets.US_ASCII);
            k.mem().poke(str, b);
            k.mem().pokeLong(at + 8L * i, str);
            str += b.length;
        }
    }

    /**
     * struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device, struct pci_dev *from):
     * NULL, the bus has no devices (a {@code from} could only be a device it returned).
     */
    @KernelSymbol("pci_get_device")
    static long pciGetDevice(KernelContext k, int vendor, int device, long from) {
        return from == 0 ? 0 : noDevice("pci_get_device");
    }

    /** int pci_enable_device(struct pci_dev *dev) */
    @KernelSymbol("pci_enable_device")
    static int pciEnableDevice(KernelContext k, long dev) {
        return (int) noDevice("pci_enable_device");
    }

    /** void pci_disable_device(struct pci_dev *dev) */
    @KernelSymbol("pci_disable_device")
    static void pciDisableDevice(KernelContext k, long dev) {
        noDevice("pci_disable_device");
    }

    /** void pci_set_master(struct pci_dev *dev) */
    @KernelSymbol("pci_set_master")
    static void pciSetMaster(KernelContext k, long dev) {
        noDevice("pci_set_master");
    }

    /** int pci_save_state(struct pci_dev *dev) */
    @KernelSymbol("pci_save_state")
    static int pciSaveState(KernelContext k, long dev) {
        return (int) noDevice("pci_save_state");
    }

    /** bool pci_dev_run_wake(struct pci_dev *dev) */
    @KernelSymbol("pci_dev_run_wake")
    static boolean pciDevRunWake(KernelContext k, long dev) {
        return noDevice("pci_dev_run_wake") != 0;
    }

    /** int pci_prepare_to_sleep(struct pci_dev *dev) */
    @KernelSymbol("pci_prepare_to_sleep")
    static int pciPrepareToSleep(KernelContext k, long dev) {
        return (int) noDevice("pci_prepare_to_sleep");
    }

    /**
     * int pci_alloc_irq_vectors_affinity(struct pci_dev *dev, unsigned int min_vecs,
     * unsigned int max_vecs, unsigned int flags, struct irq_affinity *affd)
     */
    @KernelSymbol("pci_alloc_irq_vectors_affinity")
    static int pciAllocIrqVectorsAffinity(KernelContext k, long dev, int min, int max, int flags, long affd) {
        return (int) noDevice("pci_alloc_irq_vectors_affinity");
    }

    /** int pci_irq_vector(struct pci_dev *dev, unsigned int nr) */
    @KernelSymbol("pci_irq_vector")
    static int pciIrqVector(KernelContext k, long dev, int nr) {
        return (int) noDevice("pci_irq_vector");
    }

    /** void pci_free_irq_vectors(struct pci_dev *dev) */
    @KernelSymbol("pci_free_irq_vectors")
    static void pciFreeIrqVectors(KernelContext k, long dev) {
        noDevice("pci_free_irq_vectors");
    }

    /** bool usb_hcd_amd_remote_wakeup_quirk(struct pci_dev *pdev), from drivers/usb/host/pci-quirks.c */
    @KernelSymbol("usb_hcd_amd_remote_wakeup_quirk")
    static boolean usbHcdAmdRemoteWakeupQuirk(KernelContext k, long pdev) {
        return noDevice("usb_hcd_amd_remote_wakeup_quirk") != 0;
    }
}
