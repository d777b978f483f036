package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.testmods.TestMods;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Module signatures as {@code scripts/sign-file} appends them (a detached PKCS#7 SignedData without
 * certificates or authenticated attributes, then {@code struct module_signature} and the marker),
 * checked as kernel/module/signing.c checks them.
 */
class ModuleSignatureTest {
    private static final String NOTICE =
            "hello: module verification failed: signature and/or required key missing - tainting kernel";
    private static final int TAINT_OOT = 1 << 12;
    private static final int TAINT_UNSIGNED = 1 << 13;

    private static KeyPair key;
    private static X509CertificateHolder cert;

    @BeforeAll
    static void makeKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        key = g.generateKeyPair();
        X500Name name = new X500Name("CN=kmodemu test signing key");
        ContentSigner self = new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate());
        cert = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(42), new Date(0),
                new Date(4102444800000L), name, key.getPublic()).build(self);
    }

    /**
     * {@code sign-file}, with authenticated attributes if asked, and {@code id_type} rewritten
     * (2 is PKCS#7).
     */
    static byte[] sign(byte[] ko, boolean authattrs, int idType) throws Exception {
        if (!authattrs) {
            byte[] signed = ModuleSignature.sign(ko, key.getPrivate(), cert);
            signed[signed.length - 28 - 12 + 2] = (byte) idType;
            return signed;
        }
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate());
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(signer, cert));
        byte[] p7 = gen.generate(new CMSProcessableByteArray(ko), false).getEncoded();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ko);
        out.write(p7);
        out.write(ByteBuffer.allocate(12).put(2, (byte) idType).putInt(8, p7.length).array());
        out.write("~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static List<String> log(Kernel k) {
        return k.log().stream().map(r -> r.message()).toList();
    }

    private static int tainted(Kernel k) {
        return Integer.parseInt(k.read("/proc/sys/kernel/tainted").trim());
    }

    @Test
    void aModuleSignedWithAKeyTheKernelDoesNotHaveLoadsAsUnsigned() throws Exception {
        try (Kernel k = Kernel.boot()) {
            k.insmod("hello.ko", sign(TestMods.ko("hello"), false, 2), "");
            assertTrue(log(k).contains(NOTICE), log(k).toString());
            assertEquals(TAINT_OOT | TAINT_UNSIGNED, tainted(k));
        }
    }

    @Test
    void aModuleSignedWithATrustedKeyLoadsWithoutTaintingAsUnsigned() throws Exception {
        try (Kernel k = Kernel.boot()) {
            k.trustKey(cert.getEncoded());
            k.insmod("hello.ko", sign(TestMods.ko("hello"), false, 2), "");
            assertFalse(log(k).contains(NOTICE), log(k).toString());
            assertEquals(TAINT_OOT, tainted(k));
            assertEquals("hello", k.modules().getFirst().name());
        }
    }

    @Test
    void aSignedModuleChangedAfterSigningIsRejected() throws Exception {
        byte[] signed = sign(TestMods.ko("hello"), false, 2);
        signed[64] ^= 1;
        try (Kernel k = Kernel.boot()) {
            k.trustKey(cert.getEncoded());
            KernelException e = assertThrows(KernelException.class, () -> k.insmod("hello.ko", signed, ""));
            assertEquals(Errno.EKEYREJECTED, e.errno());
            assertEquals(List.of(), k.modules());
            assertEquals(0, tainted(k));
        }
    }

    @Test
    void authenticatedAttributesAreRefusedEvenFromAnUnknownKey() throws Exception {
        try (Kernel k = Kernel.boot()) {
            KernelException e = assertThrows(KernelException.class,
                    () -> k.insmod("hello.ko", sign(TestMods.ko("hello"), true, 2), ""));
            assertEquals(Errno.EKEYREJECTED, e.errno());
            assertTrue(log(k).contains("Invalid module sig (has authattrs)"), log(k).toString());
        }
    }

    @Test
    void aSignatureOfAnotherKindLeavesTheModuleUnsigned() throws Exception {
        try (Kernel k = Kernel.boot()) {
            k.trustKey(cert.getEncoded());
            k.insmod("hello.ko", sign(TestMods.ko("hello"), false, 1), "");
            assertTrue(log(k).contains("module: not signed with expected PKCS#7 message"), log(k).toString());
            assertTrue(log(k).contains(NOTICE), log(k).toString());
        }
    }

    @Test
    void aForcedLoadIgnoresTheSignature() throws Exception {
        try (Kernel k = Kernel.boot()) {
            k.trustKey(cert.getEncoded());
            k.insmod("hello.ko", sign(TestMods.ko("hello"), false, 2), "", true);
            assertTrue(log(k).contains(NOTICE), log(k).toString());
        }
    }

    @Test
    void anythingButACertificateIsNotAKey() {
        try (Kernel k = Kernel.boot()) {
            assertThrows(IllegalArgumentException.class, () -> k.trustKey(new byte[] {1, 2, 3}));
        }
    }
}
