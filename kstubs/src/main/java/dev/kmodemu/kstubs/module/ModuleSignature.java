package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Errno;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * kernel/module/signing.c, kernel/module_signature.c and the PKCS#7 checks of
 * crypto/asymmetric_keys/pkcs7_verify.c and certs/system_keyring.c as they apply to a module: the
 * appended {@code struct module_signature} and its detached PKCS#7 {@code SignedData}, checked
 * against the trusted keyring (the kernel's builtin keys, plus any the user added to the
 * secondary keyring).
 *
 * <p>Outcomes as {@code module_sig_check()} sorts them: a good signature by a trusted key makes
 * the module signed; no signature (or a forced load, which mangles the module), an unsupported
 * signature type or hash, or a signer not in the keyring leave it unsigned (the caller taints);
 * anything else fails the load even though signatures are not enforced: a malformed signature
 * ({@code -EBADMSG}), a signature that does not match the module or has authenticated attributes
 * ({@code -EKEYREJECTED}).
 */
public final class ModuleSignature {
    private ModuleSignature() {
    }

    /** {@code MODULE_SIG_STRING}. */
    static final byte[] MARKER = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
    /** {@code sizeof(struct module_signature)}. */
    private static final int INFO_SIZE = 12;
    /** {@code PKEY_ID_PKCS7}. */
    private static final int PKEY_ID_PKCS7 = 2;
    /** The hash algorithms the kernel's crypto API has for signatures (others: -ENOPKG). */
    private static final Set<String> HASHES = Set.of("1.3.14.3.2.26", "2.16.840.1.101.3.4.2.4",
            "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3");

    /**
     * The result: {@code errno} 0 with {@code signed} set, 0 unsigned, or a negative errno that
     * fails the load; {@code length} is the module without its signature.
     */
    public record Result(int errno, boolean signed, int length) {
    }

    /**
     * {@code struct module_signature} at the end of a module of {@code len} bytes (marker
     * excluded).
     */
    private record Header(int algo, int hash, int idType, int signerLen, int keyIdLen, int pad, long sigLen) {
        static Header at(byte[] image, int len) {
            ByteBuffer ms = ByteBuffer.wrap(image, len - INFO_SIZE, INFO_SIZE).order(ByteOrder.BIG_ENDIAN);
            return new Header(ms.get() & 0xff, ms.get() & 0xff, ms.get() & 0xff, ms.get() & 0xff, ms.get() & 0xff,
                    (ms.get() & 0xff) | (ms.get() & 0xff) | (ms.get() & 0xff), ms.getInt() & 0xffffffffL);
        }
    }

    /** Whether {@code image} ends with the signature marker. */
    private static boolean marked(byte[] image) {
        int len = image.length;
        return len > MARKER.length && Arrays.equals(image, len - MARKER.length, len, MARKER, 0, MARKER.length);
    }

    /**
     * {@code module_sig_check()}: {@code mangled} for a load that ignores modversions or vermagic
     * (whose signature is not checked); {@code log} gets the kernel's error lines.
     */
    public static Result check(byte[] image, boolean mangled, List<X509CertificateHolder> keyring,
            Consumer<String> log) {
        int len = image.length;
        if (mangled || !marked(image)) {
            return new Result(0, false, len);
        }
        len -= MARKER.length;
        // mod_verify_sig()
        if (len <= INFO_SIZE) {
            return new Result(-Errno.EBADMSG, false, len);
        }
        Header h = Header.at(image, len);
        long sigLen = h.sigLen();
        // mod_check_sig()
        if (sigLen >= len - INFO_SIZE) {
            return new Result(-Errno.EBADMSG, false, len);
        }
        if (h.idType() != PKEY_ID_PKCS7) {
            log.accept("module: not signed with expected PKCS#7 message");
            return new Result(0, false, len);
        }
        if (h.algo() != 0 || h.hash() != 0 || h.signerLen() != 0 || h.keyIdLen() != 0 || h.pad() != 0) {
            log.accept("module: PKCS#7 signature info has unexpected non-zero params");
            return new Result(-Errno.EBADMSG, false, len);
        }
        int modLen = (int) (len - INFO_SIZE - sigLen);
        byte[] content = Arrays.copyOf(image, modLen);
        byte[] sig = Arrays.copyOfRange(image, modLen, len - INFO_SIZE);
        int err = verify(content, sig, keyring, log);
        if (err == -Errno.ENOKEY || err == -Errno.ENOPKG) {
            // module_sig_check(): "module with unavailable key" / "with unsupported crypto"
            return new Result(0, false, modLen);
        }
        return new Result(err, err == 0, modLen);
    }

    /** {@code verify_pkcs7_signature()}: 0, -ENOKEY/-ENOPKG (unsigned) or a fatal error. */
    private static int verify(byte[] content, byte[] sig, List<X509CertificateHolder> keyring, Consumer<String> log) {
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(new CMSProcessableByteArray(content), sig);
        } catch (CMSException | RuntimeException e) {
            return -Errno.EBADMSG;
        }
        // pkcs7_verify(VERIFYING_MODULE_SIGNATURE)
        if (!CMSObjectIdentifiers.data.getId().equals(cms.getSignedContentTypeOID())) {
            log.accept("Invalid module sig (not pkcs7-data)");
            return -Errno.EKEYREJECTED;
        }
        List<SignerInformation> signers = new ArrayList<>(cms.getSignerInfos().getSigners());
        for (SignerInformation s : signers) {
            if (s.getSignedAttributes() != null) {
                log.accept("Invalid module sig (has authattrs)");
                return -Errno.EKEYREJECTED;
            }
        }
        int ret = -Errno.ENOPKG;
        for (SignerInformation s : signers) {
            if (HASHES.contains(s.getDigestAlgOID())) {
                ret = 0;
            }
        }
        if (ret != 0) {
            return ret;
        }
        // pkcs7_validate_trust(): a signer whose key is in the keyring, and its signature holds
        ret = -Errno.ENOKEY;
        for (SignerInformation s : signers) {
            if (!HASHES.contains(s.getDigestAlgOID())) {
                continue;
            }
            for (X509CertificateHolder cert : keyring) {
                if (!s.getSID().match(cert)) {
                    continue;
                }
                try {
                    if (!s.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert))) {
                        return -Errno.EKEYREJECTED;
                    }
                    return 0;
                } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
                    return -Errno.EKEYREJECTED;
                }
            }
        }
        return ret;
    }

    /**
     * What libkmod reads from a module's signature for modinfo ({@code kmod_module_signature_info()}):
     * the signature type ({@code sig_id}), the signer's common name, the key id (the PKCS#7
     * issuer's serial number), the hash algorithm and the signature bytes; null without a
     * signature, or one kmod cannot read.
     */
    public record Info(String id, String signer, byte[] keyId, String hashAlgo, byte[] signature) {
    }

    private static final String[] ID_TYPES = {"PGP", "X509", "PKCS#7"};
    private static final String[] HASH_NAMES = {"md4", "md5", "sha1", "rmd160", "sha256", "sha384", "sha512",
        "sha224", "sm3"};
    private static final java.util.Map<String, String> HASH_OIDS = java.util.Map.of(
            "1.2.840.113549.2.4", "md4", "1.2.840.113549.2.5", "md5", "1.3.14.3.2.26", "sha1",
            "1.3.36.3.2.1", "rmd160", "2.16.840.1.101.3.4.2.1", "sha256", "2.16.840.1.101.3.4.2.2", "sha384",
            "2.16.840.1.101.3.4.2.3", "sha512", "2.16.840.1.101.3.4.2.4", "sha224", "1.2.156.10197.1.401", "sm3");

    /** {@code kmod_module_signature_info()} of a module file. */
    public static Info info(byte[] image) {
        if (image.length <= MARKER.length + INFO_SIZE || !marked(image)) {
            return null;
        }
        int len = image.length - MARKER.length;
        Header h = Header.at(image, len);
        int algo = h.algo();
        int hash = h.hash();
        int idType = h.idType();
        int signerLen = h.signerLen();
        int keyIdLen = h.keyIdLen();
        long sigLen = h.sigLen();
        long size = sigLen + signerLen + keyIdLen;
        if (size >= len - INFO_SIZE || idType >= ID_TYPES.length) {
            return null;
        }
        int sigStart = (int) (len - INFO_SIZE - sigLen);
        byte[] sig = Arrays.copyOfRange(image, sigStart, len - INFO_SIZE);
        if (idType != PKEY_ID_PKCS7) {
            if (hash >= HASH_NAMES.length || algo > 2) {
                return null;
            }
            int keyStart = sigStart - keyIdLen;
            int signerStart = keyStart - signerLen;
            return new Info(ID_TYPES[idType], new String(image, signerStart, signerLen, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(image, keyStart, sigStart), HASH_NAMES[hash], sig);
        }
        try {
            CMSSignedData cms = new CMSSignedData(sig);
            SignerInformation s = cms.getSignerInfos().getSigners().iterator().next();
            org.bouncycastle.cms.SignerId sid = s.getSID();
            if (sid.getIssuer() == null || sid.getSerialNumber() == null) {
                return null;
            }
            String cn = null;
            for (org.bouncycastle.asn1.x500.RDN rdn : sid.getIssuer().getRDNs(
                    org.bouncycastle.asn1.x500.style.BCStyle.CN)) {
                cn = org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(rdn.getFirst().getValue());
            }
            byte[] serial = sid.getSerialNumber().toByteArray();
            if (serial.length > 1 && serial[0] == 0) {
                serial = Arrays.copyOfRange(serial, 1, serial.length);
            }
            String hashName = HASH_OIDS.getOrDefault(s.getDigestAlgOID(), "unknown");
            return new Info(ID_TYPES[idType], cn == null ? "" : cn, serial, hashName, s.getSignature());
        } catch (CMSException | RuntimeException e) {
            return null;
        }
    }

    /**
     * What {@code scripts/sign-file} makes of a module: the module, a detached PKCS#7 SignedData by
     * {@code cert}'s key with SHA-256 (no certificates, no authenticated attributes), the
     * {@code struct module_signature} and the marker.
     */
    public static byte[] sign(byte[] module, java.security.PrivateKey key, X509CertificateHolder cert) {
        try {
            org.bouncycastle.operator.ContentSigner signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                    "SHA256with" + key.getAlgorithm()).build(key);
            org.bouncycastle.cms.CMSSignedDataGenerator gen = new org.bouncycastle.cms.CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                    new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build())
                    .setDirectSignature(true).build(signer, cert));
            byte[] p7 = gen.generate(new CMSProcessableByteArray(module), false).getEncoded();
            ByteBuffer out = ByteBuffer.allocate(module.length + p7.length + INFO_SIZE + MARKER.length);
            out.put(module).put(p7);
            out.put(new byte[] {0, 0, PKEY_ID_PKCS7, 0, 0, 0, 0, 0}).putInt(p7.length).put(MARKER);
            return out.array();
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new IllegalArgumentException("kmodemu: cannot sign with that key: " + e.getMessage(), e);
        }
    }

    /** Parses DER or PEM X.509 certificates (a keyring's contents). */
    public static List<X509CertificateHolder> certificates(List<byte[]> ders) {
        List<X509CertificateHolder> out = new ArrayList<>();
        for (byte[] d : ders) {
            try {
                out.add(new X509CertificateHolder(d));
            } catch (IOException e) {
                throw new IllegalArgumentException("kmodemu: not an X.509 certificate: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
