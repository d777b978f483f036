// SPDX-License-Identifier: GPL-2.0
/*
 * The crypto API as a module sees it: a hash, a single-block cipher and a template registered
 * (each without a self-test in testmgr), the kernel's own algorithms used through shash, cipher
 * and skcipher transforms, a template instance built on demand, and the errors of duplicate or
 * unknown names. /proc/crypto shows the result.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/scatterlist.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <crypto/algapi.h>
#include <crypto/internal/hash.h>
#include <crypto/internal/skcipher.h>
#include <crypto/internal/cipher.h>

MODULE_IMPORT_NS(CRYPTO_INTERNAL);

/* ---- kmreg-sum: a 32-bit sum of the bytes, seeded with 0x1234 ---- */
static int sum_init(struct shash_desc *desc)
{
	*(u32 *)shash_desc_ctx(desc) = 0x1234;
	return 0;
}

static int sum_update(struct shash_desc *desc, const u8 *data, unsigned int len)
{
	u32 *s = shash_desc_ctx(desc);

	while (len--)
		*s += *data++;
	return 0;
}

static int sum_final(struct shash_desc *desc, u8 *out)
{
	memcpy(out, shash_desc_ctx(desc), 4);
	return 0;
}

#define SUM_ALG(name, driver, prio) {				\
	.digestsize = 4,					\
	.init = sum_init,					\
	.update = sum_update,					\
	.final = sum_final,					\
	.descsize = sizeof(u32),				\
	.base = {						\
		.cra_name = name,				\
		.cra_driver_name = driver,			\
		.cra_priority = prio,				\
		.cra_blocksize = 1,				\
		.cra_module = THIS_MODULE,			\
	},							\
}

static struct shash_alg sum_alg = SUM_ALG("kmreg-sum", "kmreg-sum-generic", 50);
/* the same name again under another driver name with a higher priority */
static struct shash_alg sum_alg2 = SUM_ALG("kmreg-sum", "kmreg-sum-fast", 150);
/* a driver name that is another algorithm's name: refused */
static struct shash_alg clash_alg = SUM_ALG("kmreg-clash", "sha256", 0);

/* ---- kmreg-xor: an 8-byte block cipher that xors with the key ---- */
struct xor_ctx {
	u8 key[8];
};

static int xor_setkey(struct crypto_tfm *tfm, const u8 *key, unsigned int len)
{
	memcpy(((struct xor_ctx *)crypto_tfm_ctx(tfm))->key, key, 8);
	return 0;
}

static void xor_crypt(struct crypto_tfm *tfm, u8 *dst, const u8 *src)
{
	struct xor_ctx *ctx = crypto_tfm_ctx(tfm);
	int i;

	for (i = 0; i < 8; i++)
		dst[i] = src[i] ^ ctx->key[i];
}

static struct crypto_alg xor_alg = {
	.cra_name = "kmreg-xor",
	.cra_driver_name = "kmreg-xor-generic",
	.cra_priority = 100,
	.cra_flags = CRYPTO_ALG_TYPE_CIPHER,
	.cra_blocksize = 8,
	.cra_ctxsize = sizeof(struct xor_ctx),
	.cra_module = THIS_MODULE,
	.cra_u = { .cipher = {
		.cia_min_keysize = 8,
		.cia_max_keysize = 8,
		.cia_setkey = xor_setkey,
		.cia_encrypt = xor_crypt,
		.cia_decrypt = xor_crypt } },
};

/* ---- kmregecb: an ECB template over a single-block cipher ---- */
static int kmregecb_crypt(struct skcipher_request *req, bool enc)
{
	struct crypto_skcipher *tfm = crypto_skcipher_reqtfm(req);
	struct crypto_cipher *cipher = skcipher_cipher_simple(tfm);
	const unsigned int bsize = crypto_cipher_blocksize(cipher);
	struct skcipher_walk walk;
	unsigned int nbytes;
	int err;

	err = skcipher_walk_virt(&walk, req, false);
	while ((nbytes = walk.nbytes) != 0) {
		const u8 *src = walk.src.virt.addr;
		u8 *dst = walk.dst.virt.addr;

		do {
			if (enc)
				crypto_cipher_encrypt_one(cipher, dst, src);
			else
				crypto_cipher_decrypt_one(cipher, dst, src);
			src += bsize;
			dst += bsize;
		} while ((nbytes -= bsize) >= bsize);
		err = skcipher_walk_done(&walk, nbytes);
	}
	return err;
}

static int kmregecb_encrypt(struct skcipher_request *req)
{
	return kmregecb_crypt(req, true);
}

static int kmregecb_decrypt(struct skcipher_request *req)
{
	return kmregecb_crypt(req, false);
}

static int kmregecb_create(struct crypto_template *tmpl, struct rtattr **tb)
{
	struct skcipher_instance *inst;
	int err;

	inst = skcipher_alloc_instance_simple(tmpl, tb);
	if (IS_ERR(inst))
		return PTR_ERR(inst);
	inst->alg.ivsize = 0;
	inst->alg.encrypt = kmregecb_encrypt;
	inst->alg.decrypt = kmregecb_decrypt;
	err = skcipher_register_instance(tmpl, inst);
	if (err)
		inst->free(inst);
	pr_info("cryptoreg: create %s: %d\n", inst->alg.base.cra_driver_name, err);
	return err;
}

static struct crypto_template kmregecb_tmpl = {
	.name = "kmregecb",
	.create = kmregecb_create,
	.module = THIS_MODULE,
};

static struct crypto_shash *held;

static void digest(const char *name, const char *text)
{
	struct crypto_shash *tfm = crypto_alloc_shash(name, 0, 0);
	u8 out[64];
	int err;

	if (IS_ERR(tfm)) {
		pr_info("cryptoreg: %s: %ld\n", name, PTR_ERR(tfm));
		return;
	}
	err = crypto_shash_tfm_digest(tfm, text, strlen(text), out);
	pr_info("cryptoreg: %s (%s) \"%s\": %d %*phN\n", name, crypto_shash_driver_name(tfm), text, err,
		crypto_shash_digestsize(tfm), out);
	crypto_free_shash(tfm);
}

static void skcipher(const char *name, const u8 *key, unsigned int keylen)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher(name, 0, 0);
	struct skcipher_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u8 iv[16] = { 0 };
	u8 *buf;
	int err;

	if (IS_ERR(tfm)) {
		pr_info("cryptoreg: %s: %ld\n", name, PTR_ERR(tfm));
		return;
	}
	buf = kmalloc(32, GFP_KERNEL);
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	memcpy(buf, "thirty-two bytes of plain text!", 32);
	err = crypto_skcipher_setkey(tfm, key, keylen);
	sg_init_one(&sg, buf, 32);
	skcipher_request_set_callback(req, 0, crypto_req_done, &wait);
	skcipher_request_set_crypt(req, &sg, &sg, 32, iv);
	if (!err)
		err = crypto_wait_req(crypto_skcipher_encrypt(req), &wait);
	pr_info("cryptoreg: %s (%s) encrypt: %d %32phN\n", name,
		crypto_tfm_alg_driver_name(crypto_skcipher_tfm(tfm)), err, buf);
	memset(iv, 0, sizeof(iv));
	skcipher_request_set_crypt(req, &sg, &sg, 32, iv);
	err = crypto_wait_req(crypto_skcipher_decrypt(req), &wait);
	pr_info("cryptoreg: %s decrypt: %d \"%.32s\"\n", name, err, buf);
	skcipher_request_free(req);
	kfree(buf);
	crypto_free_skcipher(tfm);
}

static int __init cryptoreg_init(void)
{
	static const u8 aeskey[16] = "0123456789abcdef";
	struct crypto_cipher *aes;
	u8 *block;
	int err;

	err = crypto_register_shash(&sum_alg);
	pr_info("cryptoreg: register kmreg-sum: %d\n", err);
	if (err)
		return err;
	pr_info("cryptoreg: register kmreg-sum again: %d\n", crypto_register_shash(&sum_alg));
	err = crypto_register_shash(&sum_alg2);
	pr_info("cryptoreg: register kmreg-sum-fast: %d\n", err);
	pr_info("cryptoreg: register a driver named sha256: %d\n", crypto_register_shash(&clash_alg));
	err = crypto_register_alg(&xor_alg);
	pr_info("cryptoreg: register kmreg-xor: %d\n", err);
	err = crypto_register_template(&kmregecb_tmpl);
	pr_info("cryptoreg: register template kmregecb: %d\n", err);

	digest("sha256", "abc");
	digest("sha224", "abc");
	digest("sha1", "abc");
	digest("md5", "abc");
	digest("kmreg-sum", "abc");
	digest("kmreg-sum-generic", "abc");
	digest("nosuchhash", "abc");

	aes = crypto_alloc_cipher("aes", 0, 0);
	block = kmalloc(16, GFP_KERNEL);
	memcpy(block, "sixteen byte txt", 16);
	err = crypto_cipher_setkey(aes, aeskey, 16);
	crypto_cipher_encrypt_one(aes, block, block);
	pr_info("cryptoreg: aes (%s) %d %16phN\n", crypto_tfm_alg_driver_name(crypto_cipher_tfm(aes)), err, block);
	crypto_cipher_decrypt_one(aes, block, block);
	pr_info("cryptoreg: aes back \"%.16s\"\n", block);
	pr_info("cryptoreg: aes 5-byte key: %d\n", crypto_cipher_setkey(aes, aeskey, 5));
	kfree(block);
	crypto_free_cipher(aes);

	skcipher("cbc(aes)", aeskey, 16);
	skcipher("kmregecb(kmreg-xor)", aeskey, 8);
	skcipher("ecb(aes)", aeskey, 16);
	pr_info("cryptoreg: has crc32c: %d, has md5: %d\n", crypto_has_alg("crc32c", 0, 0),
		crypto_has_alg("md5", 0, 0));

	held = crypto_alloc_shash("sha256", 0, 0);
	return 0;
}

static void __exit cryptoreg_exit(void)
{
	crypto_free_shash(held);
	crypto_unregister_template(&kmregecb_tmpl);
	crypto_unregister_alg(&xor_alg);
	crypto_unregister_shash(&sum_alg2);
	crypto_unregister_shash(&sum_alg);
	pr_info("cryptoreg: exit\n");
}

module_init(cryptoreg_init);
module_exit(cryptoreg_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: crypto API registration and use");
