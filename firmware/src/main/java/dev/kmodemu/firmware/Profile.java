package dev.kmodemu.firmware;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The kernel ABI profile: facts about the kernel kmodemu impersonates, generated at build time
 * from the installed headers ({@code firmware/src/main/probe}): vermagic, struct offsets and sizes,
 * constants, configuration values, and the vmlinux export table with CRCs ({@code Module.symvers}).
 */
public final class Profile {
    /** One vmlinux export: CRC and whether it is {@code EXPORT_SYMBOL_GPL}, with its namespace. */
    public record Export(String name, int crc, boolean gplOnly, String namespace) {
    }

    private static Profile instance;

    private final Map<String, String> props;
    private final Map<String, Long> numbers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Map<String, Export> exports;

    private Profile(Map<String, String> props) {
        this.props = props;
    }

    /** The profile built into this kmodemu (loaded once per JVM). */
    public static synchronized Profile get() {
        if (instance == null) {
            Properties p = new Properties();
            try (InputStream in = Profile.class.getResourceAsStream("kernel-profile.properties")) {
                if (in == null) {
                    throw new IllegalStateException("kmodemu: kernel-profile.properties is missing from the build");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> m = new HashMap<>();
            for (String k : p.stringPropertyNames()) {
                m.put(k, p.getProperty(k));
            }
            instance = new Profile(Collections.unmodifiableMap(m));
        }
        return instance;
    }

    /** A number from the profile, e.g. {@code offset("module_name")}; fails fast if absent. */
    /** Every numeric entry whose key starts with {@code prefix}, keyed by the rest, in key order. */
    public java.util.SortedMap<String, Long> valuesWithPrefix(String prefix) {
        java.util.TreeMap<String, Long> out = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), value(e.getKey()));
            }
        }
        return out;
    }

    public long value(String key) {
        Long n = numbers.get(key);
        if (n != null) {
            return n;
        }
        String v = props.get(key);
        if (v == null) {
            throw new IllegalArgumentException("kmodemu: the kernel profile has no '" + key + "'");
        }
        long parsed = Long.parseLong(v.trim());
        numbers.put(key, parsed);
        return parsed;
    }

    /** {@link #value} as an int (offsets and sizes). */
    public int offset(String key) {
        return (int) value(key);
    }

    public String string(String key) {
        String v = props.get(key);
        if (v == null) {
            throw new IllegalArgumentException("kmodemu: the kernel profile has no '" + key + "'");
        }
        return v;
    }

    /** {@code VERMAGIC_STRING} of the headers, e.g. "6.1.0-56-amd64 SMP preempt mod_unload modversions ". */
    public String vermagic() {
        return string("vermagic");
    }

    /** {@code UTS_RELEASE}, e.g. "6.1.0-56-amd64". */
    public String release() {
        return string("uts_release");
    }

    /**
     * {@code linux_banner} as init/version.c builds it (the text of /proc/version), from the
     * headers' generated utsversion.h and compile.h.
     */
    public String banner() {
        return "Linux version " + release() + " (" + string("LINUX_COMPILE_BY") + "@" + string("LINUX_COMPILE_HOST")
                + ") (" + string("LINUX_COMPILER") + ") " + string("UTS_VERSION") + "\n";
    }

    /**
     * What {@code dump_stack_print_info()} prints after the release: the first word of
     * {@code UTS_VERSION}, a space and {@code LINUX_PACKAGE_ID} (e.g. "#1  Debian 6.1.192-2").
     */
    public String dumpStackVersion() {
        return versionWord() + " " + packageId();
    }

    private volatile java.util.List<byte[]> trustedKeys;

    /**
     * The X.509 certificates (DER) of the kernel's builtin trusted keyring, from
     * {@code keys/RELEASE.pem} (taken from the {@code system_certificate_list} of Debian's vmlinux
     * of that release); none for a release kmodemu has no record of.
     */
    public java.util.List<byte[]> builtinTrustedKeys() {
        if (trustedKeys == null) {
            java.util.List<byte[]> out = new java.util.ArrayList<>();
            try (InputStream in = Profile.class.getResourceAsStream("keys/" + release() + ".pem")) {
                if (in != null) {
                    String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                    int at = 0;
                    while ((at = pem.indexOf("-----BEGIN CERTIFICATE-----", at)) >= 0) {
                        int end = pem.indexOf("-----END CERTIFICATE-----", at);
                        String b64 = pem.substring(at + 27, end).replaceAll("\\s", "");
                        out.add(java.util.Base64.getDecoder().decode(b64));
                        at = end;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            trustedKeys = java.util.List.copyOf(out);
        }
        return trustedKeys;
    }

    /** {@code LINUX_PACKAGE_ID} of Debian's build, with its leading space (" Debian 6.1.192-2"). */
    public String packageId() {
        return props.getOrDefault("LINUX_PACKAGE_ID", "");
    }

    /** The first word of {@code UTS_VERSION} ("#1"), as hung-task reports print it. */
    public String versionWord() {
        String v = string("UTS_VERSION");
        int sp = v.indexOf(' ');
        return sp < 0 ? v : v.substring(0, sp);
    }

    public int hz() {
        return (int) value("HZ");
    }

    /** The vmlinux exports of {@code Module.symvers}, by name. */
    public Map<String, Export> exports() {
        Map<String, Export> e = exports;
        if (e == null) {
            synchronized (this) {
                e = exports;
                if (e == null) {
                    e = exports = loadSymvers();
                }
            }
        }
        return e;
    }

    private static Map<String, Export> loadSymvers() {
        Map<String, Export> m = new HashMap<>(16384);
        try (InputStream in = Profile.class.getResourceAsStream("Module.symvers")) {
            if (in == null) {
                throw new IllegalStateException("kmodemu: Module.symvers is missing from the build");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                if (f.length < 4 || !"vmlinux".equals(f[2])) {
                    continue;
                }
                int crc = (int) Long.parseLong(f[0].substring(2), 16);
                m.put(f[1], new Export(f[1], crc, f[3].endsWith("_GPL"), f.length > 4 ? f[4] : ""));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return Collections.unmodifiableMap(m);
    }
}
