package dev.kmodemu.cli;

import dev.kmodemu.loader.ElfFile;
import dev.kmodemu.loader.ModInfo;
import dev.kmodemu.loader.ModuleFormatException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** kmod's modinfo (tools/modinfo.c): the .modinfo tags of a module file, parameters merged last. */
final class Modinfo {
    private Modinfo() {
    }

    /** A parameter line being assembled from parm= and parmtype=. */
    private static final class Param {
        final String name;
        String desc;
        String type;

        Param(String name) {
            this.name = name;
        }
    }

    /**
     * Formats modinfo output for an image, or returns null with the error in {@code err[0]} when
     * the file is not an ELF kmod can read.
     *
     * @param field the {@code -F} field or null
     * @param sep   '\n', or '\0' for {@code -0}
     */
    static String format(String filename, byte[] image, String field, char sep, String[] err, String name) {
        StringBuilder out = new StringBuilder();
        if ("filename".equals(field)) {
            return filename + sep;
        }
        if (field == null) {
            out.append(String.format("%-16s%s%c", "filename:", filename, sep));
        }
        ModInfo info;
        if (image.length < 6) {
            err[0] = "could not get modinfo from '" + name + "': Invalid argument";
            return out.toString();
        }
        try {
            ElfFile elf = ElfFile.parse(image);
            ElfFile.Section s = elf.findAnySec(".modinfo");
            info = s == null ? ModInfo.empty() : ModInfo.parse(elf.contents(s));
        } catch (ModuleFormatException e) {
            if (image.length >= 4 && image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F') {
                // kmod reads 32-bit and foreign ELF objects too; the kernel's checks are stricter.
                info = ModInfo.empty();
            } else {
                err[0] = "could not get modinfo from '" + name + "': Exec format error";
                return out.toString();
            }
        }
        List<Param> params = new ArrayList<>();
        for (Map.Entry<String, String> e : info.entries()) {
            String key = e.getKey();
            String value = e.getValue();
            if (field != null) {
                if (field.equals("parm") && key.equals("parm")) {
                    continue;
                }
                if (field.equals(key)) {
                    out.append(value).append(sep);
                }
                continue;
            }
            if (key.equals("parm") || key.equals("parmtype")) {
                int colon = value.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String pname = value.substring(0, colon);
                Param p = null;
                for (Param q : params) {
                    if (q.name.equals(pname)) {
                        p = q;
                    }
                }
                if (p == null) {
                    p = new Param(pname);
                    params.add(0, p);
                }
                if (key.equals("parm")) {
                    p.desc = value.substring(colon + 1);
                } else {
                    p.type = value.substring(colon + 1);
                }
                continue;
            }
            if (sep == '\0') {
                out.append(key).append('=').append(value).append(sep);
                continue;
            }
            out.append(key).append(':').append(" ".repeat(Math.max(0, 15 - key.length()))).append(value).append(sep);
        }
        // libkmod appends what it reads from the signature to the .modinfo entries
        var sig = dev.kmodemu.kstubs.module.ModuleSignature.info(image);
        if (sig != null) {
            String[][] extra = {{"sig_id", sig.id()}, {"signer", sig.signer()}, {"sig_key", hex(sig.keyId())},
                {"sig_hashalgo", sig.hashAlgo()}, {"signature", hex(sig.signature())}};
            for (String[] e : extra) {
                if (field != null) {
                    if (field.equals(e[0])) {
                        out.append(e[1]).append(sep);
                    }
                } else if (sep == '\0') {
                    out.append(e[0]).append('=').append(e[1]).append(sep);
                } else {
                    out.append(e[0]).append(':').append(" ".repeat(Math.max(0, 15 - e[0].length()))).append(e[1])
                            .append(sep);
                }
            }
        }
        if ("parm".equals(field)) {
            return paramsOnly(info, sep);
        }
        if (field != null) {
            return out.toString();
        }
        for (Param p : params) {
            if (p.desc == null) {
                out.append(String.format("%-16s%s:%s%c", "parm:", p.name, p.type, sep));
            } else if (p.type != null) {
                out.append(String.format("%-16s%s:%s (%s)%c", "parm:", p.name, p.desc, p.type, sep));
            } else {
                out.append(String.format("%-16s%s:%s%c", "parm:", p.name, p.desc, sep));
            }
        }
        return out.toString();
    }

    /** libkmod's hex form of key ids and signatures: "A7:04:...", 20 bytes a line, then two tabs. */
    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            sb.append(String.format("%02X", b[i] & 0xff));
            if (i < b.length - 1) {
                sb.append(':');
                if ((i + 1) % 20 == 0) {
                    sb.append("\n\t\t");
                }
            }
        }
        return sb.toString();
    }

    /** {@code modinfo -F parm}: "name:description (type)" per parameter, in kmod's order. */
    private static String paramsOnly(ModInfo info, char sep) {
        List<Param> params = new ArrayList<>();
        for (Map.Entry<String, String> e : info.entries()) {
            if (!e.getKey().equals("parm") && !e.getKey().equals("parmtype")) {
                continue;
            }
            String value = e.getValue();
            int colon = value.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String pname = value.substring(0, colon);
            Param p = params.stream().filter(q -> q.name.equals(pname)).findFirst().orElse(null);
            if (p == null) {
                p = new Param(pname);
                params.add(0, p);
            }
            if (e.getKey().equals("parm")) {
                p.desc = value.substring(colon + 1);
            } else {
                p.type = value.substring(colon + 1);
            }
        }
        StringBuilder out = new StringBuilder();
        for (Param p : params) {
            out.append(p.name).append(':').append(p.desc == null ? "" : p.desc);
            if (p.type != null) {
                out.append(" (").append(p.type).append(')');
            }
            out.append(sep);
        }
        return out.toString();
    }
}
